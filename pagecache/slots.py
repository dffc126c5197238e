"""Slots: what is per visitor (or live) in a cached page, filled anew in every response.

A view renders ``slot("csrf")`` … in place of a visitor's CSRF token, form start time or
referrer; the cache keeps the page with its markers, and every response, hit or miss, fills
them for the visitor at hand (settings.PAGE_CACHE_SLOTS: a name → a callable that takes the
request, and the marker's number when it has one, such as an event's id for its seats).
"""

import re

from django.utils.html import conditional_escape

SLOT_PREFIX = b"__page_slot_"
SLOT_MARKER = re.compile(rb"__page_slot_([a-z-]+)(?::([0-9]+))?__")


def slot(name, arg=None):
    """The marker a template renders where a per-visitor (or live) value goes: settings'
    PAGE_CACHE_SLOTS names the callable that fills it, called with the request, and ``arg``
    (a number, such as a page's id) when given. Its value is escaped unless it is safe HTML."""
    return f"__page_slot_{name}__" if arg is None else f"__page_slot_{name}:{int(arg)}__"


def full_path(request):
    """The address asked for, query string included (a form's action, as a slot)."""
    return request.get_full_path()


def has_slots(content):
    return SLOT_PREFIX in content


def fill(request, content, fillers):
    """``content`` with its slots filled by ``fillers`` (marker name → callable), and the
    values of those that take an argument (live values, such as an event's seats: part of the
    ETag)."""
    if SLOT_PREFIX not in content:
        return content, b""
    values = {}  # each marker's value computed once per response

    def value(match):
        if match[0] not in values:
            filler = fillers.get(match[1])
            if filler is None:
                return match[0]
            arg = [] if match[2] is None else [int(match[2])]
            values[match[0]] = conditional_escape(filler(request, *arg)).encode()
        return values[match[0]]

    content = SLOT_MARKER.sub(value, content)
    return content, b"".join(v for marker, v in sorted(values.items()) if b":" in marker)
