"""The identity's pieces that templates draw: the wordmark."""

import re
from functools import cache

from django import template
from django.contrib.staticfiles import finders
from django.utils.safestring import mark_safe

register = template.Library()

WORDMARK = "img/wordmark.svg"


@cache
def _inline_wordmark():
    """static/img/wordmark.svg as markup to inline: drawn with the page's font (an <img> could
    not load it) and hidden from assistive technology, since the link around it carries the
    club's name. Read once per process: the file changes only with a deploy."""
    with open(finders.find(WORDMARK), encoding="utf-8") as svg:
        markup = svg.read()
    markup = re.sub(r"<!--.*?-->\s*", "", markup, flags=re.DOTALL)
    markup = re.sub(r"<title[^>]*>.*?</title>\s*", "", markup, flags=re.DOTALL)
    return markup.replace(
        'role="img" aria-labelledby="wordmark-title"', 'aria-hidden="true" focusable="false"'
    ).strip()


@register.simple_tag
def wordmark():
    # Safe: our own static file, no visitor's or editor's text in it.
    return mark_safe(_inline_wordmark())  # noqa: S308  # nosec
