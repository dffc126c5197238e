"""Group bookings under concurrency: many bookings of several people at once never oversell the
seats nor pass the cap per organisation, and a refused booking leaves nothing behind. Threads
on their own connections, on PostgreSQL."""

from django.db import connection

import pytest

from contacts.models import Lead
from events import services
from events.models import Registration
from tests.factories.events import EventPageFactory, session
from tests.publications.test_concurrency import run_together

from .test_registration_concurrency import DETAILS, agenda  # noqa: F401 - the fixture

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL) for real locks"
    ),
]

THREADS = 16
CHOICE = services.Choice(is_member=False, price=None)


def person(email):
    return {**DETAILS, "email": email}


def book(event, domain, number, size):
    """The booker ``number`` at ``domain`` and ``size - 1`` colleagues; refusals counted."""
    colleagues = [
        services.Person(person(f"collegue{number}-{n}@{domain}"), CHOICE) for n in range(size - 1)
    ]
    try:
        services.register(
            event,
            details=person(f"personne{number}@{domain}"),
            choice=CHOICE,
            consent_text="oui",
            colleagues=colleagues,
        )
    except services.RegistrationRefused:
        return False
    return True


def test_simultaneous_group_bookings_never_oversell_and_refuse_whole_bookings(agenda):  # noqa: F811
    event = EventPageFactory(
        parent=agenda, registration_mode="site", capacity=20, waiting_list=False
    )
    accepted = []

    # Each booking is 3 people of its own organisation: at most 6 bookings fit in 20 seats.
    run_together(lambda number: accepted.append(book(event, f"org{number}.fr", number, 3)), THREADS)

    confirmed = Registration.objects.confirmed().filter(event=event).count()
    assert confirmed == 3 * accepted.count(True) == 18
    assert not Registration.objects.waiting().exists()
    assert Lead.objects.count() == 18  # a refused booking stores no lead


def test_simultaneous_group_bookings_with_a_waiting_list_confirm_exactly_the_seats(agenda):  # noqa: F811
    event = EventPageFactory(parent=agenda, registration_mode="site", capacity=20)

    run_together(lambda number: book(event, f"org{number}.fr", number, 3), THREADS)

    assert Registration.objects.confirmed().filter(event=event).count() == 20
    assert Registration.objects.waiting().filter(event=event).count() == 3 * THREADS - 20


def test_simultaneous_bookings_of_one_organisation_never_pass_its_cap(agenda):  # noqa: F811
    event = EventPageFactory(
        parent=agenda,
        registration_mode="site",
        capacity=100,
        seats_per_organisation=5,
        sessions=[session(40)],
    )

    # Pairs from two organisations (by domain, the register knows neither) at once.
    run_together(
        lambda number: book(event, ("habitat-a.fr", "habitat-b.fr")[number % 2], number, 2),
        THREADS,
    )

    for domain in ("habitat-a.fr", "habitat-b.fr"):
        count = Registration.objects.filter(lead__email__endswith=f"@{domain}").count()
        assert count == 4  # pairs: 2 bookings of 2 fit under 5, a third would make 6


def test_crosswise_bookings_of_the_same_people_take_one_seat_each_without_deadlock(agenda):  # noqa: F811
    # Two events, so two locks: each booking locks its people's leads, in the same order
    # whoever books whom.
    events = [
        EventPageFactory(parent=agenda, registration_mode="site", capacity=50) for _ in range(2)
    ]
    marie, paul = person("marie@habitat-a.fr"), person("paul@habitat-a.fr")

    def crosswise(number):
        booker, colleague = (marie, paul) if number % 2 else (paul, marie)
        services.register(
            events[number % 2],
            details=booker,
            choice=CHOICE,
            consent_text="oui",
            colleagues=[services.Person(colleague, CHOICE)],
        )

    run_together(crosswise, THREADS)

    for event in events:
        assert Registration.objects.active().filter(event=event).count() == 2
    assert Lead.objects.count() == 2
