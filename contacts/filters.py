import django_filters

from wagtail.admin.filters import WagtailFilterSet

from .models import ExportLog, Lead, Membership, Organisation, OrganisationType


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
