import re

from django.core.exceptions import ValidationError

import django_filters
from django_filters.fields import ModelChoiceField

from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.widgets import AdminPageChooser

from .models import ExportLog, Lead, Membership, Organisation, OrganisationType

PRIMARY_KEY = re.compile(r"[0-9]{1,18}")  # ASCII digits only, within a bigint


class KeyChoiceField(ModelChoiceField):
    """A row chosen by its key; anything but a key (a NUL, 30 digits that no database integer
    holds) is an invalid choice, never a database error."""

    def to_python(self, value):
        if value not in self.empty_values and not PRIMARY_KEY.fullmatch(str(value)):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class KeyChoiceFilter(django_filters.ModelChoiceFilter):
    """A listing's filter on one row (a paper, an event) that hostile query strings cannot
    break."""

    field_class = KeyChoiceField


class KeyPageChooser(AdminPageChooser):
    """A listing's filter on one page (a paper, an event) chosen in Wagtail's page chooser: a
    button and a modal with search, whatever the number of pages, where a <select> of every
    page grows with the site. What the query string holds is shown only when it is a key:
    anything else shows as nothing chosen, never a database error."""

    show_edit_link = False  # staff who filter need not be able to edit the page

    def get_instance(self, value):
        if isinstance(value, str) and not PRIMARY_KEY.fullmatch(value):
            return None
        return super().get_instance(value)


class KeyPageFilter(KeyChoiceFilter):
    """A filter on one page of ``page_model``, chosen in the page chooser."""

    def __init__(self, *, page_model, **kwargs):
        kwargs.setdefault("queryset", page_model.objects.all())
        kwargs.setdefault("widget", KeyPageChooser(target_models=[page_model]))
        super().__init__(**kwargs)


class LeadFilterSet(WagtailFilterSet):
    organisation_type = django_filters.ChoiceFilter(
        label="Type d'organisme", choices=OrganisationType.choices
    )
    news_opt_in = django_filters.BooleanFilter(label="Actualités acceptées")

    class Meta:
        model = Lead
        fields = ["organisation_type", "news_opt_in"]


class ExportLogFilterSet(WagtailFilterSet):
    dataset = django_filters.ChoiceFilter(label="Liste exportée", choices=ExportLog.Dataset.choices)
    format = django_filters.ChoiceFilter(label="Format", choices=ExportLog.Format.choices)
    source = django_filters.ChoiceFilter(label="Origine", choices=ExportLog.Source.choices)
    status = django_filters.ChoiceFilter(label="État", choices=ExportLog.Status.choices)

    class Meta:
        model = ExportLog
        fields = ["dataset", "format", "source", "status"]


def membership_years():
    """The years some organisation is a member for, newest first (one query, when the form
    is shown)."""
    years = Membership.objects.order_by("-year").values_list("year", flat=True).distinct()
    return [(str(year), str(year)) for year in years]


class OrganisationFilterSet(WagtailFilterSet):
    organisation_type = django_filters.ChoiceFilter(
        label="Type d'organisme", choices=OrganisationType.choices
    )
    member_in = django_filters.ChoiceFilter(
        label="Adhérent en", choices=membership_years, method="filter_member_in"
    )

    class Meta:
        model = Organisation
        fields = ["organisation_type", "member_in"]

    def filter_member_in(self, queryset, name, value):
        return queryset.filter(memberships__year=int(value))


class MembershipReportFilterSet(WagtailFilterSet):
    """What a bilan's export was of, for the export log's words."""

    organisation = django_filters.ModelChoiceFilter(
        label="Organisme", queryset=Organisation.objects.all()
    )
    year = django_filters.NumberFilter(label="Année")

    class Meta:
        model = Organisation
        fields = []
