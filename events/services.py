"""What happens once a registration form is valid: take the seats or join the waiting list,
mail the confirmation with the event's calendar, cancel through a signed link and hand the
freed seat to the first person waiting.

Seats hold under concurrency: every change to an event's registrations locks the event's row
(``select_for_update``) for the length of its transaction, counts the confirmed seats, then
confirms or puts on the waiting list. On SQLite the IMMEDIATE transactions do the same.
Mails go through the outbox (contacts.outbox), written in the same transaction: a mail server that
is down delays them and loses none.
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from contacts import mail, outbox
from contacts.services import save_lead
from contacts.signals import registration_made

from .calendar import CONTENT_TYPE, build_calendar, calendar_entries
from .choices import RegistrationStatus
from .models import EventPage, Registration
from .models.inlines import number_sessions

logger = logging.getLogger(__name__)

_CANCEL_SALT = "events.registration-cancel"
_BOOKING_SALT = "events.registration-booking"


class RegistrationRefused(Exception):
    """Nothing was stored: the message says why, in French, for the form."""


FULL_NO_WAITING_LIST = "Il n'y a plus de place et cet événement n'a pas de liste d'attente."
CLOSED = "Les inscriptions à cet événement sont closes."


@dataclass(frozen=True)
class Choice:
    """What the visitor chose in the form, besides who they are."""

    is_member: bool
    price: object  # an EventPrice, or None when the event has no price to choose
    sessions: tuple = ()  # the sessions chosen, for a registration per session
    accessibility_needs: str = ""
    comment: str = ""


def register(event, *, details, choice, consent_text, page_url=""):
    """Stores the lead and one registration per seat, confirmed while seats are left, on the
    waiting list after that. Returns the booking's registrations.

    A second submission by the same person (a double click, a retry) takes no second seat: the
    seats they already hold are returned as they are.
    """
    with transaction.atomic():
        event = EventPage.objects.select_for_update(of=("self",)).get(pk=event.pk)
        lead = save_lead(details)
        seats = list(choice.sessions) if event.registers_per_session else [None]
        held = {
            registration.session_id: registration
            for registration in Registration.objects.active().filter(event=event, lead=lead)
        }
        wanted = [seat for seat in seats if _key(seat) not in held]
        if not wanted:
            return [held[_key(seat)] for seat in seats]

        taken = Registration.objects.confirmed_counts(event)
        now = timezone.now()
        registrations = []
        for seat in wanted:
            capacity = _capacity(event, seat)
            has_room = capacity is None or taken.get(_key(seat), 0) < capacity
            if not has_room and not event.waiting_list:
                raise RegistrationRefused(FULL_NO_WAITING_LIST)
            status = RegistrationStatus.CONFIRMED if has_room else RegistrationStatus.WAITING
            if has_room:
                taken[_key(seat)] = taken.get(_key(seat), 0) + 1
            registrations.append(
                Registration(
                    event=event,
                    session=seat,
                    lead=lead,
                    status=status,
                    confirmed_at=now if has_room else None,
                    is_member=choice.is_member,
                    price=choice.price,
                    price_label=str(choice.price) if choice.price else "",
                    accessibility_needs=choice.accessibility_needs,
                    comment=choice.comment,
                    consent_text=consent_text,
                    page_url=page_url[:500],
                )
            )
        booking = registrations[0].booking
        for registration in registrations:
            registration.booking = booking
            registration.save()
        queue_confirmation(event, lead, registrations)
        tell_staff(event, lead, registrations)
    return registrations


def tell_staff(event, lead, registrations):
    """The lead managers who asked to hear of each registration at once are mailed
    (contacts.notifications, through the signal: contacts never imports events)."""
    registration_made.send(
        sender=Registration,
        lead=lead,
        title=event.title,
        details=[f"{r.seat_label} : {r.get_status_display().lower()}" for r in registrations],
        key=str(registrations[0].booking),
        admin_url=mail.site_url(f"{reverse('inscriptions:index')}?event={event.pk}"),
    )


def cancel(booking):
    """Cancels a booking's seats and gives each freed seat to the first person waiting for it,
    who is mailed. Idempotent: cancelling again changes nothing. Returns the seats cancelled."""
    with transaction.atomic():
        event_id = (
            Registration.objects.filter(booking=booking).values_list("event_id", flat=True).first()
        )
        if event_id is None:
            return []
        event = EventPage.objects.select_for_update(of=("self",)).get(pk=event_id)
        cancelled = list(Registration.objects.active().filter(booking=booking))
        now = timezone.now()
        for registration in cancelled:
            was_confirmed = registration.status == RegistrationStatus.CONFIRMED
            registration.status = RegistrationStatus.CANCELLED
            registration.cancelled_at = now
            registration.save(update_fields=["status", "cancelled_at"])
            if was_confirmed:
                promote_first_waiting(event, registration.session)
    logger.info("Cancelled %s seat(s) of booking %s", len(cancelled), booking)
    return cancelled


def promote_first_waiting(event, session):
    """Within the caller's locked transaction: the first person waiting for this seat gets it,
    if there is room, and is told by mail."""
    capacity = _capacity(event, session)
    taken = Registration.objects.confirmed_counts(event).get(_key(session), 0)
    if capacity is not None and taken >= capacity:
        return None
    first = (
        Registration.objects.waiting()
        .filter(event=event, session=session, lead__isnull=False)
        .select_related("lead", "session")
        .first()
    )
    if first is None:
        return None
    first.status = RegistrationStatus.CONFIRMED
    first.confirmed_at = timezone.now()
    first.save(update_fields=["status", "confirmed_at"])
    queue_promotion(event, first)
    return first


def fill_from_waiting_list(event):
    """After an editor adds places (or a session's), the people waiting get them, first come
    first served, and are mailed. Returns the registrations promoted."""
    if not event.registers_on_site:
        return []
    promoted = []
    with transaction.atomic():
        event = EventPage.objects.select_for_update(of=("self",)).get(pk=event.pk)
        waiting_for = set(
            Registration.objects.waiting().filter(event=event).values_list("session_id", flat=True)
        )
        seats = {None: None} if None in waiting_for else {}
        seats.update((session.pk, session) for session in event.sessions.filter(pk__in=waiting_for))
        for session in seats.values():
            while (registration := promote_first_waiting(event, session)) is not None:
                promoted.append(registration)
    if promoted:
        logger.info("Promoted %s waiting registration(s) for %s", len(promoted), event.pk)
    return promoted


def _key(session):
    return None if session is None else session.pk


def _capacity(event, session):
    if session is not None and session.capacity is not None:
        return session.capacity
    return event.capacity


# --- Signed links -------------------------------------------------------------------------------


def make_cancel_token(booking):
    return signing.dumps(str(booking), salt=_CANCEL_SALT)


def read_cancel_token(token):
    """The booking a cancel link was made for, or None for an altered link."""
    try:
        return signing.loads(token, salt=_CANCEL_SALT)
    except signing.BadSignature:
        return None


def cancel_url(booking):
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(
        "events:cancel_registration", args=[make_cancel_token(booking)]
    )


def make_booking_token(booking):
    """For the thank-you page: which booking to show, to the visitor who made it."""
    return signing.dumps(str(booking), salt=_BOOKING_SALT)


def read_booking_token(token, max_age):
    try:
        return signing.loads(token, salt=_BOOKING_SALT, max_age=max_age)
    except signing.BadSignature:
        return None


# --- Mail ---------------------------------------------------------------------------------------


def _calendar_attachment(event, registrations):
    """The .ics of the seats confirmed: the event's sessions, or the sessions booked."""
    sessions = number_sessions(event.sessions.order_by("sort_order"))
    booked = {registration.session_id for registration in registrations}
    if None not in booked:
        sessions = [session for session in sessions if session.pk in booked]
    url = event.full_url or ""
    content = build_calendar(calendar_entries(sessions, url=url), name=event.title)
    return outbox.attachment(f"{event.slug}.ics", content.decode(), CONTENT_TYPE)


def queue_confirmation(event, lead, registrations):
    """The mail after a registration: what is confirmed, what waits, the calendar of what is
    confirmed, and the link to cancel."""
    confirmed = [r for r in registrations if r.status == RegistrationStatus.CONFIRMED]
    waiting = [r for r in registrations if r.status == RegistrationStatus.WAITING]
    context = {
        "event": event,
        "lead": lead,
        "confirmed": confirmed,
        "waiting": waiting,
        "cancel_url": cancel_url(registrations[0].booking),
        "event_url": event.full_url,
    }
    subject = (
        f"Inscription confirmée : {event.title}"
        if confirmed
        else f"Liste d'attente : {event.title}"
    )
    return outbox.queue(
        to=lead.email,
        subject=subject,
        body=render_to_string("events/email/registration.txt", context),
        attachments=[_calendar_attachment(event, confirmed)] if confirmed else [],
    )


def queue_promotion(event, registration):
    context = {
        "event": event,
        "lead": registration.lead,
        "registration": registration,
        "cancel_url": cancel_url(registration.booking),
        "event_url": event.full_url,
    }
    return outbox.queue(
        to=registration.lead.email,
        subject=f"Une place s'est libérée : {event.title}",
        body=render_to_string("events/email/registration_promoted.txt", context),
        attachments=[_calendar_attachment(event, [registration])],
    )


def anonymise_registrations(lead):
    """What erasing a person leaves of their registrations: the rows, which keep their seats,
    with nothing that could identify them. Returns how many."""
    return Registration.objects.filter(lead=lead).update(
        lead=None, accessibility_needs="", comment="", page_url=""
    )
