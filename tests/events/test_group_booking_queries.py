"""A group booking's POST runs a number of queries that grows by a small constant per person:
each person's lead, registration and mail; the seats, the cap and the page are read once."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from events.models import Registration
from tests.factories.events import EventPageFactory, session
from tests.factories.publications import LeadFactory

from .test_group_booking import BOOKER, register_org, rows

# The booker alone (20 measured), and what each colleague adds at most (10 measured: their
# lead's five queries with the lead managers asked about a new lead, their registration, their
# mail's three with its savepoint, the lead managers asked about a registration).
BOOKER_BUDGET = 24
PER_COLLEAGUE = 10


@pytest.fixture
def event(agenda):
    event = EventPageFactory(
        parent=agenda,
        slug="atelier-requetes",
        registration_mode="site",
        capacity=500,
        seats_per_organisation=50,
        sessions=[session(days) for days in (10, 20, 30)],
    )
    register_org("Habitat Exemple", "habitat-exemple.fr")
    Registration.objects.bulk_create(
        Registration(event=event, lead=LeadFactory(), status="confirmed", consent_text="oui")
        for _ in range(100)
    )
    return event


def post_queries(client, event, colleagues):
    url = event.url + "inscription/"
    client.get(url)
    form = client.get(url).context["form"]
    data = {
        **BOOKER,
        "started": form["started"].value(),
        "is_member": "non",
        **rows(*colleagues),
    }
    with CaptureQueriesContext(connection) as context:
        response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    return len(context.captured_queries)


def colleagues(count):
    return [
        (f"Prénom{n}", f"Nom{n}", f"collegue{n}@habitat-exemple.fr", "Chargé de mission")
        for n in range(count)
    ]


@pytest.mark.parametrize("count", [0, 4])  # 1 and 5 people
def test_a_group_booking_s_queries_stay_within_a_per_person_budget(client, event, count):
    queries = post_queries(client, event, colleagues(count))

    assert queries <= BOOKER_BUDGET + PER_COLLEAGUE * count
    assert Registration.objects.filter(lead__email__endswith="habitat-exemple.fr").count() == (
        count + 1
    )


def thanks_url(client, event, booker_email, count):
    url = event.url + "inscription/"
    form = client.get(url).context["form"]
    data = {**BOOKER, "email": booker_email, "started": form["started"].value()}
    response = client.post(url, {**data, "is_member": "non", **rows(*colleagues(count))})
    client.get(response["Location"])  # warm the caches
    return response["Location"]


def test_the_thank_you_page_reads_everyone_at_once(client, event, django_assert_max_num_queries):
    alone = thanks_url(client, event, "seule@habitat-exemple.fr", 0)
    with CaptureQueriesContext(connection) as context:
        client.get(alone)
    budget = len(context.captured_queries)
    five = thanks_url(client, event, "marie@habitat-exemple.fr", 4)

    with django_assert_max_num_queries(budget):
        response = client.get(five)

    assert response.status_code == 200 and budget <= 10
    assert "Prénom3 Nom3" in response.content.decode()
