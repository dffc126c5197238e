"""Seats hold under concurrency for staff too: staff booking by phone, moving people and
confirming from the waiting list while the public registers for the last seats never
oversell. Threads on their own connections, on PostgreSQL."""

import contextlib

from django.db import connection

import pytest

from events import services, staff
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

THREADS = 12


@pytest.fixture
def agenda():
    from wagtail.models import Page

    from tests.factories.home import HomePageFactory

    home = HomePageFactory(parent=Page.get_first_root_node(), slug="accueil-staff-concurrence")
    return EventIndexPageFactory(parent=home, slug="agenda-staff-concurrence")


@pytest.fixture
def manager(django_user_model):
    return django_user_model.objects.create_user("gestionnaire-concurrence")


def details(number):
    return {
        "email": f"personne{number}@oph-exemple.fr",
        "first_name": "Marie",
        "last_name": f"Dupont {number}",
        "organisation": "OPH",
        "organisation_type": "oph",
        "job_title": "Directrice",
    }


def book(event, number, manager, sessions=()):
    """Half the threads are staff on the phone, half the public form; a refusal (full, no
    waiting list) is an answer, not an error."""
    choice = services.Choice(is_member=False, price=None, sessions=tuple(sessions))
    with contextlib.suppress(services.RegistrationRefused):
        if number % 2:
            staff.add(event, details=details(number), choice=choice, user=manager, note="tél.")
        else:
            services.register(event, details=details(number), choice=choice, consent_text="oui")


def test_staff_and_the_public_racing_for_the_last_seat_never_oversell(agenda, manager):
    event = EventPageFactory(
        parent=agenda, registration_mode="site", capacity=3, waiting_list=False
    )
    for number in range(2):  # one seat left
        book(event, 1000 + 2 * number, manager)

    run_together(lambda number: book(event, number, manager), THREADS)

    assert Registration.objects.confirmed().count() == 3
    assert not Registration.objects.waiting().exists()


def test_with_a_waiting_list_the_others_wait(agenda, manager):
    event = EventPageFactory(parent=agenda, registration_mode="site", capacity=4, waiting_list=True)

    run_together(lambda number: book(event, number, manager), THREADS)

    assert Registration.objects.confirmed().count() == 4
    assert Registration.objects.waiting().count() == THREADS - 4


def test_staff_moving_people_into_a_seance_while_the_public_books_it(agenda, manager):
    event = EventPageFactory(
        parent=agenda,
        registration_mode="site",
        registration_scope="session",
        capacity=3,
        waiting_list=False,
        sessions=[session(10, capacity=20), session(20)],
    )
    first, second = event.sessions.order_by("sort_order")
    movers = []
    for number in range(THREADS // 2):
        book(event, 2000 + 2 * number, manager, [first])
        movers.append(
            Registration.objects.get(lead__email=f"personne{2000 + 2 * number}@oph-exemple.fr")
        )

    def race(number):
        if number % 2:
            with contextlib.suppress(services.RegistrationRefused):
                staff.change(movers[number // 2].pk, user=manager, session=second)
        else:
            book(event, number, manager, [second])

    run_together(race, THREADS)

    assert Registration.objects.confirmed().filter(session=second).count() == 3
