"""A transfer keeps the seat count: a colleague confirms the seat handed to them while others
register for the last seats; the seats confirmed never pass the capacity and the colleague
holds the seat as it was. Threads on their own connections, on PostgreSQL."""

from django.db import connection

import pytest

from events import self_service, services
from events.models import Registration, SeatTransfer
from tests.events.test_registration_concurrency import DETAILS, agenda, register  # noqa: F401
from tests.factories.events import EventPageFactory
from tests.publications.test_concurrency import run_together

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL) for real locks"
    ),
]

THREADS = 12
CAPACITY = 10


def test_a_transfer_confirmed_while_others_take_the_last_seats_keeps_the_count(agenda):  # noqa: F811
    event = EventPageFactory(parent=agenda, registration_mode="site", capacity=CAPACITY)
    for number in range(CAPACITY - 2):  # eight seats taken, plus Anne's: one left
        register(event, 1000 + number)
    (anne,) = services.register(
        event,
        details={**DETAILS, "email": "anne@oph-exemple.fr"},
        choice=services.Choice(is_member=True, price=None),
        consent_text="oui",
    )
    transfer = self_service.ask_transfer(
        anne.booking, first_name="Dominique", last_name="Petit", email="dom@oph-exemple.fr"
    )

    def act(number):
        if number == 0:
            moved = self_service.confirm_transfer(
                transfer.public_id,
                details={**DETAILS, "first_name": "Dominique", "last_name": "Petit"},
                consent_text="oui, Dominique",
            )
            assert moved is not None
        else:
            register(event, number)

    run_together(act, THREADS)

    assert Registration.objects.confirmed().filter(event=event).count() == CAPACITY
    assert Registration.objects.waiting().filter(event=event).count() == THREADS - 2
    seat = Registration.objects.select_related("lead").get(pk=anne.pk)
    assert seat.lead.email == "dom@oph-exemple.fr" and seat.status == "confirmed"
    assert SeatTransfer.objects.get().status == SeatTransfer.Status.CONFIRMED


def test_a_confirmation_sent_twice_at_once_moves_the_seat_once(agenda):  # noqa: F811
    event = EventPageFactory(parent=agenda, registration_mode="site", capacity=2)
    (anne,) = services.register(
        event,
        details={**DETAILS, "email": "anne@oph-exemple.fr"},
        choice=services.Choice(is_member=True, price=None),
        consent_text="oui",
    )
    transfer = self_service.ask_transfer(
        anne.booking, first_name="Dominique", last_name="Petit", email="dom@oph-exemple.fr"
    )
    results = []

    def act(_number):
        results.append(
            self_service.confirm_transfer(
                transfer.public_id, details=dict(DETAILS), consent_text="oui"
            )
        )

    run_together(act, 4)

    assert sum(result is not None for result in results) == 1
    assert Registration.objects.filter(event=event).count() == 1
    assert Registration.objects.get().lead.email == "dom@oph-exemple.fr"
