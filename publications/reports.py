"""The leads report: requests per week per paper, and each paper's conversion."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Sum
from django.db.models.functions import TruncWeek
from django.urls import path
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import TemplateView

from wagtail.admin.menu import MenuItem
from wagtail.admin.paginator import WagtailPaginator
from wagtail.admin.viewsets.base import ViewSet

from . import services
from .models import DownloadRequest, PaperDailyViews, PaperTotals

WEEKS = 12
PER_PAGE = 25
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


class ReportPaginator(WagtailPaginator):
    verbose_name = "livre blanc"
    verbose_name_plural = "livres blancs"


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
        services.flush_tallied_page_views()  # a paper first seen by this process is listed
        # Ordered and paged on the stored totals, most asked first: a page reads 25 of them,
        # and the weeks and views of its 25 papers only, never every request (1 000 000 at
        # the club's scale) nor every day's views.
        paginator = ReportPaginator(
            PaperTotals.objects.order_by("-requests", "paper__title", "paper_id").values(
                "paper_id", "paper__title", *services.TOTALS
            ),
            PER_PAGE,
        )
        page = paginator.get_page(self.request.GET.get("p"))
        weeks = self.week_starts()
        shown = [row["paper_id"] for row in page]
        services.flush_page_views_of(shown)  # their views still in the cache are written first
        weekly = self.weekly_counts(shown, weeks)
        views = dict(
            PaperDailyViews.objects.filter(paper_id__in=shown)
            .values("paper_id")
            .annotate(total=Sum("views"))
            .order_by()
            .values_list("paper_id", "total")
        )
        peak = max(weekly.values(), default=0) or 1
        papers = [
            PaperRow(
                title=row["paper__title"],
                views=views.get(row["paper_id"], 0),
                requests=row["requests"],
                downloads=row["downloads"],
                downloaded_requests=row["downloaded_requests"],
                weekly=bars(
                    weeks, [weekly.get((row["paper_id"], week), 0) for week in weeks], peak
                ),
            )
            for row in page
        ]
        return super().get_context_data(
            page_title="Rapport des demandes de livres blancs",
            header_icon="pick",
            papers=papers,
            page_obj=page,
            elided_page_range=paginator.get_elided_page_range(page.number),
            weeks=weeks,
            chart_height=CHART_HEIGHT,
            bar_width=BAR_WIDTH,
            chart_width=WEEKS * (BAR_WIDTH + 4),
            **kwargs,
        )

    def weekly_counts(self, paper_ids, weeks):
        """{(paper id, Monday): requests} of these papers over the weeks shown."""
        since = timezone.make_aware(datetime.combine(weeks[0], time.min))
        weekly = {}
        for row in (
            DownloadRequest.objects.filter(created_at__gte=since, paper_id__in=paper_ids)
            .annotate(week=TruncWeek("created_at"))
            .values("paper_id", "week")
            .annotate(count=Count("*"))
            .order_by()
        ):
            week = row["week"].date() if isinstance(row["week"], datetime) else row["week"]
            weekly[(row["paper_id"], week)] = row["count"]
        return weekly


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
