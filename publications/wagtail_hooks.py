from wagtail import hooks
from wagtail.permissions import register_permission_policy

from .export_log import register_filters
from .filters import DownloadRequestFilterSet, ExportLogFilterSet, LeadFilterSet
from .models import DownloadRequest, ExportLog, Lead, WhitePaperPage, with_card_renditions
from .panels import LeadsPanel
from .permissions import ReadOnlyPermissionPolicy
from .viewsets import LeadsViewSetGroup

for model in (Lead, DownloadRequest, ExportLog):
    register_permission_policy(model, ReadOnlyPermissionPolicy(model))

# The export log puts these lists' filters into words.
register_filters(ExportLog.Dataset.DOWNLOAD_REQUESTS, DownloadRequestFilterSet)
register_filters(ExportLog.Dataset.LEADS, LeadFilterSet)
register_filters(ExportLog.Dataset.EXPORT_LOG, ExportLogFilterSet)


@hooks.register("register_admin_viewset")
def register_leads_viewsets():
    return LeadsViewSetGroup()


@hooks.register("construct_homepage_panels")
def add_leads_panel(request, panels):
    if request.user.has_perm("publications.view_downloadrequest"):
        panels.append(LeadsPanel())


@hooks.register("home_page_listings")
def latest_white_papers(today):
    """The home page's three latest white papers, with their cards' renditions."""
    return {
        "latest_white_papers": with_card_renditions(list(WhitePaperPage.objects.for_listing()[:3]))
    }
