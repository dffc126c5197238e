"""The registration pages run the same number of queries with 10 registrations as with 200:
places left for every session come from one aggregate query."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from events.models import EventPrice, Registration
from tests.factories.events import EventPageFactory, session
from tests.factories.publications import LeadFactory

# Every public page in 10 queries or fewer (issue #8): the count of seats fits in it.
BUDGET = 10


@pytest.fixture
def events(agenda):
    whole = EventPageFactory(
        parent=agenda,
        slug="cycle",
        registration_mode="site",
        capacity=500,
        sessions=[session(days) for days in (10, 20, 30, 40)],
        prices=[EventPrice(audience="Adhérent", amount=500), EventPrice(audience="Autre")],
    )
    per_session = EventPageFactory(
        parent=agenda,
        slug="seances",
        registration_mode="site",
        registration_scope="session",
        capacity=500,
        sessions=[session(days) for days in (10, 20, 30, 40)],
    )
    return whole, per_session


def add_registrations(events, count):
    for event in events:
        sessions = list(event.sessions.all()) if event.registers_per_session else [None]
        Registration.objects.bulk_create(
            Registration(
                event=event,
                session=sessions[number % len(sessions)],
                lead=LeadFactory(),
                status="confirmed" if number % 3 else "waiting",
                consent_text="oui",
            )
            for number in range(count)
        )


def queries(client, url):
    client.get(url)  # warm the caches as a running server has them (the first request may
    client.get(url)  # create the site settings' row, which purges them)
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200, url
    return len(context.captured_queries)


URLS = [
    "/agenda/cycle/",
    "/agenda/cycle/inscription/",
    "/agenda/seances/",
    "/agenda/seances/inscription/",
]


def test_registration_pages_do_not_grow_with_registrations(client, events):
    add_registrations(events, 10)
    few = {url: queries(client, url) for url in URLS}

    add_registrations(events, 190)
    many = {url: queries(client, url) for url in URLS}

    assert many == few
    assert max(many.values()) <= BUDGET, many
    # The form costs no more than the event page it is a route of.
    assert many["/agenda/cycle/inscription/"] <= many["/agenda/cycle/"]
    assert many["/agenda/seances/inscription/"] <= many["/agenda/seances/"]


def test_the_event_page_adds_one_query_for_the_places(client, agenda, events):
    EventPageFactory(
        parent=agenda,
        slug="sans-inscription",
        sessions=[session(days) for days in (10, 20, 30, 40)],
    )
    without = queries(client, "/agenda/sans-inscription/")

    assert queries(client, "/agenda/seances/") == without + 1
