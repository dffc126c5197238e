"""What an event page says of its seats, filled in on every serve (a slot of the page cache,
pagecache): a registration, a cancellation or a promotion changes it without purging
any page, ours or a CDN's. The page itself, with what editors change, is kept until the
next purge; only the seats are counted per request, in one query."""

from django.template.loader import render_to_string
from django.utils import timezone

import pagecache

from .structured_data import SCHEMA


def remember(request, page, places, state):
    """What the page's render just counted: its slots, filled in the same request, reuse it."""
    request.__dict__.setdefault("event_seats", {})[page.pk] = (page, places, state)


def _live(request, event_id):
    """(page, places, state) of the event, read once per request however many slots ask."""
    from .models import EventPage

    memo = request.__dict__.setdefault("event_seats", {})
    if event_id not in memo:
        page = pagecache.versioned(
            f"event-for-seats:{event_id}", lambda: EventPage.for_serving(event_id)
        )
        sessions = pagecache.page_data(request, page, page.shown_content)["sessions"]
        today = timezone.localdate()
        places = page.places(sessions, today)
        memo[event_id] = (page, places, page.registration_state(today, places))
    return memo[event_id]


def context(page, places, state):
    """What templates/events/includes/registration.html reads."""
    return {
        "page": page,
        "registration_state": state,
        "places": places,
        "whole_event_places": places.get(None),
        "session_places": [seats for key, seats in places.items() if key is not None],
        "registration_path": page.reverse_subpage("register"),
    }


def registration_slot(request, event_id):
    """The page's "Inscription" block (a slot: PAGE_CACHE_SLOTS["event-registration"])."""
    page, places, state = _live(request, event_id)
    return render_to_string(
        "events/includes/registration.html", context(page, places, state), request=request
    )


def availability_slot(request, event_id):
    """schema.org's availability of its offers (PAGE_CACHE_SLOTS["event-availability"])."""
    _page, _places, state = _live(request, event_id)
    return SCHEMA + ("SoldOut" if state in ("full", "waiting_list") else "InStock")
