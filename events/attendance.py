"""Check-in: the signed code of each registration (its QR code), checking a person in for a
séance by that code or by name, undoing it, and what the sheet and the export say of it.

The code is the registration's public id signed with a salt of its own: it cannot be guessed
from another code, and an altered code never reads. It names a registration, not a séance:
the staff page says which séance it checks in for.
"""

import io
import unicodedata

from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

import segno

from contacts import cleaning, mail

from .choices import RegistrationStatus, SessionStatus
from .dates import short_date, time_of_day
from .models import Attendance, EventSession, Registration
from .models.inlines import number_sessions

_SALT = "events.checkin"
_CERTIFICATE_SALT = "events.certificate"
MAX_CODE_LENGTH = 500
MAX_SEARCH_LENGTH = 100


class CheckInRefused(Exception):
    """A code or a person that cannot be checked in for this séance; the message says why."""


def can_check_in(user):
    """Lead managers (events 0008) and superusers."""
    return user.has_perm("events.add_attendance")


# --- Codes --------------------------------------------------------------------------------------


def make_code(registration):
    return signing.Signer(salt=_SALT).sign(registration.public_id.hex)


def read_code(code):
    """The public id a code was made for, or None for an altered or unreadable one. A code read
    from a link (the QR image's address) reads too."""
    code = (code or "").strip()[:MAX_CODE_LENGTH].removesuffix("/qr.png")
    code = code.rstrip("/").rsplit("/", 1)[-1]
    try:
        value = signing.Signer(salt=_SALT).unsign(code)
    except signing.BadSignature:
        return None
    return cleaning.uuid_or_none(value)


def qr_png(code):
    """The QR code of ``code`` as a PNG, made here (segno): no outside service sees it."""
    output = io.BytesIO()
    segno.make(code, error="m").save(output, kind="png", scale=8, border=4)
    return output.getvalue()


def qr_url(registration):
    return mail.site_url(reverse("events:registration_qr", args=[make_code(registration)]))


def make_certificate_token(registration):
    return signing.Signer(salt=_CERTIFICATE_SALT).sign(registration.public_id.hex)


def read_certificate_token(token):
    try:
        return cleaning.uuid_or_none(signing.Signer(salt=_CERTIFICATE_SALT).unsign(token))
    except signing.BadSignature:
        return None


def certificate_url(registration):
    return mail.site_url(
        reverse("events:attendance_certificate", args=[make_certificate_token(registration)])
    )


def person_links(registrations, *, is_over):
    """What the person's signed page shows: the QR code of each confirmed seat (until the event
    is over) and the certificate of each seat they were checked in for."""
    attended = set(
        Attendance.objects.filter(registration__in=registrations)
        .values_list("registration_id", flat=True)
        .distinct()
    )
    return {
        "qr_codes": []
        if is_over
        else [
            {"label": r.seat_label, "url": reverse("events:registration_qr", args=[make_code(r)])}
            for r in registrations
            if r.status == RegistrationStatus.CONFIRMED
        ],
        "certificates": [
            {
                "label": r.seat_label,
                "url": reverse("events:attendance_certificate", args=[make_certificate_token(r)]),
            }
            for r in registrations
            if r.pk in attended
        ],
    }


# --- Who can be checked in ----------------------------------------------------------------------


def sessions_of(event):
    """The event's séances in order, numbered in a cycle."""
    return number_sessions(event.sessions.order_by("sort_order", "date", "pk"))


def is_held(session):
    return session.effective_status != SessionStatus.CANCELLED


def expected(event, session):
    """The people expected at ``session``: confirmed for it or for the whole event."""
    return (
        Registration.objects.confirmed()
        .filter(event=event, lead__isnull=False)
        .filter(Q(session__isnull=True) | Q(session=session))
        .select_related("lead", "organisation")
        .order_by("lead__last_name", "lead__first_name", "pk")
    )


def present_count(event, session):
    """How many of the people expected at ``session`` were checked in."""
    return Attendance.objects.filter(
        session=session, registration__in=expected(event, session).values("pk")
    ).count()


def folded(text):
    """A text for matching names: accents, case and spacing ignored."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    kept = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(kept.casefold().split())


def clean_search(text):
    """A search typed on the phone: printable characters only, at most 100."""
    text = "".join(char for char in (text or "") if char.isprintable())
    return " ".join(text.split())[:MAX_SEARCH_LENGTH]


def matching(registrations, search):
    """The registrations whose person's name (first, last, either order) or organisation holds
    every word of ``search``, accents ignored."""
    words = folded(search).split()
    if not words:
        return list(registrations)
    found = []
    for registration in registrations:
        lead = registration.lead
        haystack = folded(f"{lead.first_name} {lead.last_name} {lead.organisation}")
        if all(word in haystack for word in words):
            found.append(registration)
    return found


def identify(event, session, code):
    """The registration a scanned or typed code names, if it may be checked in for
    ``session``; else CheckInRefused with the reason in French."""
    public_id = read_code(code)
    if public_id is None:
        raise CheckInRefused(
            "Code non reconnu : il a pu être mal lu ou modifié. Scannez-le à nouveau ou "
            "cherchez la personne par son nom."
        )
    registration = (
        Registration.objects.select_related("lead", "event", "session")
        .filter(public_id=public_id)
        .first()
    )
    if registration is None or registration.lead is None:
        raise CheckInRefused("Ce code ne correspond à aucune inscription en cours.")
    return check_eligible(event, session, registration)


def check_eligible(event, session, registration):
    name = registration.person_name
    if registration.event_id != event.pk:
        raise CheckInRefused(
            f"{name} est inscrit·e à un autre événement : « {registration.event.title} »."
        )
    if registration.status == RegistrationStatus.CANCELLED:
        raise CheckInRefused(f"L'inscription de {name} est annulée.")
    if registration.status != RegistrationStatus.CONFIRMED:
        raise CheckInRefused(
            f"{name} est sur la liste d'attente : son inscription n'est pas confirmée."
        )
    if registration.session_id is not None and registration.session_id != session.pk:
        raise CheckInRefused(
            f"{name} est inscrit·e à une autre séance : {registration.session} "
            f"({short_date(registration.session.date)})."
        )
    return registration


# --- Checking in --------------------------------------------------------------------------------


def check_in(registration, session, *, user, method):
    """Marks the person present at ``session``: (attendance, created). Twice is fine: the
    second call returns the first check-in, also when two phones check the person in at once."""
    fields = {"checked_in_by": user, "method": method, "checked_in_at": timezone.now()}
    try:
        with transaction.atomic():
            return Attendance.objects.get_or_create(
                registration=registration, session=session, defaults=fields
            )
    except IntegrityError:  # the other phone's row committed between our read and our write
        return Attendance.objects.get(registration=registration, session=session), False


def undo(registration, session):
    """The check-in removed (a mistake): True if there was one."""
    deleted, _ = Attendance.objects.filter(registration=registration, session=session).delete()
    return bool(deleted)


def at(attendance):
    """ "9 h 12", in Paris."""
    return time_of_day(timezone.localtime(attendance.checked_in_at).time())


def message(registration, attendance, created):
    if created:
        return f"{registration.person_name} : présent·e, pointé·e à {at(attendance)}."
    return f"{registration.person_name} : déjà pointé·e à {at(attendance)}."


# --- What the sheet and the export say ----------------------------------------------------------


def present_at(event):
    """(registration id, séance id) → « 9 h 12 » for everyone checked in at ``event``."""
    return {
        (row.registration_id, row.session_id): at(row)
        for row in Attendance.objects.filter(session__page=event).order_by()
    }


def no_shows(sessions, confirmed, present):
    """For each séance held and begun: who was expected (confirmed for it or for the whole
    event) and not checked in. [(séance, present count, [registrations])]."""
    today = timezone.localdate()
    summary = []
    for session in sessions:
        if session.date > today:
            continue
        expected_here = [r for r in confirmed if r.session_id is None or r.session_id == session.pk]
        absent = [r for r in expected_here if (r.pk, session.pk) not in present]
        summary.append((session, len(expected_here) - len(absent), absent))
    return summary


def presence_label(attendance):
    """ "Présent le 12/03/2027 à 9 h 12" """
    when = timezone.localtime(attendance.checked_in_at)
    return f"Présent le {when:%d/%m/%Y} à {time_of_day(when.time())}"


def export_presence(chunk):
    """The registrations' export: its "Présence" column, per séance, one lookup per chunk.

    Each row holds the registration's id under "id"; it is replaced by, for each
    séance of its seat already held, « Présent le … » or « Absent »."""
    ids = [row["id"] for row in chunk if row["id"] is not None]
    if not ids:
        return
    rows = (
        Registration.objects.filter(pk__in=ids)
        .values_list("pk", "event_id", "session_id", "status")
        .order_by()
    )
    registrations = {row[0]: row[1:] for row in rows}
    event_ids = {event_id for event_id, _, _ in registrations.values()}
    sessions = {}
    for session in (
        EventSession.objects.filter(page_id__in=event_ids)
        .select_related("page")
        .order_by("page_id", "sort_order", "date", "pk")
    ):
        sessions.setdefault(session.page_id, []).append(session)
    for listed in sessions.values():
        number_sessions(listed)
    attended = {
        (attendance.registration_id, attendance.session_id): attendance
        for attendance in Attendance.objects.filter(registration_id__in=ids).order_by()
    }
    today = timezone.localdate()
    for row in chunk:
        pk = row["id"]
        if pk not in registrations:
            row["id"] = ""
            continue
        event_id, session_id, status = registrations[pk]
        seat = [
            session
            for session in sessions.get(event_id, [])
            if session_id is None or session.pk == session_id
        ]
        parts = []
        for session in seat:
            attendance = attended.get((pk, session.pk))
            if attendance is not None:
                text = presence_label(attendance)
            elif (
                status == RegistrationStatus.CONFIRMED
                and is_held(session)
                and (session.date <= today)
            ):
                text = "Absent"
            else:
                continue
            parts.append(f"{session.heading} : {text}" if len(seat) > 1 else text)
        row["id"] = " ; ".join(parts)
