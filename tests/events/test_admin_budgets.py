"""The registrations' listing and an event's editor at scale (issue #25): at most 20 queries
for the listing, the same with many rows as with a few; the editor of an event costs the
same whatever the number of registrations."""

from django.contrib.auth.models import Group

import pytest

from contacts.models import Lead
from events.models import Registration
from tests.factories.events import EventPageFactory

BUDGET = 20
PASSWORD = "un mot de passe assez long"
HOSTILE = [{"event": "\x00"}, {"event": "9" * 30}, {"p": "\x00"}, {"q": "\u202e" * 2000}]


@pytest.fixture
def lead_manager(client, django_user_model):
    user = django_user_model.objects.create_user("gestionnaire", password=PASSWORD)
    user.groups.add(Group.objects.get(name="Gestionnaires de leads"))
    client.force_login(user)
    return client


def add_registrations(events, count, start=0):
    leads = Lead.objects.bulk_create(
        Lead(
            email=f"inscrit{number}@echelle.fr",
            first_name="Sacha",
            last_name=f"Échelle {number}",
            organisation="Office",
            organisation_type="oph",
            job_title="Directrice",
        )
        for number in range(start, start + count)
    )
    Registration.objects.bulk_create(
        Registration(
            event=events[number % len(events)],
            lead=lead,
            status="cancelled" if number % 5 == 0 else "confirmed",
            consent_text="oui",
        )
        for number, lead in enumerate(leads)
    )


def queries(client, url, django_assert_max_num_queries, budget=BUDGET):
    client.get(url)  # what a first view does once (a user's profile…) is not counted
    with django_assert_max_num_queries(budget) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context), response


@pytest.mark.parametrize("url", ["/admin/inscriptions/", "/admin/inscriptions/?event={event}"])
def test_registrations_cost_the_same_with_three_times_the_rows(
    lead_manager, agenda, django_assert_max_num_queries, url
):
    events = [EventPageFactory(parent=agenda) for _ in range(2)]
    url = url.format(event=events[0].pk)
    add_registrations(events, 60)
    few, _ = queries(lead_manager, url, django_assert_max_num_queries)

    events += [EventPageFactory(parent=agenda) for _ in range(4)]
    add_registrations(events, 180, start=60)
    many, response = queries(lead_manager, url, django_assert_max_num_queries)

    assert many == few
    assert "Sacha" in response.content.decode()


@pytest.mark.parametrize("params", HOSTILE)
def test_hostile_query_strings_break_nothing(
    lead_manager, agenda, django_assert_max_num_queries, params
):
    add_registrations([EventPageFactory(parent=agenda)], 3)

    with django_assert_max_num_queries(BUDGET):
        response = lead_manager.get("/admin/inscriptions/", params)

    assert response.status_code in (200, 400)


def test_an_events_editor_costs_the_same_whatever_its_registrations(
    client, django_user_model, agenda, django_assert_max_num_queries
):
    client.force_login(django_user_model.objects.create_superuser("admin", password=PASSWORD))
    event = EventPageFactory(parent=agenda, title="Le grand atelier")
    url = f"/admin/pages/{event.pk}/edit/"
    add_registrations([event], 5)
    few, response = queries(client, url, django_assert_max_num_queries, budget=80)
    assert "Le grand atelier" in response.content.decode()

    add_registrations([event], 100, start=5)
    many, _ = queries(client, url, django_assert_max_num_queries, budget=80)

    assert many == few
