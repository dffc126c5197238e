"""The admin's filters on registrations (the agenda's public filters are in filters.py)."""

import django_filters

from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet

from contacts.filters import KeyPageFilter
from contacts.models import OrganisationType

from .choices import MEMBERSHIP_FLAGS, RegistrationStatus
from .models import EventPage, Registration


class RegistrationFilterSet(WagtailFilterSet):
    # Chosen in the page chooser, as the requests' paper: a <select> of every event grows with
    # the agenda. Any event may be chosen; one without registrations on the site lists none.
    event = KeyPageFilter(label="Événement", page_model=EventPage)
    status = django_filters.ChoiceFilter(label="Statut", choices=RegistrationStatus.choices)
    is_member = django_filters.BooleanFilter(label="Adhérent")
    membership = django_filters.ChoiceFilter(
        label="Adhésion", choices=list(MEMBERSHIP_FLAGS.items())
    )
    organisation_type = django_filters.ChoiceFilter(
        label="Type d'organisme",
        field_name="lead__organisation_type",
        choices=OrganisationType.choices,
    )
    created_at = django_filters.DateFromToRangeFilter(
        label="Date d'inscription", widget=DateRangePickerWidget
    )

    class Meta:
        model = Registration
        fields = ["event", "status", "is_member", "membership", "organisation_type", "created_at"]
