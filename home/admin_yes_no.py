"""Yes/no values in the admin's listings, read in French ("Oui"/"Non").

Wagtail shows a boolean column's icon with ``True``/``False`` as its title (what a screen
reader says) and an active boolean filter as "Label : True": neither goes through a catalogue.
The column's cell is overridden for every listing (templates/wagtailadmin/tables/
boolean_cell.html); the filter's chip here.
"""

from django.utils.translation import gettext

import django_filters

from wagtail.admin.active_filters import BaseFilterAdapter, register_filter_adapter_class


def yes_no(value):
    if value is None:
        return gettext("Unknown")
    return gettext("Yes") if value else gettext("No")


class YesNoFilterAdapter(BaseFilterAdapter):
    """The chip of an active yes/no filter: "Actualités acceptées : Oui"."""

    def get_active_filters(self):
        for active in super().get_active_filters():
            yield active._replace(value=yes_no(self.value))


def register():
    register_filter_adapter_class(django_filters.BooleanFilter, YesNoFilterAdapter)
