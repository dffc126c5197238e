from datetime import timedelta

from django.db.models import Count, Q
from django.utils import timezone

from wagtail.admin.ui.components import Component

from .models import DownloadRequest


class LeadsPanel(Component):
    """The admin home's panel for lead managers: requests per paper, 30 days and in all."""

    name = "leads"
    order = 50
    template_name = "publications/admin/leads_panel.html"
    max_papers = 10

    def get_context_data(self, parent_context):
        since = timezone.now() - timedelta(days=30)
        papers = (
            DownloadRequest.objects.values("paper_title")
            .annotate(total=Count("pk"), recent=Count("pk", filter=Q(created_at__gte=since)))
            .order_by("-recent", "-total")[: self.max_papers]
        )
        return {"papers": list(papers)}
