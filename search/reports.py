"""Wagtail's "Termes de recherche" report with a safe, logged export (rules 4 and 5).

Visitors type the search terms, so the report's file holds hostile text: Wagtail's own export
writes it as it comes (a CSV field "=HYPERLINK(…)" runs in LibreOffice) and logs nothing. This
view keeps Wagtail's report and answers its ``?export=`` with the project's writer and log.
"""

from wagtail.contrib.search_promotions.views.reports import (
    SearchTermsReportView as WagtailSearchTermsReportView,
)

from contacts import exports
from contacts.models import ExportLog
from contacts.viewsets import listing_filters

from . import hits

SEARCH_TERMS = exports.Columns(
    [("Termes recherchés", "query_string"), ("Nombre de recherches", "_hits")],
    sheet_title="Termes de recherche",
    file_stem="termes-de-recherche",
    ordering=("-_hits", "query_string"),
    widths={"query_string": 50},
)


class SearchTermsReportView(WagtailSearchTermsReportView):
    def get(self, request, *args, **kwargs):
        hits.flush_hits()  # searches still counted in the cache are written first
        if self.is_export:
            # Straight to the file: the listing's context would evaluate the whole queryset.
            return self.as_spreadsheet(self.get_queryset(), request.GET["export"])
        return super().get(request, *args, **kwargs)

    def as_spreadsheet(self, queryset, export_format):
        run = exports.ExportRun.start(
            export_format=export_format,
            source=ExportLog.Source.ADMIN,
            filters=listing_filters(self.request),
            user=self.request.user,
            dataset=ExportLog.Dataset.SEARCH_TERMS,
        )
        return exports.spreadsheet_response(queryset, export_format, SEARCH_TERMS, run)
