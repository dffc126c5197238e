"""The agenda, an event page and the feeds run the same number of queries with 10 events or
with 1 000, and 10 or fewer: nothing is fetched once per event or per session."""

import io

from django.db import connection
from django.test.utils import CaptureQueriesContext

from events import generate
from events.choices import OrganisationRole, PersonRole
from events.models import EventOrganisation, EventPage, EventPerson, EventPrice, EventRelatedPaper
from tests.factories.events import EventPageFactory, session
from tests.factories.home import OrganisationFactory, PersonFactory

URLS = [
    "/",
    "/agenda/",
    "/agenda/?page=3",
    "/agenda/?type=journee-debat",
    "/agenda/?annee=2026",
    "/agenda/genere-4/",  # a generated cycle: four sessions with their speakers
    "/agenda/complet/",
    "/agenda/complet/calendrier/",
    "/agenda/calendrier/",
    "/agenda/rss/",
]
BUDGET = 10


def add_events(count):
    generate.generate({"events": count}, io.StringIO())


def queries(client, url):
    # Warm the caches as a running server has them: the first request may create the site
    # settings' row (which purges), the second fills what pages share.
    client.get(url)
    client.get(url)
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200, url
    return len(context.captured_queries)


def full_event(agenda, paper):
    """An event with something in every inline: people, organisations, prices, a paper."""
    speakers = [PersonFactory() for _ in range(3)]
    event = EventPageFactory(
        parent=agenda,
        slug="complet",
        sessions=[session(days, speakers=speakers) for days in (10, 20, 30)],
        people=[EventPerson(person=PersonFactory(), role=PersonRole.KEY_WITNESS)],
        organisations=[
            EventOrganisation(organisation=OrganisationFactory(), role=role)
            for role in OrganisationRole
        ],
        prices=[EventPrice(audience="Adhérent", amount=500), EventPrice(audience="Autre")],
    )
    EventRelatedPaper.objects.create(page=event, paper=paper)
    return event


def test_pages_and_feeds_do_not_grow_with_the_number_of_events(client, agenda, paper):
    full_event(agenda, paper)
    add_events(10)
    few = {url: queries(client, url) for url in URLS}

    add_events(1000)
    many = {url: queries(client, url) for url in URLS}

    assert EventPage.objects.count() == 1001
    assert many == few
    assert max(many.values()) <= BUDGET, many
