"""Waiting-list offers hold under concurrency, on PostgreSQL: seats freed at the same moment make
one offer each and never more offers and confirmations than seats; an expired offer passes to
the next person exactly once, however many workers run the job at the same time."""

import datetime
import io

from django.core.management import call_command
from django.db import connection
from django.utils import timezone

import pytest

from contacts.models import OutboundEmail
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

HELD = ("confirmed", "offered")


@pytest.fixture
def agenda():
    from wagtail.models import Page

    from tests.factories.home import HomePageFactory

    home = HomePageFactory(parent=Page.get_first_root_node(), slug="accueil-offres")
    return EventIndexPageFactory(parent=home, slug="agenda-offres")


def register(event, number):
    (registration,) = services.register(
        event,
        details={
            "first_name": "Marie",
            "last_name": f"Dupont {number}",
            "email": f"personne{number}@oph-exemple.fr",
            "organisation": "OPH",
            "organisation_type": "oph",
            "job_title": "Directrice",
            "phone": "",
            "news_opt_in": False,
        },
        choice=services.Choice(is_member=True, price=None),
        consent_text="oui",
    )
    return registration


def full_event(agenda, seats, waiting):
    event = EventPageFactory(
        parent=agenda, registration_mode="site", capacity=seats, sessions=[session()]
    )
    confirmed = [register(event, number) for number in range(seats)]
    for number in range(seats, seats + waiting):
        register(event, number)
    return event, confirmed


def test_two_seats_freed_at_once_make_two_offers_and_never_oversell(agenda):
    event, confirmed = full_event(agenda, seats=3, waiting=6)
    first_waiting = list(Registration.objects.waiting().values_list("pk", flat=True)[:2])

    # Two people cancel at the same moment, while newcomers register.
    def act(index):
        if index < 2:
            services.cancel(confirmed[index].booking)
        else:
            register(event, 100 + index)

    run_together(act, 6)

    assert Registration.objects.filter(event=event, status__in=HELD).count() == 3
    offered = Registration.objects.filter(event=event, status="offered")
    assert sorted(offered.values_list("pk", flat=True)) == sorted(first_waiting)
    assert OutboundEmail.objects.filter(kind="events.seat_offered").count() == 2
    # Newcomers wait behind: the seats offered are held.
    assert Registration.objects.filter(event=event, status="waiting").count() == 4 + 4


def test_an_expired_offer_passes_to_the_next_person_exactly_once_with_two_workers(agenda):
    event, confirmed = full_event(agenda, seats=2, waiting=5)
    for registration in confirmed:
        services.cancel(registration.booking)
    offered = list(Registration.objects.filter(status="offered").values_list("pk", flat=True))
    Registration.objects.filter(pk__in=offered).update(
        offer_expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )

    run_together(lambda _index: call_command("expire_offers", stdout=io.StringIO()), 2)

    assert set(Registration.objects.filter(pk__in=offered).values_list("status", flat=True)) == {
        "cancelled"
    }
    now_offered = Registration.objects.filter(event=event, status="offered")
    assert now_offered.count() == 2
    assert Registration.objects.filter(event=event, status__in=HELD).count() == 2
    assert Registration.objects.filter(event=event, status="waiting").count() == 1
    assert OutboundEmail.objects.filter(kind="events.seat_offered").count() == 4


def test_accepting_while_the_offer_expires_gives_the_seat_once(agenda):
    event, confirmed = full_event(agenda, seats=1, waiting=2)
    services.cancel(confirmed[0].booking)
    offered = Registration.objects.get(status="offered")
    Registration.objects.filter(pk=offered.pk).update(
        offer_expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )

    def act(index):
        if index % 2:
            services.accept_offer(offered.public_id)
        else:
            services.expire_offers()

    run_together(act, 4)

    assert Registration.objects.get(pk=offered.pk).status == "cancelled"
    assert Registration.objects.filter(event=event, status__in=HELD).count() == 1
    assert OutboundEmail.objects.filter(kind="events.registration_promoted").count() == 0
