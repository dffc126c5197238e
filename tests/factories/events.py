import datetime

from django.utils import timezone

import factory
import wagtail_factories

from events.models import EventIndexPage, EventKind, EventPage, EventSession, Venue


def in_days(days):
    return timezone.localdate() + datetime.timedelta(days=days)


def session(days=30, start=(9, 0), end=(12, 0), **fields):
    """An unsaved session ``days`` from today (negative: in the past), 9 h – 12 h by default."""
    return EventSession(
        date=in_days(days),
        start_time=datetime.time(*start) if start else None,
        end_time=datetime.time(*end) if end else None,
        **fields,
    )


class EventKindFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Type {n}")
    slug = factory.Sequence(lambda n: f"type-{n}")

    class Meta:
        model = EventKind


class VenueFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Salle {n}")
    street = "85 rue de Bercy"
    postcode = "75012"
    city = "Paris"

    class Meta:
        model = Venue


class EventIndexPageFactory(wagtail_factories.PageFactory):
    title = "Agenda"
    slug = "agenda"

    class Meta:
        model = EventIndexPage


class EventPageFactory(wagtail_factories.PageFactory):
    """A live event with one session in a month; ``sessions=[session(...), …]`` for others."""

    title = factory.Sequence(lambda n: f"Événement {n}")
    kind = factory.SubFactory(EventKindFactory)
    venue = factory.SubFactory(VenueFactory)
    summary = "Un résumé."
    sessions = factory.LazyFunction(lambda: [session()])
    first_published_at = factory.LazyFunction(timezone.now)

    class Meta:
        model = EventPage
