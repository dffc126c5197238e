from django.urls import path

from wagtail import hooks
from wagtail.contrib.search_promotions.views.reports import SearchTermsReportFilterSet

from contacts.export_log import register_filters
from contacts.models import ExportLog

from .reports import SearchTermsReportView

register_filters(ExportLog.Dataset.SEARCH_TERMS, SearchTermsReportFilterSet)


@hooks.register("register_admin_urls", order=-1)
def register_search_terms_report():
    """The search-terms report at Wagtail's own address (its URL names still point there),
    registered first so that this view answers it."""
    return [
        path("searchpicks/reports/search-terms/", SearchTermsReportView.as_view()),
        path(
            "searchpicks/reports/search-terms/results/",
            SearchTermsReportView.as_view(results_only=True),
        ),
    ]
