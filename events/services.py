"""What happens once a registration form is valid: take the seats or join the waiting list,
mail the confirmation with the event's calendar, cancel through a signed link (or in the admin)
and offer the freed seat to the first person waiting, who accepts or declines it in time (see
"Waiting-list offers" below); tell the people registered when a séance they come to changes.
The mails are events.mails' kinds.

Seats hold under concurrency: every change to an event's registrations locks the event's row
(``select_for_update``) for the length of its transaction, counts the seats taken (confirmed,
or offered and held), then confirms or puts on the waiting list. On SQLite the IMMEDIATE
transactions do the same.
Mails go through the outbox (contacts.outbox), written in the same transaction: a mail server that
is down delays them and loses none.

A booking may hold several people of one organisation (``register(..., colleagues=[Person])``):
each gets their own lead, registrations and booking (their own mail and cancel link), all in the
one locked transaction. Seats count per person; without a waiting list, a booking larger than
the seats left is refused whole (nothing is written), with the number of seats left. The cap of
seats per organisation is counted in the same lock.
"""

import datetime
import hashlib
import logging
import uuid
from dataclasses import dataclass

from django.core import signing
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from contacts import cleaning, mail
from contacts.identifiers import domain_of, is_public_provider, parent_domains
from contacts.services import save_lead
from contacts.signals import registration_made

from . import attendance, history, mails, membership
from .choices import HOLDING_SEAT, MembershipCheck, RegistrationStatus
from .dates import local_datetime, long_date, moment
from .models import EventPage, Registration

logger = logging.getLogger(__name__)

_CANCEL_SALT = "events.registration-cancel"
_BOOKING_SALT = "events.registration-booking"
_OFFER_SALT = "events.seat-offer"


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


@dataclass(frozen=True)
class Person:
    """One person of a booking: who they are (the ``details`` contacts.services.save_lead
    takes) and what applies to them (their own ``Choice``: price, membership, needs). The
    booker's sessions are everyone's."""

    details: dict
    choice: Choice


def register(
    event,
    *,
    details,
    choice,
    consent_text,
    page_url="",
    colleagues=(),
    by_staff=None,
    note="",
    notify=True,
):
    """Stores the lead and one registration per seat of the booker (``details``, ``choice``)
    and of each colleague (``colleagues``: a list of ``Person``), each person with their own booking
    (their own mail, their own link to cancel). Returns every registration made or already
    held, the booker's first, then each colleague's in order.

    Seats count per person, confirmed while seats are left, on the waiting list after that
    (the booker first, then the colleagues in the form's order). When the event has no
    waiting list and there are not enough seats for everyone, the whole booking is refused,
    saying how many seats are left: nothing is written. The cap per organisation (see
    ``organisation_cap``) refuses a booking that would exceed it.

    A second submission (a double click, a retry) takes no second seat for anyone: a person who
    holds every seat asked for gets them back as they are; otherwise only their new seats are
    returned.

    ``by_staff``: the staff user who books for the person (a phone booking, events.staff):
    the same checks, recorded as theirs with their ``note``; ``notify=False`` mails nobody.
    """
    people = [Person(details, choice), *colleagues]
    with transaction.atomic():
        event = EventPage.objects.select_for_update(of=("self",)).get(pk=event.pk)
        leads = _save_leads(people)
        seats = list(choice.sessions) if event.registers_per_session else [None]
        held = {}
        for registration in Registration.objects.active().filter(event=event, lead__in=leads):
            held.setdefault(registration.lead_id, {})[registration.session_id] = registration
        wanted = [
            [seat for seat in seats if _key(seat) not in held.get(lead.pk, {})] for lead in leads
        ]
        if any(wanted):
            _check_organisation_cap(event, people, leads, wanted)
            made = _take_seats(event, people, leads, wanted, consent_text, page_url)
            made_now = [registration for mine in made.values() for registration in mine]
            if by_staff is None:
                history.record(made_now, history.Action.REGISTERED, by=history.By.PERSON)
            else:
                history.record(
                    made_now,
                    history.Action.ADDED_BY_STAFF,
                    user=by_staff,
                    by=history.By.STAFF,
                    notified=notify,
                    note=note,
                )
        else:
            made = {}
        sessions = mails.event_sessions(event) if made else []
        registrations = []
        for index, lead in enumerate(leads):
            mine = made.get(lead.pk)
            if mine:
                booked_by = leads[0] if index else None
                if notify:
                    queue_confirmation(event, lead, mine, sessions=sessions, booked_by=booked_by)
                tell_staff(event, lead, mine)
                registrations += mine
            else:
                already = held.get(lead.pk, {})
                registrations += [already[_key(seat)] for seat in seats]
    return registrations


def _save_leads(people):
    """Each person's lead, locked in the order of their addresses (two bookings naming the same
    people never wait on each other crosswise), returned in the people's order."""
    by_email = {}
    for person in sorted(people, key=lambda person: person.details["email"].lower()):
        email = person.details["email"].lower()
        if email not in by_email:
            by_email[email] = save_lead(person.details)
    return [by_email[person.details["email"].lower()] for person in people]


def _take_seats(event, people, leads, wanted, consent_text, page_url):
    """Within the lock: the registrations of everyone who wants a seat, by lead. Refuses the
    whole booking, before writing anything, when there is no waiting list and not enough
    seats for everyone."""
    taken = Registration.objects.confirmed_counts(event)
    if not event.waiting_list:
        needed = {}
        for seat in (seat for person_wants in wanted for seat in person_wants):
            needed.setdefault(_key(seat), [seat, 0])[1] += 1
        for key, (seat, count) in needed.items():
            capacity = seat_capacity(event, seat)
            left = None if capacity is None else max(capacity - taken.get(key, 0), 0)
            if left is not None and left < count:
                raise RegistrationRefused(_not_enough_seats(seat, left, count))
    now = timezone.now()
    made = {}
    for person, lead, person_wants in zip(people, leads, wanted, strict=True):
        if not person_wants:
            continue
        choice = person.choice
        booking = uuid.uuid4()
        for seat in person_wants:
            capacity = seat_capacity(event, seat)
            has_room = capacity is None or taken.get(_key(seat), 0) < capacity
            if has_room:
                taken[_key(seat)] = taken.get(_key(seat), 0) + 1
            registration = Registration(
                event=event,
                session=seat,
                lead=lead,
                booking=booking,
                status=RegistrationStatus.CONFIRMED if has_room else RegistrationStatus.WAITING,
                confirmed_at=now if has_room else None,
                is_member=choice.is_member,
                membership=choice.membership,
                # The register's answer for this address, else what staff attached the lead to.
                organisation_id=(
                    choice.organisation.pk if choice.organisation else lead.linked_organisation_id
                ),
                price=choice.price,
                price_label=str(choice.price) if choice.price else "",
                accessibility_needs=choice.accessibility_needs,
                comment=choice.comment,
                consent_text=consent_text,
                page_url=page_url[:500],
            )
            registration.save()
            made.setdefault(lead.pk, []).append(registration)
    return made


def _not_enough_seats(seat, left, count):
    if left == 0:
        return FULL_NO_WAITING_LIST
    where = "" if seat is None else f" pour la séance « {seat.heading or seat} »"
    places = "place" if left == 1 else "places"
    return (
        f"Il ne reste que {left} {places}{where} et cette inscription en demande {count} : "
        f"inscrivez au plus {left} personne{'s' if left > 1 else ''}. Cet événement n'a pas de "
        "liste d'attente."
    )


# --- The cap of seats per organisation ----------------------------------------------------------


@dataclass(frozen=True)
class OrganisationCap:
    seats: int  # per organisation and seat (the whole event, or each session)
    until: object  # the date it is lifted (a datetime.date), or None: it holds to the end

    @property
    def until_label(self):
        return long_date(self.until, weekday=False) if self.until else ""


def organisation_cap(event, today=None):
    """The cap of seats per organisation in force today, or None. It holds until
    ``seats_per_organisation_until_days`` days before the first session: from that date on,
    the seats left are open to all."""
    if event.seats_per_organisation is None:
        return None
    days = event.seats_per_organisation_until_days
    if days is None or event.first_date is None:
        return OrganisationCap(event.seats_per_organisation, None)
    until = event.first_date - datetime.timedelta(days=days)
    if (today or timezone.localdate()) >= until:
        return None
    return OrganisationCap(event.seats_per_organisation, until)


def organisation_key(lead, booker_domain=""):
    """What a person counts under for the cap: the register's organisation of their lead, or,
    when the register does not know it, the domain of their address (the booker's when it is a
    subdomain of it); None for an address at a public provider, which is never capped."""
    if lead.linked_organisation_id is not None:
        return ("organisation", lead.linked_organisation_id)
    domain = domain_of(lead.email)
    if not domain or is_public_provider(domain):
        return None
    if booker_domain and booker_domain in parent_domains(domain):
        domain = booker_domain
    return ("domain", domain)


def _check_organisation_cap(event, people, leads, wanted):
    """Within the lock: refuses the booking when, for any seat, one organisation's confirmed
    and waiting registrations plus this booking's would pass the cap."""
    cap = organisation_cap(event)
    if cap is None:
        return
    booker_domain = domain_of(leads[0].email) if leads[0].linked_organisation_id is None else ""
    new = {}
    for lead, person_wants in zip(leads, wanted, strict=True):
        key = organisation_key(lead, booker_domain)
        if key is None:
            continue
        for seat in person_wants:
            new.setdefault((key, _key(seat)), [seat, 0])[1] += 1
    if not new:
        return
    existing = _organisation_counts(event, {key for key, _seat in new})
    for (key, seat_key), (seat, count) in new.items():
        already = existing.get((key, seat_key), 0)
        if already + count > cap.seats:
            raise RegistrationRefused(_cap_message(cap, already, seat))


def _organisation_counts(event, keys):
    """Confirmed and waiting registrations by (organisation key, session id): one query for the
    organisations the register knows, one per domain it does not."""
    active = Registration.objects.active().filter(event=event).order_by()
    counts = {}
    organisation_ids = [value for kind, value in keys if kind == "organisation"]
    if organisation_ids:
        rows = (
            active.filter(organisation_id__in=organisation_ids)
            .values_list("organisation_id", "session_id")
            .annotate(count=Count("pk"))
        )
        for organisation_id, session_id, count in rows:
            counts[(("organisation", organisation_id), session_id)] = count
    for domain in sorted(value for kind, value in keys if kind == "domain"):
        rows = (
            active.filter(organisation__isnull=True)
            .filter(Q(lead__email__iendswith=f"@{domain}") | Q(lead__email__iendswith=f".{domain}"))
            .values_list("session_id")
            .annotate(count=Count("pk"))
        )
        for session_id, count in rows:
            counts[(("domain", domain), session_id)] = count
    return counts


def _cap_message(cap, already, seat):
    where = "" if seat is None else f" pour la séance « {seat.heading or seat} »"
    places = "place" if cap.seats == 1 else "places"
    limit = f"la limite est de {cap.seats} {places} par organisme{where}"
    if cap.until is not None:
        limit += (
            f" jusqu'au {cap.until_label}, date à laquelle les places "
            "restantes seront ouvertes à tous"
        )
    else:
        limit += " pour cet événement"
    if already == 0:
        return f"{limit[0].upper()}{limit[1:]} : inscrivez moins de collègues."
    registered = f"{already} inscrit{'s' if already > 1 else ''}"
    left = cap.seats - already
    if left <= 0:
        return f"Votre organisme a déjà {registered} : {limit}."
    return (
        f"Votre organisme a déjà {registered} : {limit}. Vous pouvez encore inscrire "
        f"{left} personne{'s' if left > 1 else ''}."
    )


def tell_staff(event, lead, registrations):
    """The lead managers who asked to hear of each registration at once are mailed
    (contacts.notifications, through the signal: contacts never imports events)."""
    details = [f"{r.seat_label} : {r.get_status_display().lower()}" for r in registrations]
    if registrations[0].membership == MembershipCheck.TO_CHECK:
        # The member price was given on the person's word: the staff have it to confirm.
        price = registrations[0].price_label
        details.append(f"{MembershipCheck.TO_CHECK.label} : tarif « {price} »")
    registration_made.send(
        sender=Registration,
        lead=lead,
        title=event.title,
        details=details,
        key=str(registrations[0].booking),
        admin_url=mail.site_url(f"{reverse('inscriptions:index')}?event={event.pk}"),
    )


def cancel(booking):
    """Cancels a booking's seats and offers each freed seat to the first person waiting for it,
    who is mailed; the person is mailed that the cancellation is done. Idempotent: cancelling
    again changes nothing. Returns the seats cancelled."""
    with transaction.atomic():
        event_id = (
            Registration.objects.filter(booking=booking).values_list("event_id", flat=True).first()
        )
        if event_id is None:
            return []
        event = EventPage.objects.select_for_update(of=("self",)).get(pk=event_id)
        cancelled = _cancel(
            event, Registration.objects.active().filter(booking=booking), by=history.By.PERSON
        )
        if cancelled:
            queue_cancellation(event, cancelled, by_staff=False)
    logger.info("Cancelled %s seat(s) of booking %s", len(cancelled), booking)
    return cancelled


def cancel_by_staff(registration_id, *, notify=True, user=None):
    """The club cancels one seat (the registrations' admin): the person is told (unless
    ``notify`` is false), the seat is offered to the first person waiting. ``user``: the staff
    member, for the history. Returns the registration, or None if it was not active."""
    with transaction.atomic():
        event_id = (
            Registration.objects.filter(pk=registration_id)
            .values_list("event_id", flat=True)
            .first()
        )
        if event_id is None:
            return None
        event = EventPage.objects.select_for_update(of=("self",)).get(pk=event_id)
        cancelled = _cancel(
            event,
            Registration.objects.active().filter(pk=registration_id),
            user=user,
            by=history.By.STAFF,
            notified=notify,
        )
        if not cancelled:
            return None
        if notify:
            queue_cancellation(event, cancelled, by_staff=True)
    logger.info("Staff cancelled registration %s", registration_id)
    return cancelled[0]


def _cancel(event, registrations, action=history.Action.CANCELLED, **data):
    """Within the caller's locked transaction: cancels ``registrations``, records it in their
    history (``action``, ``data``: see events.history), and offers each seat they held
    (confirmed, or offered and not yet accepted) to the first person waiting."""
    cancelled = list(registrations.select_related("lead", "session"))
    history.record(cancelled, action, **data)
    now = timezone.now()
    for registration in cancelled:
        held_a_seat = registration.status in HOLDING_SEAT
        registration.status = RegistrationStatus.CANCELLED
        registration.cancelled_at = now
        registration.save(update_fields=["status", "cancelled_at"])
        if held_a_seat:
            offer_first_waiting(event, registration.session)
    return cancelled


# --- Waiting-list offers ------------------------------------------------------------------------
#
# A seat freed goes to the first person waiting as an offer, held for them ``offer_hours``:
# they accept (confirmed, the promotion mail with the calendar) or decline (the next person
# gets an offer), and an offer not taken in time is cancelled by ``expire_offers`` (the
# worker's clock), which offers the seat to the next person. Every step runs under the event's
# lock, so that two workers, or a person accepting while the offer expires, act once.
# An offer accepted after its expiry is refused: the seat went to the next person. The person
# may register again from the event's page, which gives a seat if one is free (with every
# check of the form: seats, cap per organisation) or a place at the end of the waiting list.


class OfferOutcome:
    ACCEPTED = "accepted"
    ALREADY_ACCEPTED = "already_accepted"
    DECLINED = "declined"
    ALREADY_DECLINED = "already_declined"
    EXPIRED = "expired"
    CANCELLED = "cancelled"


def offer_first_waiting(event, session, now=None):
    """Within the caller's locked transaction: if this seat has room, the first person
    waiting for it gets an offer, held for them ``event.offer_hours``, and is mailed. Returns
    the registration offered, or None."""
    capacity = seat_capacity(event, session)
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
    now = now or timezone.now()
    expiry = _offer_expiry(event, session, now)
    if expiry is None:
        return None  # every séance of the seat has begun: nobody is offered a seat to the past
    first.status = RegistrationStatus.OFFERED
    first.offered_at = now
    first.offer_expires_at = expiry
    first.save(update_fields=["status", "offered_at", "offer_expires_at"])
    history.record(first, history.Action.OFFERED, by=history.By.SITE, notified=True)
    queue_offer(event, first)
    return first


def _offer_expiry(event, session, now):
    """``event.offer_hours`` from now, but never past the start of the seat's first séance
    still to come: a seat held for someone who has not answered would go empty. None when
    every séance of the seat has begun (an event with no séance yet has no limit)."""
    expiry = now + datetime.timedelta(hours=event.offer_hours)
    sessions = [session] if session is not None else event.sessions.all()
    starts = [local_datetime(seat.date, seat.start_time or datetime.time(0)) for seat in sessions]
    upcoming = [start for start in starts if start > now]
    if starts and not upcoming:
        return None
    return min([expiry, *upcoming])


def fill_from_waiting_list(event):
    """After an editor adds places (or a session's), the people waiting get offers for them,
    first come first served, and are mailed. Returns the registrations offered."""
    if not event.registers_on_site:
        return []
    offered = []
    with transaction.atomic():
        event = EventPage.objects.select_for_update(of=("self",)).get(pk=event.pk)
        offered = offer_free_seats(event)
    if offered:
        logger.info("Offered %s seat(s) of %s to people waiting", len(offered), event.pk)
    return offered


def offer_free_seats(event, now=None):
    """Within the event's lock: an offer for every free seat someone waits for."""
    waiting_for = set(
        Registration.objects.waiting().filter(event=event).values_list("session_id", flat=True)
    )
    seats = {None: None} if None in waiting_for else {}
    seats.update((session.pk, session) for session in event.sessions.filter(pk__in=waiting_for))
    offered = []
    for session in seats.values():
        while (registration := offer_first_waiting(event, session, now)) is not None:
            offered.append(registration)
    return offered


def accept_offer(public_id):
    """The person takes the seat offered: confirmed, and mailed with the calendar, if the
    offer still holds. Returns (an OfferOutcome value, the registration or None)."""
    return _answer_offer(public_id, accept=True)


def decline_offer(public_id):
    """The person lets the seat go: their registration is cancelled and the next person
    waiting gets an offer. Returns (an OfferOutcome value, the registration or None)."""
    return _answer_offer(public_id, accept=False)


def _answer_offer(public_id, *, accept):
    with transaction.atomic():
        event_id = (
            Registration.objects.filter(public_id=public_id)
            .values_list("event_id", flat=True)
            .first()
        )
        if event_id is None:
            return None, None
        event = EventPage.objects.select_for_update(of=("self",)).get(pk=event_id)
        registration = (
            Registration.objects.filter(public_id=public_id, lead__isnull=False)
            .select_related("lead", "session")
            .first()
        )
        if registration is None:  # deleted, or the person erased, before the lock
            return None, None
        now = timezone.now()
        if registration.status == RegistrationStatus.CONFIRMED:
            if accept:
                return OfferOutcome.ALREADY_ACCEPTED, registration
            return OfferOutcome.CANCELLED, registration  # confirmed: the cancel link says how
        if registration.status != RegistrationStatus.OFFERED:
            if registration.offer_expired:
                return OfferOutcome.EXPIRED, registration
            if registration.status == RegistrationStatus.CANCELLED:
                return OfferOutcome.ALREADY_DECLINED, registration
            return OfferOutcome.CANCELLED, registration
        if registration.offer_expires_at is not None and registration.offer_expires_at <= now:
            # The clock has not passed yet: the expiry is done here, once, as it would do it.
            _expire(event, [registration], now)
            return OfferOutcome.EXPIRED, registration
        if accept:
            registration.status = RegistrationStatus.CONFIRMED
            registration.confirmed_at = now
            registration.save(update_fields=["status", "confirmed_at"])
            history.record(registration, history.Action.OFFER_ACCEPTED, by=history.By.PERSON)
            queue_promotion(event, registration)
            logger.info("Offer of registration %s accepted", registration.pk)
            return OfferOutcome.ACCEPTED, registration
        _cancel(
            event,
            Registration.objects.filter(pk=registration.pk),
            history.Action.OFFER_DECLINED,
            by=history.By.PERSON,
        )
        registration.refresh_from_db()
        logger.info("Offer of registration %s declined", registration.pk)
        return OfferOutcome.DECLINED, registration


def expire_offers(now=None):
    """The worker's clock (``expire_offers``, every WORKER_OFFERS_SECONDS): each offer not
    taken in time is cancelled and its seat offered to the next person waiting. Exactly once
    however many workers run it: each event's offers are read again under the event's lock,
    and only those still offered and expired are acted on. Returns how many expired."""
    now = now or timezone.now()
    event_ids = (
        Registration.objects.offered()
        .filter(offer_expires_at__lte=now)
        .order_by("event_id")
        .values_list("event_id", flat=True)
        .distinct()
    )
    expired = 0
    for event_id in list(event_ids):
        with transaction.atomic():
            event = EventPage.objects.select_for_update(of=("self",)).get(pk=event_id)
            due = list(
                Registration.objects.offered()
                .filter(event=event, offer_expires_at__lte=now)
                .select_related("session")
                .order_by("offer_expires_at", "pk")
            )
            expired += _expire(event, due, now)
    if expired:
        logger.info("Expired %s offer(s) of a seat", expired)
    return expired


def _expire(event, registrations, now):
    """Within the event's lock: cancels offers still pending (a conditional UPDATE: an offer
    answered meanwhile is left alone) and offers their seats to the next people waiting."""
    ids = [registration.pk for registration in registrations]
    changed = Registration.objects.filter(
        pk__in=ids, status=RegistrationStatus.OFFERED, offer_expires_at__lte=now
    ).update(status=RegistrationStatus.CANCELLED, cancelled_at=now)
    if changed:
        expired = list(
            Registration.objects.filter(
                pk__in=ids, status=RegistrationStatus.CANCELLED, cancelled_at=now
            )
        )
        history.record(expired, history.Action.OFFER_EXPIRED, by=history.By.SITE)
        for registration in registrations:
            registration.status = RegistrationStatus.CANCELLED
            registration.cancelled_at = now
        offer_free_seats(event, now)
    return changed


def _key(session):
    return None if session is None else session.pk


def seat_capacity(event, session):
    """The seats of ``session`` (None: the whole event); None when unlimited."""
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


def make_offer_token(registration):
    return signing.dumps(str(registration.public_id), salt=_OFFER_SALT)


def read_offer_token(token):
    """The registration (its public id) an offer's links were made for, or None for an altered
    link. The links need no age limit: the offer's expiry is the registration's."""
    try:
        value = signing.loads(token, salt=_OFFER_SALT)
    except signing.BadSignature:
        return None
    return cleaning.uuid_or_none(value) if isinstance(value, str) else None


def offer_urls(registration):
    """The offer mail's two links: (accept, decline)."""
    token = make_offer_token(registration)
    return (
        mail.site_url(reverse("events:answer_offer", args=[token, "accepter"])),
        mail.site_url(reverse("events:answer_offer", args=[token, "refuser"])),
    )


def make_booking_token(bookings):
    """For the thank-you page: which bookings to show (the booker's, then the colleagues'
    registered with them), to the visitor who made them."""
    if not isinstance(bookings, list | tuple):
        bookings = [bookings]
    return signing.dumps([str(booking) for booking in bookings], salt=_BOOKING_SALT)


def read_booking_token(token, max_age):
    """The bookings a thank-you link was made for (the booker's first), or [] for an altered
    or expired link. A link made for one booking (a string) still reads."""
    try:
        bookings = signing.loads(token, salt=_BOOKING_SALT, max_age=max_age)
    except signing.BadSignature:
        return []
    if isinstance(bookings, str):
        bookings = [bookings]
    if not isinstance(bookings, list):
        return []
    valid = (cleaning.uuid_or_none(booking) for booking in bookings if isinstance(booking, str))
    return [str(booking) for booking in valid if booking is not None]


# --- Mail ---------------------------------------------------------------------------------------


def person_context(event, lead, registrations):
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


def queue_confirmation(event, lead, registrations, *, sessions=None, booked_by=None):
    """The mail after a registration: what is confirmed, what waits, the calendar of what is
    confirmed, and the link to cancel. Once per booking. ``booked_by``: the colleague who
    registered this person with them, named in the mail."""
    if sessions is None:
        sessions = mails.event_sessions(event)
    confirmed = [r for r in registrations if r.status == RegistrationStatus.CONFIRMED]
    waiting = [r for r in registrations if r.status == RegistrationStatus.WAITING]
    context = {
        **person_context(event, lead, registrations),
        "confirmed": [mails.seat(r, sessions) for r in confirmed],
        "waiting": [mails.seat(r, sessions) for r in waiting],
        "booked_by": booked_by.full_name if booked_by else "",
        # The code each confirmed seat is checked in with at the door (events.attendance).
        "qr_codes": [
            {"label": r.seat_label, "url": attendance.qr_url(r)} for r in confirmed if r.lead_id
        ],
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
        **person_context(event, registration.lead, [registration]),
        "seats": [mails.seat(registration, sessions)],
        # The seat is confirmed now: its code for check-in, as in a confirmation.
        "qr_codes": [{"label": registration.seat_label, "url": attendance.qr_url(registration)}],
    }
    booked = mails.booked_sessions(sessions, [registration])
    return mails.PROMOTION.queue(
        to=registration.lead.email,
        context=context,
        attachments=[mails.calendar_attachment(event, booked)],
        once_key=f"events.promoted:{registration.public_id}",
    )


def queue_offer(event, registration):
    """The seat freed for the first person waiting: until when it is held, and the links to
    accept or decline it. Once per registration: an offer is made once."""
    sessions = mails.event_sessions(event)
    accept_url, decline_url = offer_urls(registration)
    context = {
        **person_context(event, registration.lead, [registration]),
        "seats": [mails.seat(registration, sessions)],
        "expires_label": moment(registration.offer_expires_at),
        "offer_hours": event.offer_hours,
        "accept_url": accept_url,
        "decline_url": decline_url,
    }
    return mails.OFFER.queue(
        to=registration.lead.email,
        context=context,
        once_key=f"{mails.OFFER.name}:{registration.public_id}",
    )


def queue_cancellation(event, registrations, *, by_staff):
    """Tells the person their seats are cancelled: by themselves (the link) or by the club."""
    lead = registrations[0].lead
    if lead is None:  # erased: nobody to tell
        return None
    sessions = mails.event_sessions(event)
    context = {
        **person_context(event, lead, registrations),
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
            **person_context(event, held[0].lead, held),
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
