from wagtail import hooks
from wagtail.permissions import register_permission_policy

from contacts.export_log import register_filters
from contacts.models import ExportLog
from contacts.permissions import ReadOnlyPermissionPolicy

from .filters import DownloadRequestFilterSet
from .models import DownloadRequest, WhitePaperPage, with_card_renditions
from .panels import LeadsPanel
from .viewsets import LeadsViewSetGroup

register_permission_policy(DownloadRequest, ReadOnlyPermissionPolicy(DownloadRequest))

# The export log puts the requests list's filters into words.
register_filters(ExportLog.Dataset.DOWNLOAD_REQUESTS, DownloadRequestFilterSet)


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
