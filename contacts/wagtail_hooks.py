from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from .export_log import register_filters
from .filters import ExportLogFilterSet, LeadFilterSet
from .models import ExportLog, Lead, OutboundEmail
from .permissions import ReadOnlyPermissionPolicy
from .viewsets import SharedContentGroup

register_snippet(SharedContentGroup)

for model in (Lead, ExportLog, OutboundEmail):
    register_permission_policy(model, ReadOnlyPermissionPolicy(model))

# The export log puts these lists' filters into words. The lists themselves are in the
# "Leads" menu, which publications assembles with its download requests.
register_filters(ExportLog.Dataset.LEADS, LeadFilterSet)
register_filters(ExportLog.Dataset.EXPORT_LOG, ExportLogFilterSet)
