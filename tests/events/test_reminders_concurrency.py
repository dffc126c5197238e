"""Two workers running the reminders at the same moment, then a retry, send each reminder once:
the outbox's unique key refuses a second copy across connections. Threads on their own
connections, on PostgreSQL, through a real SMTP server."""

import datetime

from django.db import connection

import pytest

from contacts.models import OutboundEmail
from events import reminders, services
from tests.events.test_registration_concurrency import DETAILS, agenda  # noqa: F401 (fixture)
from tests.factories.events import EventPageFactory, session
from tests.publications.test_concurrency import run_together

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL) for real locks"
    ),
]

PEOPLE = 12


def test_two_workers_and_a_retry_send_each_reminder_once(agenda, smtp_inbox):  # noqa: F811
    event = EventPageFactory(
        parent=agenda,
        title="Atelier",
        registration_mode="site",
        sessions=[session(10, start=(9, 0)), session(11, start=(9, 0))],
    )
    for number in range(PEOPLE):
        services.register(
            event,
            details={**DETAILS, "email": f"personne{number}@oph-exemple.fr"},
            choice=services.Choice(is_member=True, price=None),
            consent_text="oui",
        )
    first = reminders.session_start(event.sessions.order_by("sort_order").first())
    # A day and a half before the first session: its 7-day and the second's 7-day reminders
    # are past, its 1-day one not yet; the latest due of each is owed.
    now = first - datetime.timedelta(hours=36)
    before = len(smtp_inbox.received())

    run_together(lambda _: reminders.send_due(now), 2)
    reminders.send_due(now + datetime.timedelta(minutes=10))  # the next run, or a retry

    queued = OutboundEmail.objects.filter(kind="events.session_reminder")
    assert queued.count() == 2 * PEOPLE
    assert queued.values("to", "subject").distinct().count() == 2 * PEOPLE
    received = smtp_inbox.received()[before:]
    assert len(received) == 2 * PEOPLE
    assert len({(m["To"], " ".join(str(m["Subject"]).split())) for m in received}) == 2 * PEOPLE
