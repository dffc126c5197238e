"""What staff do to registrations from the admin (events.viewsets): book for someone (a phone
booking), change a registration's séance or price, move a person to another séance of a
cycle, confirm someone from the waiting list, cancel. Each runs under the event's lock, like
events.services, so that seats hold under concurrency for staff too, and is recorded in the
registration's history (events.history) as the staff member's.

Staff may book after the closing date or before the opening one (a phone call the day
before), but never past the capacity: a full event without a waiting list refuses, as the
public form does; with a waiting list, the person waits. Confirming someone waiting takes a
free seat only, unless staff explicitly confirm going over capacity (``over_capacity``); the
history says so.
"""

from django.db import transaction
from django.utils import timezone

from . import history, services
from .choices import HOLDING_SEAT, EventStatus, RegistrationStatus
from .models import EventPage, Registration

STAFF_CONSENT_TEXT = (
    "Inscription enregistrée par l'équipe du club à la demande de la personne (par exemple "
    "par téléphone)."
)
EVENT_CANCELLED = "Cet événement est annulé : on ne peut plus s'y inscrire."
NOT_ACTIVE = "Cette inscription est annulée : elle ne peut plus être modifiée."
NO_SEAT_LEFT = "Il n'y a plus de place pour cette séance."
NOT_WAITING = "Cette personne n'est pas sur la liste d'attente."
ALREADY_THERE = "Cette personne est déjà inscrite à cette séance."
FOREIGN_SESSION = "Cette séance n'est pas une séance de cet événement."
FOREIGN_PRICE = "Ce tarif n'est pas un tarif de cet événement."


def add(event, *, details, choice, user, note="", notify=True):
    """A booking staff take for someone: ``services.register`` with every check of the public
    form (seats, cap per organisation; the form checked prices and membership), recorded as
    ``user``'s with ``note``. Raises ``services.RegistrationRefused``."""
    if event.status == EventStatus.CANCELLED:
        raise services.RegistrationRefused(EVENT_CANCELLED)
    for session in choice.sessions:
        if session.page_id != event.pk:
            raise services.RegistrationRefused(FOREIGN_SESSION)
    if choice.price is not None and choice.price.page_id != event.pk:
        raise services.RegistrationRefused(FOREIGN_PRICE)
    return services.register(
        event,
        details=details,
        choice=choice,
        consent_text=STAFF_CONSENT_TEXT,
        by_staff=user,
        note=note,
        notify=notify,
    )


def _locked(registration_id):
    """Within a transaction: the event's row locked, then the registration read again."""
    event_id = (
        Registration.objects.filter(pk=registration_id).values_list("event_id", flat=True).first()
    )
    if event_id is None:
        raise Registration.DoesNotExist
    event = EventPage.objects.select_for_update(of=("self",)).get(pk=event_id)
    registration = Registration.objects.select_related("lead", "session", "price").get(
        pk=registration_id
    )
    return event, registration


def _has_room(event, session, taken):
    capacity = services.seat_capacity(event, session)
    return capacity is None or taken.get(session.pk if session else None, 0) < capacity


def change(registration_id, *, user, session=None, price=None, may_wait=False, note=""):
    """Changes a registration's séance (``session``, for an event registered per séance) and
    or its price (``price``, one of the event's). A confirmed person moved takes a seat of
    the new séance if there is one, else joins its waiting list when ``may_wait``, else is
    refused; the seat they leave goes to the first person waiting there (an offer). Returns
    the registration. Raises ``services.RegistrationRefused``."""
    with transaction.atomic():
        event, registration = _locked(registration_id)
        if registration.status == RegistrationStatus.CANCELLED:
            raise services.RegistrationRefused(NOT_ACTIVE)
        if price is not None and price.pk != registration.price_id:
            if price.page_id != event.pk:
                raise services.RegistrationRefused(FOREIGN_PRICE)
            before = registration.price_label
            registration.price = price
            registration.price_label = str(price)
            registration.save(update_fields=["price", "price_label"])
            history.record(
                registration,
                history.Action.PRICE_CHANGED,
                user=user,
                by=history.By.STAFF,
                notified=False,
                changes=[["Tarif", before, registration.price_label]],
                note=note,
            )
        if session is not None and session.pk != registration.session_id:
            _move(event, registration, session, user=user, may_wait=may_wait, note=note)
    return registration


def _move(event, registration, session, *, user, may_wait, note):
    if not event.registers_per_session or session.page_id != event.pk:
        raise services.RegistrationRefused(FOREIGN_SESSION)
    if (
        Registration.objects.active()
        .filter(event=event, lead_id=registration.lead_id, session=session)
        .exists()
    ):
        raise services.RegistrationRefused(ALREADY_THERE)
    old_session, old_status = registration.session, registration.status
    before = registration.seat_label
    taken = Registration.objects.confirmed_counts(event)
    now = timezone.now()
    if _has_room(event, session, taken):
        registration.status = RegistrationStatus.CONFIRMED
        registration.confirmed_at = registration.confirmed_at or now
    elif may_wait:
        registration.status = RegistrationStatus.WAITING
        registration.confirmed_at = None
    else:
        raise services.RegistrationRefused(NO_SEAT_LEFT)
    registration.session = session
    registration.offered_at = registration.offer_expires_at = None
    registration.save(
        update_fields=["session", "status", "confirmed_at", "offered_at", "offer_expires_at"]
    )
    changes = [["Séance", before, registration.seat_label]]
    if registration.status != old_status:
        changes.append(
            ["Statut", RegistrationStatus(old_status).label, registration.get_status_display()]
        )
    history.record(
        registration,
        history.Action.SEAT_CHANGED,
        user=user,
        by=history.By.STAFF,
        notified=False,
        changes=changes,
        note=note,
    )
    if old_status in HOLDING_SEAT:
        services.offer_first_waiting(event, old_session)


def promote(registration_id, *, user, over_capacity=False, notify=True, note=""):
    """Confirms someone waiting (or offered a seat) now, and mails them the confirmation
    with the calendar unless ``notify`` is false. Someone waiting needs a free seat, unless
    staff explicitly go ``over_capacity``. Raises ``services.RegistrationRefused``."""
    with transaction.atomic():
        event, registration = _locked(registration_id)
        if registration.status not in (RegistrationStatus.WAITING, RegistrationStatus.OFFERED):
            raise services.RegistrationRefused(NOT_WAITING)
        if registration.status == RegistrationStatus.WAITING and not over_capacity:
            taken = Registration.objects.confirmed_counts(event)
            if not _has_room(event, registration.session, taken):
                raise services.RegistrationRefused(
                    f"{NO_SEAT_LEFT} Pour confirmer tout de même cette personne, cochez « "
                    "Confirmer au-delà de la capacité »."
                )
        before = registration.get_status_display()
        registration.status = RegistrationStatus.CONFIRMED
        registration.confirmed_at = timezone.now()
        registration.offer_expires_at = None
        registration.save(update_fields=["status", "confirmed_at", "offer_expires_at"])
        history.record(
            registration,
            history.Action.PROMOTED,
            user=user,
            by=history.By.STAFF,
            notified=notify and registration.lead_id is not None,
            changes=[["Statut", before, registration.get_status_display()]],
            note=("Au-delà de la capacité. " if over_capacity else "") + note,
        )
        if notify and registration.lead_id is not None:
            services.queue_promotion(event, registration)
    return registration


def cancel(registration_id, *, user, notify=True):
    """Cancels one seat, mailing the person unless ``notify`` is false; the freed seat goes
    to the first person waiting. Returns the registration, or None if it was not active."""
    return services.cancel_by_staff(registration_id, notify=notify, user=user)
