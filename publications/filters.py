import django_filters

from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet

from contacts.filters import KeyPageFilter
from contacts.models import OrganisationType

from .models import DownloadRequest, WhitePaperPage


class DownloadRequestFilterSet(WagtailFilterSet):
    """The leads list's filters; ``export_leads`` reads the same ones from its options."""

    # Chosen in the page chooser: a <select> of every paper (3 334 at the club's scale) took
    # most of the list's time and could not be used.
    paper = KeyPageFilter(label="Livre blanc", page_model=WhitePaperPage)
    created_at = django_filters.DateFromToRangeFilter(
        label="Date de la demande", widget=DateRangePickerWidget
    )
    organisation_type = django_filters.ChoiceFilter(
        label="Type d'organisme",
        field_name="lead__organisation_type",
        choices=OrganisationType.choices,
    )
    # The confirmed consent (double opt-in), not the box ticked on that form.
    news_opt_in = django_filters.BooleanFilter(
        label="Actualités acceptées", field_name="lead__news_opt_in"
    )

    class Meta:
        model = DownloadRequest
        fields = ["paper", "created_at", "organisation_type", "news_opt_in"]
