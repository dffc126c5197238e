"""What a registered person does from the signed link of their mails (the booking's page,
events.views.cancel_registration), until the deadline the editor set
(``EventPage.self_service_days`` days before the first séance), besides cancelling:

- change their séances, for an event taken session by session: a séance ticked takes a seat
  where there is room, else a place on the waiting list; a séance unticked frees its seat,
  offered to the first person waiting (events.services' offers). One mail with the new calendar.
- hand their seat to a colleague of their organisation (the same domain, or the same
  organisation in the register; never a public provider's address): the colleague is mailed a
  signed link that expires and serves once; on their confirmation, with the consent they give
  on that page, their lead takes the registrations as they are (seat, price, séances, status)
  under a new booking (its own link: the first person's link no longer manages it). Until then
  nothing changes, and the first person may withdraw the request.

Every change runs under the event's lock, like events.services, and is recorded in the
registrations' history (events.history)."""

import datetime
import hashlib
import uuid
from dataclasses import dataclass, field

from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from contacts import cleaning, mail
from contacts.identifiers import domain_of, is_public_provider
from contacts.organisations import organisations_of_domains
from contacts.services import save_lead

from . import history, mails, services
from .choices import HOLDING_SEAT, RegistrationStatus, SessionStatus
from .dates import moment
from .models import EventPage, Registration, SeatTransfer

_TRANSFER_SALT = "events.seat-transfer"
TRANSFER_HOURS = 72
# A request answered keeps nothing of the colleague: confirmed, they are a lead of their own.
FORGOTTEN = {"first_name": "", "last_name": "", "email": ""}

TOO_LATE = "Le délai pour modifier cette inscription est dépassé : vous pouvez encore l'annuler."
NO_SESSION = (
    "Choisissez au moins une séance. Pour ne plus venir du tout, annulez votre inscription."
)
UNKNOWN_SESSION = "Une des séances choisies n'est plus proposée : rechargez la page."
FULL_NO_WAITING_LIST = (
    "La séance « {session} » est complète et cet événement n'a pas de liste d'attente : "
    "vos séances n'ont pas changé."
)
SAME_PERSON = "Indiquez l'adresse d'un ou d'une collègue : c'est déjà la vôtre."
PUBLIC_PROVIDER = (
    "Indiquez l'adresse professionnelle de votre collègue : une adresse d'un fournisseur grand "
    "public (Gmail, Orange…) ne permet pas de vérifier son organisme."
)
OTHER_ORGANISATION = (
    "Votre place ne peut être cédée qu'à un ou une collègue de votre organisme : son adresse "
    "doit être du même domaine que la vôtre."
)
ALREADY_ASKED = "Une demande de transfert attend déjà la confirmation de votre collègue."
NOTHING_TO_HAND = "Cette inscription est annulée : il n'y a plus de place à céder."
ALREADY_REGISTERED = (
    "Vous êtes déjà inscrit ou inscrite à cet événement : la place ne peut pas vous être cédée."
)


class Refused(Exception):
    """Nothing changed: the message says why, in French."""


def deadline(event):
    """The last day the person may change their séances or hand their seat, or None when they
    may not (no deadline set, or an event with no séance yet)."""
    if event.self_service_days is None or event.first_date is None:
        return None
    return event.first_date - datetime.timedelta(days=event.self_service_days)


def is_open(event, today=None):
    limit = deadline(event)
    return limit is not None and (today or timezone.localdate()) <= limit


def choosable_sessions(event, sessions, today=None):
    """The séances a person may tick or untick: those still to come and not cancelled."""
    today = today or timezone.localdate()
    return [
        session
        for session in sessions
        if session.date >= today and session.effective_status != SessionStatus.CANCELLED
    ]


# --- Change of séances -------------------------------------------------------------------------


@dataclass
class Changes:
    added: list = field(default_factory=list)  # registrations made (confirmed or waiting)
    dropped: list = field(default_factory=list)  # registrations cancelled

    def __bool__(self):
        return bool(self.added or self.dropped)


def change_sessions(booking, session_ids):
    """Makes the booking's séances (of those one may still choose) the ones in
    ``session_ids``. Idempotent: the same choice again changes nothing. Raises ``Refused``."""
    with transaction.atomic():
        event_id = (
            Registration.objects.filter(booking=booking).values_list("event_id", flat=True).first()
        )
        if event_id is None:
            raise Refused(NOTHING_TO_HAND)
        event = EventPage.objects.select_for_update(of=("self",)).get(pk=event_id)
        if not event.registers_per_session:
            raise Refused(UNKNOWN_SESSION)
        if not is_open(event):
            raise Refused(TOO_LATE)
        registrations = list(
            Registration.objects.filter(booking=booking, lead__isnull=False)
            .select_related("lead", "session", "price")
            .order_by("pk")
        )
        active = {
            r.session_id: r for r in registrations if r.status != RegistrationStatus.CANCELLED
        }
        if not active:
            raise Refused(NOTHING_TO_HAND)
        sessions = mails.event_sessions(event)
        choosable = {session.pk: session for session in choosable_sessions(event, sessions)}
        wanted = set(session_ids)
        if not wanted <= set(choosable):
            raise Refused(UNKNOWN_SESSION)
        kept = {pk for pk in active if pk not in choosable}  # past séances stay as they are
        if not wanted | kept:
            raise Refused(NO_SESSION)
        changes = Changes(
            dropped=[active[pk] for pk in choosable if pk in active and pk not in wanted],
        )
        added_sessions = [choosable[pk] for pk in choosable if pk in wanted and pk not in active]
        if not changes.dropped and not added_sessions:
            return changes
        before = _labels(active.values())
        now = timezone.now()
        if changes.dropped:
            Registration.objects.filter(pk__in=[r.pk for r in changes.dropped]).update(
                status=RegistrationStatus.CANCELLED, cancelled_at=now
            )
            for registration in changes.dropped:
                registration.status = RegistrationStatus.CANCELLED
                registration.cancelled_at = now
        if added_sessions:
            changes.added = _take(event, registrations[0], added_sessions, booking, now)
        after = _labels([r for r in active.values() if r not in changes.dropped] + changes.added)
        history.record(
            changes.dropped + changes.added,
            history.Action.SEAT_CHANGED,
            by=history.By.PERSON,
            changes=[["Séances", before, after]],
            notified=True,
        )
        # The seats freed go to the people waiting (an offer each, as a cancellation does).
        services.offer_free_seats(event, now)
        held = [r for r in active.values() if r not in changes.dropped] + changes.added
        _queue_sessions_changed(event, registrations[0].lead, held, changes.dropped, sessions)
    return changes


def _take(event, model, sessions, booking, now):
    """Within the lock: a registration per séance, confirmed where there is room, else on the
    waiting list (refused when the event has none), with the price and details of the
    booking's first registration."""
    taken = Registration.objects.confirmed_counts(event)
    made = []
    for session in sessions:
        capacity = services.seat_capacity(event, session)
        has_room = capacity is None or taken.get(session.pk, 0) < capacity
        if not has_room and not event.waiting_list:
            # As the registration form: no waiting list, no place on one (nothing is changed).
            raise Refused(FULL_NO_WAITING_LIST.format(session=session.heading or session))
        if has_room:
            taken[session.pk] = taken.get(session.pk, 0) + 1
        made.append(
            Registration(
                event=event,
                session=session,
                lead=model.lead,
                booking=booking,
                status=RegistrationStatus.CONFIRMED if has_room else RegistrationStatus.WAITING,
                confirmed_at=now if has_room else None,
                is_member=model.is_member,
                membership=model.membership,
                organisation_id=model.organisation_id,
                price=model.price,
                price_label=model.price_label,
                accessibility_needs=model.accessibility_needs,
                comment=model.comment,
                consent_text=model.consent_text,
                page_url=model.page_url,
            )
        )
    return Registration.objects.bulk_create(made)


def _labels(registrations):
    labels = sorted(
        (r.session.sort_order if r.session else -1, f"{r.seat_label} ({r.get_status_display()})")
        for r in registrations
    )
    return ", ".join(label for _order, label in labels)


def _queue_sessions_changed(event, lead, held, dropped, sessions):
    confirmed = [r for r in held if r.status in HOLDING_SEAT]
    waiting = [r for r in held if r.status == RegistrationStatus.WAITING]
    version = "|".join(sorted(f"{r.session_id}:{r.status}" for r in held))
    digest = hashlib.sha256(version.encode()).hexdigest()[:32]
    context = {
        **services.person_context(event, lead, held or dropped),
        "confirmed": [mails.seat(r, sessions) for r in confirmed],
        "waiting": [mails.seat(r, sessions) for r in waiting],
        "dropped": [mails.seat(r, sessions) for r in dropped],
    }
    attachments = []
    if confirmed:
        booked = mails.booked_sessions(sessions, confirmed)
        attachments.append(mails.calendar_attachment(event, booked))
    return mails.SESSIONS_CHANGED.queue(
        to=lead.email,
        context=context,
        attachments=attachments,
        once_key=f"{mails.SESSIONS_CHANGED.name}:{held[0].booking if held else ''}:{digest}",
    )


# --- Hand the seat to a colleague --------------------------------------------------------------


def check_colleague(lead, email):
    """Refuses (``Refused``) an address that is not a colleague's of ``lead``: the same, at a
    public provider, or of another organisation (domain, or the register's organisation)."""
    email = email.lower()
    if email == lead.email.lower():
        raise Refused(SAME_PERSON)
    domain, own = domain_of(email), domain_of(lead.email)
    if not domain or is_public_provider(domain) or not own or is_public_provider(own):
        raise Refused(PUBLIC_PROVIDER)
    if domain == own:
        return
    owners = organisations_of_domains([domain, own])
    if owners.get(domain) is not None and owners.get(domain) == owners.get(own):
        return
    raise Refused(OTHER_ORGANISATION)


def ask_transfer(booking, *, first_name, last_name, email):
    """Records the request and mails the colleague their link. Nothing of the registrations
    changes. Raises ``Refused``."""
    with transaction.atomic():
        event_id = (
            Registration.objects.filter(booking=booking).values_list("event_id", flat=True).first()
        )
        if event_id is None:
            raise Refused(NOTHING_TO_HAND)
        event = EventPage.objects.select_for_update(of=("self",)).get(pk=event_id)
        if not is_open(event):
            raise Refused(TOO_LATE)
        active = list(
            Registration.objects.active()
            .filter(booking=booking, lead__isnull=False)
            .select_related("lead", "session")
            .order_by("session__sort_order", "pk")
        )
        if not active:
            raise Refused(NOTHING_TO_HAND)
        lead = active[0].lead
        check_colleague(lead, email)
        if pending_transfer(booking) is not None:
            raise Refused(ALREADY_ASKED)
        transfer = SeatTransfer.objects.create(
            event=event,
            booking=booking,
            lead=lead,
            first_name=first_name,
            last_name=last_name,
            email=email.lower(),
            expires_at=timezone.now() + datetime.timedelta(hours=TRANSFER_HOURS),
        )
        history.record(active, history.Action.TRANSFER_ASKED, by=history.By.PERSON, lead=lead.pk)
        sessions = mails.event_sessions(event)
        mails.TRANSFER_ASKED.queue(
            to=transfer.email,
            context={
                **mails.event_context(event),
                "first_name": transfer.first_name,
                "from_name": lead.full_name,
                "seats": [mails.seat(r, sessions) for r in active],
                "expires_label": moment(transfer.expires_at),
                "confirm_url": transfer_url(transfer),
            },
            once_key=f"{mails.TRANSFER_ASKED.name}:{transfer.public_id}",
        )
    return transfer


def pending_transfer(booking):
    return (
        SeatTransfer.objects.filter(
            booking=booking,
            status=SeatTransfer.Status.PENDING,
            expires_at__gt=timezone.now(),
        )
        .order_by("-pk")
        .first()
    )


def withdraw_transfer(booking):
    """The first person withdraws their request: its link no longer does anything. Returns
    how many requests were withdrawn (0 on a second click)."""
    return SeatTransfer.objects.filter(booking=booking, status=SeatTransfer.Status.PENDING).update(
        status=SeatTransfer.Status.WITHDRAWN, **FORGOTTEN
    )


def open_transfer(public_id):
    """The request a colleague's link names, if it still waits and has not expired, with its
    event; else None."""
    if public_id is None:
        return None
    return (
        SeatTransfer.objects.filter(
            public_id=public_id,
            status=SeatTransfer.Status.PENDING,
            expires_at__gt=timezone.now(),
        )
        .select_related("event", "lead")
        .first()
    )


def confirm_transfer(public_id, *, details, consent_text, page_url=""):
    """The colleague confirms, with their details and the consent they gave on the page: their
    lead takes the booking's registrations as they are, under a new booking; the first person
    is mailed. The seat count does not change. Returns the registrations, or None when the
    request no longer waits (withdrawn, confirmed already, expired). Raises ``Refused``."""
    with transaction.atomic():
        transfer = open_transfer(public_id)
        if transfer is None:
            return None
        event = EventPage.objects.select_for_update(of=("self",)).get(pk=transfer.event_id)
        transfer = open_transfer(public_id)  # read again under the lock: once only
        if transfer is None:
            return None
        if not is_open(event):
            raise Refused(TOO_LATE)
        registrations = list(
            Registration.objects.active()
            .filter(booking=transfer.booking, lead_id=transfer.lead_id)
            .select_related("session")
            .order_by("session__sort_order", "pk")
        )
        if not registrations:
            SeatTransfer.objects.filter(pk=transfer.pk).update(
                status=SeatTransfer.Status.WITHDRAWN, **FORGOTTEN
            )
            return None
        details = {**details, "email": transfer.email}
        colleague = save_lead(details)
        already = Registration.objects.active().filter(
            event=event,
            lead=colleague,
            session_id__in=[r.session_id for r in registrations if r.session_id is not None],
        )
        if registrations[0].session_id is None:
            already = Registration.objects.active().filter(event=event, lead=colleague)
        if already.exists():
            raise Refused(ALREADY_REGISTERED)
        first = transfer.lead
        new_booking = uuid.uuid4()
        Registration.objects.filter(pk__in=[r.pk for r in registrations]).update(
            lead=colleague,
            booking=new_booking,
            consent_text=consent_text,
            page_url=page_url[:500],
            accessibility_needs="",
            comment="",
        )
        for registration in registrations:
            registration.lead = colleague
            registration.booking = new_booking
        SeatTransfer.objects.filter(pk=transfer.pk).update(
            status=SeatTransfer.Status.CONFIRMED, **FORGOTTEN
        )
        history.record(
            registrations,
            history.Action.TRANSFERRED,
            by=history.By.PERSON,
            lead=first.pk,
            to_lead=colleague.pk,
            notified=True,
        )
        sessions = mails.event_sessions(event)
        services.queue_confirmation(event, colleague, registrations, sessions=sessions)
        mails.TRANSFERRED.queue(
            to=first.email,
            context={
                **mails.event_context(event),
                "first_name": first.first_name,
                "to_name": colleague.full_name,
                "seats": [mails.seat(r, sessions) for r in registrations],
            },
            once_key=f"{mails.TRANSFERRED.name}:{transfer.public_id}",
        )
    return registrations


def make_transfer_token(transfer):
    return signing.dumps(str(transfer.public_id), salt=_TRANSFER_SALT)


def read_transfer_token(token):
    """The request (its public id) a colleague's link was made for, or None for an altered or
    expired link."""
    try:
        value = signing.loads(token, salt=_TRANSFER_SALT, max_age=TRANSFER_HOURS * 3600)
    except signing.BadSignature:
        return None
    return cleaning.uuid_or_none(value) if isinstance(value, str) else None


def transfer_url(transfer):
    return mail.site_url(reverse("events:confirm_transfer", args=[make_transfer_token(transfer)]))
