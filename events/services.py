"""What happens once a registration form is valid: take the seats or join the waiting list,
mail the confirmation with the event's calendar, cancel through a signed link (or in the admin)
and hand the freed seat to the first person waiting; tell the people registered when a séance
they come to changes. The mails are events.mails' kinds.

Seats hold under concurrency: every change to an event's registrations locks the event's row
(``select_for_update``) for the length of its transaction, counts the confirmed seats, then
confirms or puts on the waiting list. On SQLite the IMMEDIATE transactions do the same.
Mails go through the outbox (contacts.outbox), written in the same transaction: a mail server that
is down delays them and loses none.
"""

import hashlib
import logging
from dataclasses import dataclass

from django.core import signing
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from contacts import mail
from contacts.services import save_lead
from contacts.signals import registration_made

from . import mails, membership
from .choices import RegistrationStatus
from .models import EventPage, Registration

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

    is_member: bool  # the member price applies (verified, or to be checked by staff)
    price: object  # an EventPrice, or None when the event has no price to choose
    sessions: tuple = ()  # the sessions chosen, for a registration per session
    accessibility_needs: str = ""
    comment: str = ""
    # What the register of members said (events.membership): a MembershipCheck value, and the
    # contacts.Organisation of the address, if known.
    membership: str = ""
    organisation: object = None


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
                    membership=choice.membership,
                    organisation=choice.organisation,
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
    who is mailed; the person is mailed that the cancellation is done. Idempotent: cancelling
    again changes nothing. Returns the seats cancelled."""
    with transaction.atomic():
        event_id = (
            Registration.objects.filter(booking=booking).values_list("event_id", flat=True).first()
        )
        if event_id is None:
            return []
        event = EventPage.objects.select_for_update(of=("self",)).get(pk=event_id)
        cancelled = _cancel(event, Registration.objects.active().filter(booking=booking))
        if cancelled:
            queue_cancellation(event, cancelled, by_staff=False)
    logger.info("Cancelled %s seat(s) of booking %s", len(cancelled), booking)
    return cancelled


def cancel_by_staff(registration_id):
    """The club cancels one seat (the registrations' admin): the person is told, the seat goes
    to the first person waiting. Returns the registration, or None if it was not active."""
    with transaction.atomic():
        event_id = (
            Registration.objects.filter(pk=registration_id)
            .values_list("event_id", flat=True)
            .first()
        )
        if event_id is None:
            return None
        event = EventPage.objects.select_for_update(of=("self",)).get(pk=event_id)
        cancelled = _cancel(event, Registration.objects.active().filter(pk=registration_id))
        if not cancelled:
            return None
        queue_cancellation(event, cancelled, by_staff=True)
    logger.info("Staff cancelled registration %s", registration_id)
    return cancelled[0]


def _cancel(event, registrations):
    """Within the caller's locked transaction: cancels ``registrations`` and promotes the first
    person waiting for each confirmed seat freed."""
    cancelled = list(registrations.select_related("lead", "session"))
    now = timezone.now()
    for registration in cancelled:
        was_confirmed = registration.status == RegistrationStatus.CONFIRMED
        registration.status = RegistrationStatus.CANCELLED
        registration.cancelled_at = now
        registration.save(update_fields=["status", "cancelled_at"])
        if was_confirmed:
            promote_first_waiting(event, registration.session)
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
    return mail.site_url(reverse("events:cancel_registration", args=[make_cancel_token(booking)]))


def make_booking_token(booking):
    """For the thank-you page: which booking to show, to the visitor who made it."""
    return signing.dumps(str(booking), salt=_BOOKING_SALT)


def read_booking_token(token, max_age):
    try:
        return signing.loads(token, salt=_BOOKING_SALT, max_age=max_age)
    except signing.BadSignature:
        return None


# --- Mail ---------------------------------------------------------------------------------------


def _person_context(event, lead, registrations):
    """What every mail to a registered person shows: the event, where it happens, the price
    and accessibility needs noted, and the link to cancel."""
    first = registrations[0]
    return {
        **mails.event_context(event),
        "first_name": lead.first_name,
        "place": mails.place(event),
        "price_label": first.price_label,
        "membership_note": membership.note(first.membership),
        "accessibility_needs": first.accessibility_needs,
        "cancel_url": cancel_url(first.booking),
    }


def queue_confirmation(event, lead, registrations):
    """The mail after a registration: what is confirmed, what waits, the calendar of what is
    confirmed, and the link to cancel. Once per booking."""
    sessions = mails.event_sessions(event)
    confirmed = [r for r in registrations if r.status == RegistrationStatus.CONFIRMED]
    waiting = [r for r in registrations if r.status == RegistrationStatus.WAITING]
    context = {
        **_person_context(event, lead, registrations),
        "confirmed": [mails.seat(r, sessions) for r in confirmed],
        "waiting": [mails.seat(r, sessions) for r in waiting],
    }
    attachments = []
    if confirmed:
        booked = mails.booked_sessions(sessions, confirmed)
        attachments.append(mails.calendar_attachment(event, booked))
    return mails.REGISTRATION.queue(
        to=lead.email,
        context=context,
        attachments=attachments,
        once_key=f"events.registration:{registrations[0].booking}",
    )


def queue_promotion(event, registration):
    sessions = mails.event_sessions(event)
    context = {
        **_person_context(event, registration.lead, [registration]),
        "seats": [mails.seat(registration, sessions)],
    }
    booked = mails.booked_sessions(sessions, [registration])
    return mails.PROMOTION.queue(
        to=registration.lead.email,
        context=context,
        attachments=[mails.calendar_attachment(event, booked)],
        once_key=f"events.promoted:{registration.public_id}",
    )


def queue_cancellation(event, registrations, *, by_staff):
    """Tells the person their seats are cancelled: by themselves (the link) or by the club."""
    lead = registrations[0].lead
    if lead is None:  # erased: nobody to tell
        return None
    sessions = mails.event_sessions(event)
    context = {
        **_person_context(event, lead, registrations),
        "seats": [mails.seat(r, sessions) for r in registrations],
    }
    if by_staff:
        kind, key = mails.CANCELLED_BY_STAFF, registrations[0].public_id
    else:
        kind, key = mails.CANCELLED, registrations[0].booking
    return kind.queue(to=lead.email, context=context, once_key=f"{kind.name}:{key}")


def notify_session_changes(event):
    """After ``event`` is published: each confirmed person whose seat holds a session that
    changed (cancelled, postponed, moved online, new time or place) gets one notice with the
    updated calendar. Once per booking and change: the once_key names the sessions' new
    SEQUENCEs. Returns how many notices were queued."""
    changes = getattr(event, "session_changes", None)
    if not changes or not event.registers_on_site:
        return 0
    sessions = mails.event_sessions(event)  # as stored: their new SEQUENCEs
    changed = [session for session in sessions if session.uid in changes]
    registrations = (
        Registration.objects.confirmed()
        .filter(event=event, lead__isnull=False)
        .filter(Q(session__isnull=True) | Q(session__in=changed))
        .select_related("lead", "session")
        .order_by("pk")
    )
    bookings = {}
    for registration in registrations:
        bookings.setdefault(registration.booking, []).append(registration)
    queued = 0
    for booking, held in bookings.items():
        concerned = mails.booked_sessions(changed, held)
        version = "|".join(f"{session.uid}:{session.sequence}" for session in concerned)
        digest = hashlib.sha256(version.encode()).hexdigest()[:32]
        context = {
            **_person_context(event, held[0].lead, held),
            "changes": [mails.change(session, changes[session.uid]) for session in concerned],
        }
        mail = mails.CHANGED.queue(
            to=held[0].lead.email,
            context=context,
            attachments=[mails.calendar_attachment(event, concerned)],
            once_key=f"events.session_changed:{booking}:{digest}",
        )
        queued += mail is not None
    if queued:
        logger.info("Notified %s booking(s) of changes to %s", queued, event.pk)
    return queued


def anonymise_registrations(lead):
    """What erasing a person leaves of their registrations: the rows, which keep their seats,
    with nothing that could identify them. Returns how many."""
    return Registration.objects.filter(lead=lead).update(
        lead=None, accessibility_needs="", comment="", page_url=""
    )
