"""Generated events for load tests: an agenda of past and upcoming events.

Called by ``manage.py generate_content --events N`` after the demo content is in place. Events
go in by batches, in bulk (``add_published_in_bulk``), with their sessions, their
speakers, prices and themes in bulk too: a thousand events take seconds, so that the query
budget tests can afford them. The derived dates and the calendar fingerprints are computed by
the same model methods as for an edited page. Numbered slugs (genere-<n>) make a second run add
only what is missing.
"""

import datetime
import time
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from wagtail.models import Page
from wagtail.search.backends import get_search_backends

from contacts.models import Person, Theme
from publications.generate import SLUG_PREFIX, SUBJECTS, missing_numbers, report

from .choices import AttendanceMode, EventStatus, RegistrationMode
from .demo import KINDS, PEOPLE, THEMES, VENUES
from .models import EventIndexPage, EventKind, EventPage, EventPrice, EventSession, Venue

BATCH_SIZE = 500
# Events spread over four years around today: about half past, half upcoming.
SPAN_DAYS = 4 * 365
MORNING = (datetime.time(9), datetime.time(12))
DAY = (datetime.time(9, 30), datetime.time(16, 30))


def add_published_in_bulk(parent, pages):
    """Adds live pages of one type below ``parent`` in a few queries, for thousands of generated
    pages: ``add_published`` costs some fifty queries a page, this about one.

    The tree paths are computed here; the Page rows go in with one bulk INSERT, the type's own
    rows with one raw INSERT each (as fixtures load: no signal handler acts on them), then the
    parent's child count and the search index are updated once. Left out compared with
    ``add_child``: revisions, the reference index (the admin's "usage" counts) and model
    validation, which the generators' fixed data do not need. Slugs, titles and publication
    dates are the caller's; child relations and many-to-many rows too, once this has given
    each page its id.
    """
    if not pages:
        return pages
    model = type(pages[0])
    parent = Page.objects.get(pk=parent.pk)  # the current numchild and path, not a stale copy
    last_child = parent.get_last_child()
    last_step = model._str2int(last_child.path[-model.steplen :]) if last_child else 0
    content_type = ContentType.objects.get_for_model(model)
    for offset, page in enumerate(pages, start=1):
        page.path = model._get_path(parent.path, parent.depth + 1, last_step + offset)
        page.depth = parent.depth + 1
        page.numchild = 0
        page.url_path = f"{parent.url_path}{page.slug}/"
        page.locale_id = parent.locale_id
        page.content_type = content_type
        page.draft_title = page.title
        page.live = True
        page.has_unpublished_changes = False
    base_pages = Page.objects.bulk_create(
        Page(
            **{field.attname: getattr(page, field.attname) for field in Page._meta.concrete_fields}
        )
        for page in pages
    )
    for page, base_page in zip(pages, base_pages, strict=True):
        page.id = page.pk = base_page.pk
        page.save_base(raw=True, force_insert=True)
    Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + len(pages))
    for backend in get_search_backends(with_auto_update=True):
        backend.add_bulk(model, pages)
    return pages


class References:
    """The kinds, venues, themes and speakers of the demo content, created if missing."""

    def __init__(self):
        self.kinds = [
            EventKind.objects.get_or_create(slug=slug, defaults={"name": name})[0]
            for name, slug in KINDS.values()
        ]
        self.venues = [
            Venue.objects.get_or_create(
                name=name, street=street, city=city, defaults={"postcode": postcode}
            )[0]
            for name, street, postcode, city in VENUES.values()
        ]
        self.themes = [
            Theme.objects.get_or_create(slug=slug, defaults={"name": name})[0]
            for slug, name in THEMES.items()
        ]
        self.people = [
            Person.objects.get_or_create(
                first_name=first, last_name=last, defaults={"job_title": job_title}
            )[0]
            for first, last, job_title in PEOPLE.values()
        ]


class GeneratedEvent:
    """One event and what goes in beside it: sessions (with speakers), prices, themes."""

    def __init__(self, number, today, refs):
        subject = SUBJECTS[number % len(SUBJECTS)]
        first_date = (
            today
            - datetime.timedelta(days=SPAN_DAYS // 2)
            + datetime.timedelta(days=(number * 37) % SPAN_DAYS)
        )
        online = number % 13 == 0
        published_at = timezone.now() - datetime.timedelta(hours=number)
        self.page = EventPage(
            slug=f"{SLUG_PREFIX}{number}",
            title=f"Événement généré n° {number} : {subject}",
            kind=refs.kinds[number % len(refs.kinds)],
            summary=f"Un événement généré pour les tests de charge, sur {subject}.",
            presentation=[
                ("heading", {"text": f"Pourquoi parler de {subject} ?", "level": "h3"}),
                (
                    "paragraph",
                    f"<p>Les membres du club partagent leurs expériences sur {subject} : "
                    "démarches engagées, difficultés rencontrées, résultats obtenus.</p>",
                ),
            ],
            audience="Directeurs et membres des comités de direction des organismes membres",
            status=status(number),
            venue=None if online or number % 5 == 0 else refs.venues[number % len(refs.venues)],
            venue_city="" if online else "Paris",
            attendance_mode=AttendanceMode.ONLINE if online else AttendanceMode.IN_PERSON,
            registration_mode=RegistrationMode.EXTERNAL,
            registration_url=f"https://www.example.org/inscription/{number}",
            is_full=number % 17 == 0,
            first_published_at=published_at,
            last_published_at=published_at,
        )
        self.themes = [
            refs.themes[number % len(refs.themes)],
            refs.themes[(number + 1) % len(refs.themes)],
        ]
        self.sessions = sessions(number, first_date)
        self.speakers = {
            index: refs.people[(number + index) % len(refs.people)]
            for index in range(len(self.sessions))
            if len(self.sessions) > 1
        }
        self.prices = [
            EventPrice(audience="Adhérent", amount=Decimal(100 + number % 5 * 100)),
            EventPrice(audience="Non-adhérent", amount=Decimal(300 + number % 5 * 100)),
        ]
        self.page.set_dates(self.sessions)


def status(number):
    if number % 23 == 0:
        return EventStatus.CANCELLED
    if number % 29 == 0:
        return EventStatus.POSTPONED
    return EventStatus.SCHEDULED


def sessions(number, first_date):
    """One day, or four monthly half-days for every fourth event (a cycle)."""
    if number % 4:
        start, end = DAY
        return [EventSession(date=first_date, start_time=start, end_time=end)]
    start, end = MORNING
    return [
        EventSession(
            title=f"Séance {index + 1} du cycle",
            date=first_date + datetime.timedelta(days=28 * index),
            start_time=start,
            end_time=end,
            description="<p>Retours d'expérience, échanges entre pairs et apports d'un expert.</p>",
        )
        for index in range(4)
    ]


def insert(agenda, events):
    """The pages in bulk, then every row that points at them."""
    add_published_in_bulk(agenda, [event.page for event in events])
    now = timezone.now()
    sessions, prices, themes = [], [], []
    for event in events:
        for order, session in enumerate(event.sessions):
            session.page, session.sort_order, session.changed_at = event.page, order, now
            session.fingerprint = session.calendar_fingerprint()
            sessions.append(session)
        for order, price in enumerate(event.prices):
            price.page, price.sort_order = event.page, order
            prices.append(price)
        themes += [
            EventPage.themes.through(eventpage=event.page, theme=theme) for theme in event.themes
        ]
    EventSession.objects.bulk_create(sessions)
    EventSession.speakers.through.objects.bulk_create(
        EventSession.speakers.through(eventsession=event.sessions[index], person=person)
        for event in events
        for index, person in event.speakers.items()
    )
    EventPrice.objects.bulk_create(prices)
    EventPage.themes.through.objects.bulk_create(themes)


def generate(options, stdout):
    count = options.get("events", 0)
    if not count:
        return
    started = time.monotonic()
    agenda = EventIndexPage.objects.get()
    refs = References()
    today = timezone.localdate()
    numbers = missing_numbers(agenda, count)
    for first in range(0, len(numbers), BATCH_SIZE):
        batch = numbers[first : first + BATCH_SIZE]
        with transaction.atomic():
            insert(agenda, [GeneratedEvent(number, today, refs) for number in batch])
        stdout.write(f"    {first + len(batch)}/{len(numbers)} événements")
    report(stdout, "événements", len(numbers), started)
