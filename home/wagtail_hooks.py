from wagtail.snippets.models import register_snippet

from . import admin_yes_no
from .viewsets import SharedContentGroup

register_snippet(SharedContentGroup)
admin_yes_no.register()
