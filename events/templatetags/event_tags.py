import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.safestring import mark_safe

register = template.Library()

# As Django's json_script: nothing in the data can close the script element or open a comment.
JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.filter
def json_ld(data):
    """Structured data as ``<script type="application/ld+json">``: a data block, never run,
    so the site's Content-Security-Policy (no inline script) has nothing to object to."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(JSON_ESCAPES)
    # Safe: the JSON escapes above leave no "<", ">" or "&" to break out of the element.
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308  # nosec
