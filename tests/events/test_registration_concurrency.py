"""Seats hold under concurrency: with N places left and M > N simultaneous registrations,
exactly N are confirmed and M − N wait. Threads on their own connections, on PostgreSQL."""

from django.db import connection

import pytest

from events import services
from events.models import Registration
from tests.factories.events import EventIndexPageFactory, EventPageFactory, session
from tests.publications.test_concurrency import run_together

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL) for real locks"
    ),
]

THREADS = 30
PLACES = 7

DETAILS = {
    "first_name": "Marie",
    "last_name": "Dupont",
    "organisation": "OPH",
    "organisation_type": "oph",
    "job_title": "Directrice",
    "phone": "",
    "news_opt_in": False,
}


@pytest.fixture
def agenda():
    from wagtail.models import Page

    from tests.factories.home import HomePageFactory

    home = HomePageFactory(parent=Page.get_first_root_node(), slug="accueil-concurrence")
    return EventIndexPageFactory(parent=home, slug="agenda-concurrence")


def register(event, number, sessions=()):
    services.register(
        event,
        details={**DETAILS, "email": f"personne{number}@oph-exemple.fr"},
        choice=services.Choice(is_member=True, price=None, sessions=sessions),
        consent_text="oui",
    )


def test_n_places_and_m_simultaneous_registrations_confirm_exactly_n(agenda):
    event = EventPageFactory(parent=agenda, registration_mode="site", capacity=10)
    for number in range(10 - PLACES):  # three places already taken: seven left
        register(event, 1000 + number)

    run_together(lambda number: register(event, number), THREADS)

    assert Registration.objects.confirmed().count() == 10
    assert Registration.objects.waiting().count() == THREADS - PLACES


def test_per_session_seats_hold_too(agenda):
    event = EventPageFactory(
        parent=agenda,
        registration_mode="site",
        registration_scope="session",
        sessions=[session(10, capacity=PLACES), session(20, capacity=3)],
    )
    sessions = tuple(event.sessions.order_by("sort_order"))

    run_together(lambda number: register(event, number, sessions), THREADS)

    first, second = sessions
    assert Registration.objects.confirmed().filter(session=first).count() == PLACES
    assert Registration.objects.confirmed().filter(session=second).count() == 3
    assert Registration.objects.waiting().count() == 2 * THREADS - PLACES - 3


def test_simultaneous_cancellations_offer_each_seat_to_one_waiting_person(agenda):
    event = EventPageFactory(parent=agenda, registration_mode="site", capacity=5)
    for number in range(15):
        register(event, number)
    bookings = list(
        Registration.objects.confirmed().order_by("pk").values_list("booking", flat=True)
    )

    run_together(lambda index: services.cancel(bookings[index % len(bookings)]), 10)

    # The five seats freed are offered, and held, to the first five waiting.
    assert Registration.objects.filter(status="offered").count() == 5
    assert Registration.objects.filter(status="cancelled").count() == 5
    assert Registration.objects.waiting().count() == 5
