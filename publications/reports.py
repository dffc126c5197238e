"""The leads report: requests per week per paper, and each paper's conversion."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncWeek
from django.urls import path
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import TemplateView

from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet

from . import services
from .models import DownloadRequest, PaperDailyViews, WhitePaperPage

WEEKS = 12
CHART_HEIGHT = 60
BAR_WIDTH = 14


def can_view_leads(user):
    return user.has_perm("publications.view_downloadrequest")


@dataclass
class PaperRow:
    title: str
    views: int
    requests: int
    downloads: int
    downloaded_requests: int
    weekly: list  # one Bar a week, for the last WEEKS weeks

    @property
    def request_rate(self):
        """Share of page views that became a request, in %, or None without views."""
        return round(100 * self.requests / self.views) if self.views else None

    @property
    def download_rate(self):
        """Share of requests whose file was downloaded at least once, in %."""
        return round(100 * self.downloaded_requests / self.requests) if self.requests else None


@dataclass
class Bar:
    week: object
    count: int
    x: int
    y: int
    height: int


def bars(weeks, counts, peak):
    """The weekly chart's bars, laid out here so that the template only draws them."""
    result = []
    for index, (week, count) in enumerate(zip(weeks, counts, strict=True)):
        height = round(count / peak * CHART_HEIGHT)
        result.append(
            Bar(week, count, x=index * (BAR_WIDTH + 4), y=CHART_HEIGHT - height, height=height)
        )
    return result


class LeadsReportView(TemplateView):
    template_name = "publications/admin/leads_report.html"

    def dispatch(self, request, *args, **kwargs):
        if not can_view_leads(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def week_starts(self):
        today = timezone.localdate()
        monday = today - timedelta(days=today.weekday())
        return [monday - timedelta(weeks=n) for n in reversed(range(WEEKS))]

    def get_context_data(self, **kwargs):
        weeks = self.week_starts()
        services.flush_all_page_views()  # views still counted in the cache are written first
        since = timezone.make_aware(datetime.combine(weeks[0], time.min))
        weekly = {}
        for row in (
            DownloadRequest.objects.filter(created_at__gte=since, paper__isnull=False)
            .annotate(week=TruncWeek("created_at"))
            .values("paper_id", "week")
            .annotate(count=Count("*"))
        ):
            week = row["week"].date() if isinstance(row["week"], datetime) else row["week"]
            weekly[(row["paper_id"], week)] = row["count"]
        # Counted on the columns the report's indexes hold (publications 0009), so that a
        # million requests are read from the indexes alone.
        totals = {
            row["paper_id"]: row
            for row in DownloadRequest.objects.filter(paper__isnull=False)
            .values("paper_id")
            .annotate(
                requests=Count("*"),
                downloads=Sum("download_count"),
                downloaded=Count("download_count", filter=Q(download_count__gt=0)),
            )
        }
        views = dict(
            PaperDailyViews.objects.values("paper_id")
            .annotate(total=Sum("views"))
            .values_list("paper_id", "total")
        )
        peak = max(weekly.values(), default=0) or 1
        papers = []
        active = set(totals) | set(views)  # papers with no view and no request are left out
        for paper_id, title in (
            WhitePaperPage.objects.filter(pk__in=active)
            .order_by("title")
            .values_list("pk", "title")
        ):
            counts = [weekly.get((paper_id, week), 0) for week in weeks]
            total = totals.get(paper_id, {})
            papers.append(
                PaperRow(
                    title=title,
                    views=views.get(paper_id, 0),
                    requests=total.get("requests", 0),
                    downloads=total.get("downloads") or 0,
                    downloaded_requests=total.get("downloaded", 0),
                    weekly=bars(weeks, counts, peak),
                )
            )
        papers.sort(key=lambda row: row.requests, reverse=True)
        return super().get_context_data(
            page_title="Rapport des demandes de livres blancs",
            header_icon="pick",
            papers=papers,
            weeks=weeks,
            chart_height=CHART_HEIGHT,
            bar_width=BAR_WIDTH,
            chart_width=WEEKS * (BAR_WIDTH + 4),
            **kwargs,
        )


class LeadsReportViewSet(ViewSet):
    name = "rapport-leads"
    icon = "pick"
    menu_label = "Rapport"
    menu_order = 400

    def get_urlpatterns(self):
        return [path("", LeadsReportView.as_view(), name="index")]

    @cached_property
    def menu_item_class(self):
        class ReportMenuItem(MenuItem):
            def is_shown(self, request):
                return can_view_leads(request.user)

        return ReportMenuItem
