from wagtail import hooks
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from publications.permissions import ReadOnlyPermissionPolicy

from .models import Registration
from .viewsets import EventReferenceGroup, RegistrationViewSet

register_snippet(EventReferenceGroup)
# Read and export only, like the leads: nobody adds or edits a registration by hand.
register_permission_policy(Registration, ReadOnlyPermissionPolicy(Registration))


@hooks.register("register_admin_viewset")
def register_registrations_viewset():
    return RegistrationViewSet()
