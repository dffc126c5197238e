"""What an event page says of its seats, filled in on every serve (a slot of the page cache,
pagecache): a registration, a cancellation or a promotion changes it without purging
any page, ours or a CDN's. The page itself, with what editors change, is kept until the
next purge; only the seats are counted per request, in one query."""

from django.db.models import Count
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import format_html

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


def _upcoming_pages(today):
    """The upcoming events registered on the site, with their sessions: two queries, once
    per purge and per day (only publishing changes them)."""
    from .choices import RegistrationMode
    from .models import EventPage, EventSession

    pages = {
        page.pk: page
        for page in EventPage.objects.live()
        .upcoming(today)
        .filter(registration_mode=RegistrationMode.SITE)
        .select_related("kind", "venue")
    }
    sessions = {pk: [] for pk in pages}
    for session in EventSession.objects.filter(page_id__in=pages).order_by("sort_order"):
        session.page = pages[session.page_id]
        sessions[session.page_id].append(session)
    return pages, sessions


def _card_labels(request):
    """What each upcoming event's card says of its seats, keyed by event id: every event
    counted in ONE query however many cards a page shows, once per request."""
    if "event_card_seats" not in request.__dict__:
        from .choices import HOLDING_SEAT, RegistrationState
        from .models import Registration

        today = timezone.localdate()
        pages, sessions = pagecache.versioned(
            f"upcoming-on-site:{today}", lambda: _upcoming_pages(today)
        )
        taken = {pk: {} for pk in pages}
        rows = (
            Registration.objects.filter(event_id__in=list(pages), status__in=HOLDING_SEAT)
            .order_by()
            .values_list("event_id", "session_id")
            .annotate(count=Count("pk"))
        )
        for event_id, session_id, count in rows:
            taken[event_id][session_id] = count
        labels = {}
        for pk, page in pages.items():
            places = page.places(sessions[pk], today, taken=taken[pk])
            state = page.registration_state(today, places)
            if state == RegistrationState.FULL:
                labels[pk] = ("Complet", True)
            elif state == RegistrationState.WAITING_LIST:
                labels[pk] = ("Complet – liste d'attente", True)
            elif state == RegistrationState.OPEN and None in places:
                labels[pk] = (places[None].label, False)
            elif state == RegistrationState.OPEN:
                labels[pk] = ("Places disponibles", False)
        request.__dict__["event_card_seats"] = labels
    return request.__dict__["event_card_seats"]


def card_slot(request, event_id):
    """A card's "12 places restantes" or "Complet" (a slot: PAGE_CACHE_SLOTS
    ["event-card-seats"]); nothing for a past event or one with no limit."""
    label, full = _card_labels(request).get(event_id, ("", False))
    if not label:
        return ""
    return format_html('<span class="places{}">{}</span>', " places-full" if full else "", label)


def sticky_cta_slot(request, event_id):
    """The phone's bar that keeps the call to register in sight (a slot:
    PAGE_CACHE_SLOTS["event-cta"]): from the seats the "Inscription" block counted."""
    page, places, state = _live(request, event_id)
    return render_to_string(
        "events/includes/sticky_cta.html", context(page, places, state), request=request
    )
