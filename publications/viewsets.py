"""The "Leads" menu: the download requests beside the people domain's lists (contacts)."""

from django.utils.functional import cached_property

from wagtail.admin.ui.tables import BooleanColumn, Column, TitleColumn
from wagtail.admin.viewsets.base import ViewSetGroup

from contacts.models import ExportLog
from contacts.viewsets import (
    ExportLogViewSet,
    LeadActivityViewSet,
    LeadViewSet,
    OutboundEmailViewSet,
    SafeExportIndexView,
)

from . import exports
from .filters import DownloadRequestFilterSet
from .models import DownloadRequest
from .reports import LeadsReportViewSet


class DownloadRequestIndexView(SafeExportIndexView):
    """The requests list and its export."""

    export_columns = exports.DOWNLOAD_REQUESTS
    export_dataset = ExportLog.Dataset.DOWNLOAD_REQUESTS

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("lead")


class DownloadRequestViewSet(LeadActivityViewSet):
    model = DownloadRequest
    name = "demandes"
    icon = "download"
    menu_label = "Demandes de livres blancs"
    menu_order = 100
    index_view_class = DownloadRequestIndexView
    filterset_class = DownloadRequestFilterSet
    list_export = exports.PATHS  # turns the export buttons on; exports.py writes the files

    @cached_property
    def list_display(self):
        return [
            Column("created_at", label="Date", sort_key="created_at"),
            Column("paper_title", label="Livre blanc", sort_key="paper_title"),
            TitleColumn(
                "lead_first_name",
                label="Prénom",
                accessor="lead.first_name",
                url_name="leads:inspect",
                id_accessor="lead_id",
                sort_key="lead__first_name",
            ),
            Column(
                "lead_last_name", label="Nom", accessor="lead.last_name", sort_key="lead__last_name"
            ),
            Column("lead_email", label="E-mail", accessor="lead.email", sort_key="lead__email"),
            Column(
                "lead_organisation",
                label="Organisme",
                accessor="lead.organisation",
                sort_key="lead__organisation",
            ),
            Column(
                "lead_organisation_type",
                label="Type",
                accessor="lead.get_organisation_type_display",
                sort_key="lead__organisation_type",
            ),
            Column("lead_job_title", label="Fonction", accessor="lead.job_title"),
            # The lead's confirmed consent (double opt-in), not the box ticked on this form.
            BooleanColumn(
                "lead_news_opt_in",
                label="Actualités",
                accessor="lead.news_opt_in",
                sort_key="lead__news_opt_in",
            ),
        ]


class LeadsViewSetGroup(ViewSetGroup):
    menu_label = "Leads"
    menu_icon = "group"
    menu_order = 250
    items = (
        DownloadRequestViewSet,
        LeadViewSet,
        ExportLogViewSet,
        LeadsReportViewSet,
        OutboundEmailViewSet,
    )
