from wagtail.snippets.models import register_snippet

from .viewsets import SharedContentGroup

register_snippet(SharedContentGroup)
