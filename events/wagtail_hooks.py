from wagtail.snippets.models import register_snippet

from .viewsets import EventReferenceGroup

register_snippet(EventReferenceGroup)
