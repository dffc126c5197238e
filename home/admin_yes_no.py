"""Yes/no values in the admin's listings, read in French ("Oui"/"Non").

Wagtail shows a boolean column's icon with ``True``/``False`` as its title (what a screen
reader says) and an active boolean filter as "Label : True": neither goes through a catalogue.
"""

from django.utils.translation import gettext

import django_filters

from wagtail.admin.active_filters import BaseFilterAdapter, register_filter_adapter_class
from wagtail.admin.ui.tables import BooleanColumn


def yes_no(value):
    if value is None:
        return gettext("Unknown")
    return gettext("Yes") if value else gettext("No")


class YesNoColumn(BooleanColumn):
    """A tick or a cross, titled "Oui" or "Non"."""

    cell_template_name = "home/admin/yes_no_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["label"] = yes_no(context["value"])
        return context


class YesNoFilterAdapter(BaseFilterAdapter):
    """The chip of an active yes/no filter: "Actualités acceptées : Oui"."""

    def get_active_filters(self):
        for active in super().get_active_filters():
            yield active._replace(value=yes_no(self.value))


def register():
    register_filter_adapter_class(django_filters.BooleanFilter, YesNoFilterAdapter)
