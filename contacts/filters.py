import django_filters

from wagtail.admin.filters import WagtailFilterSet

from .models import ExportLog, Lead, OrganisationType


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
