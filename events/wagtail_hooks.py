from wagtail import hooks
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from contacts.export_log import register_filters
from contacts.models import ExportLog
from contacts.permissions import ReadOnlyPermissionPolicy

from .admin_filters import RegistrationFilterSet
from .models import EventIndexPage, EventPage, Registration
from .viewsets import EventReferenceGroup, RegistrationViewSet

register_snippet(EventReferenceGroup)
# Read and export only, like the leads: nobody adds or edits a registration by hand.
register_permission_policy(Registration, ReadOnlyPermissionPolicy(Registration))
# The export log puts the registrations' filters into words.
register_filters(ExportLog.Dataset.REGISTRATIONS, RegistrationFilterSet)


@hooks.register("register_admin_viewset")
def register_registrations_viewset():
    return RegistrationViewSet()


@hooks.register("home_page_listings")
def next_events(today):
    """The home page's agenda link and its next three events."""
    return {
        "agenda": EventIndexPage.objects.live().first(),
        "next_events": list(
            EventPage.objects.for_listing().upcoming(today).in_agenda_order(today)[:3]
        ),
    }
