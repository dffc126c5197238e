from wagtail.snippets.models import register_snippet

from .admin_datetime import register_widgets
from .viewsets import SharedContentGroup

register_snippet(SharedContentGroup)
register_widgets()
