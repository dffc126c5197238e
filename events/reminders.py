"""Reminders before each séance: the days before set on the event (``reminder_days``, "7, 1"
by default), to every person whose seat at that séance is confirmed.

``send_due()`` is run by the worker's clock (``send_reminders``, every WORKER_REMINDERS_SECONDS)
and may run twice at once or again after a failure: each reminder is owed once per person,
séance and number of days, a unique key in the outbox (``once_key``), so the database refuses a
second copy whoever tries to queue it.

A reminder is due from its moment (the séance's start less the days) until the séance starts.
Only the latest due one is sent: a worker that was stopped for a week sends the day-before
reminder, not both. A person whose seat was confirmed after that moment got the confirmation
with everything in it, and gets the next reminder only.
"""

import datetime
import logging

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from . import mails
from .choices import RegistrationMode, RegistrationStatus, SessionStatus
from .dates import EVENT_TIME_ZONE
from .models import EventPage, Registration
from .reminder_days import LONGEST
from .services import cancel_url

logger = logging.getLogger(__name__)

NOT_HELD = [SessionStatus.CANCELLED, SessionStatus.POSTPONED]


def session_start(session):
    """When a session starts, in Paris: its start time, or the morning of its day."""
    return datetime.datetime.combine(
        session.date, session.start_time or datetime.time.min, tzinfo=EVENT_TIME_ZONE
    )


def due_offset(event, session, now):
    """The number of days of the reminder due now for ``session``, or None."""
    start = session_start(session)
    if start <= now:
        return None
    due = [days for days in event.reminder_offsets if now >= start - datetime.timedelta(days=days)]
    return min(due) if due else None


def when_label(session, now):
    """ "demain", "dans 7 jours", "aujourd'hui" (Paris days)."""
    days = (session.date - now.astimezone(EVENT_TIME_ZONE).date()).days
    if days <= 0:
        return "aujourd'hui"
    return "demain" if days == 1 else f"dans {days} jours"


def events_with_sessions_soon(now):
    today = now.astimezone(EVENT_TIME_ZONE).date()
    return (
        EventPage.objects.live()
        .filter(
            registration_mode=RegistrationMode.SITE,
            last_date__gte=today,
            first_date__lte=today + datetime.timedelta(days=LONGEST + 1),
        )
        .exclude(status__in=NOT_HELD)
        .exclude(reminder_days="")
        .select_related("venue")
    )


def send_due(now=None):
    """Queues every reminder due now that was not queued yet. Returns how many were queued."""
    now = now or timezone.now()
    queued = 0
    for event in events_with_sessions_soon(now):
        sessions = mails.event_sessions(event)
        for session in sessions:
            if session.status in NOT_HELD:
                continue
            days = due_offset(event, session, now)
            if days is not None:
                queued += _queue(event, session, days, now)
    if queued:
        logger.info("Queued %s reminder(s)", queued)
    return queued


def _queue(event, session, days, now):
    due_at = session_start(session) - datetime.timedelta(days=days)
    registrations = (
        Registration.objects.filter(
            event=event,
            status=RegistrationStatus.CONFIRMED,
            lead__isnull=False,
            confirmed_at__lte=due_at,
        )
        .filter(Q(session=session) | Q(session__isnull=True))
        .select_related("lead")
        .order_by("pk")
    )
    place = mails.place(event)
    line = mails.session_line(session)
    label = when_label(session, now)
    queued = 0
    for registration in registrations:
        context = {
            **mails.event_context(event),
            "first_name": registration.lead.first_name,
            "place": place,
            "price_label": registration.price_label,
            "accessibility_needs": registration.accessibility_needs,
            "cancel_url": cancel_url(registration.booking),
            "session": line,
            "days": days,
            "when_label": label,
        }
        # One transaction per mail: a failure halfway keeps what was queued, and the next run
        # queues the rest (the key refuses the others).
        with transaction.atomic():
            mail = mails.REMINDER.queue(
                to=registration.lead.email,
                context=context,
                once_key=f"events.reminder:{session.uid}:{days}:{registration.lead_id}",
            )
        queued += mail is not None
    return queued
