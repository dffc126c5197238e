"""Attendance certificates (« attestation de présence »): after a séance, staff send each
person present a PDF naming the club, the person, their organisation, the event and each
séance they attended with its date and hours, and the total; the person downloads it again
from the link of their mails.

The PDF is made here (reportlab, its standard fonts: Latin-1 text, anything else replaced), so
that no stored name can break it.
"""

import datetime
import hashlib
import io
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.text import slugify

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from contacts import mail, outbox
from contacts.models import ContactSettings

from . import attendance
from .dates import long_date, time_range
from .models import Attendance, Registration

CONTENT_TYPE = "application/pdf"


def can_issue(session):
    """Once the séance has begun (its day, when its times are unknown), if it is held."""
    if not attendance.is_held(session):
        return False
    starts = session.starts_at
    if isinstance(starts, datetime.datetime):
        return starts <= timezone.now()
    return starts <= timezone.localdate()


def duration(session):
    """A séance's length, or None when its times are not known."""
    if session.start_time is None or session.end_time is None:
        return None
    start = datetime.datetime.combine(session.date, session.start_time)
    end = datetime.datetime.combine(session.date, session.end_time)
    return end - start if end > start else None


def hours_label(delta):
    """ "3 h", "6 h 30" """
    minutes = int(delta.total_seconds() // 60)
    hours, rest = divmod(minutes, 60)
    return f"{hours}\u00a0h\u00a0{rest:02d}" if rest else f"{hours}\u00a0h"


def attended(registration):
    """The séances the person attended, in order, numbered as in the event."""
    present = set(registration.attendances.values_list("session_id", flat=True))
    return [s for s in attendance.sessions_of(registration.event) if s.pk in present]


def lines(sessions):
    """Each séance attended: heading, date, hours, length; and the total length."""
    rows, total = [], datetime.timedelta()
    for session in sessions:
        length = duration(session)
        if length is not None:
            total += length
        rows.append(
            {
                "heading": session.heading or session.page.title,
                "date": long_date(session.date),
                "hours": time_range(session.start_time, session.end_time)
                or "horaires non précisés",
                "length": hours_label(length) if length else "",
            }
        )
    return rows, hours_label(total) if total else ""


def _latin1(text):
    """What reportlab's standard fonts can draw: printable Latin-1, the rest replaced."""
    text = str(text or "").replace("\u202f", "\u00a0").replace("’", "'")
    text = "".join(char if char.isprintable() else " " for char in text)
    return text.encode("cp1252", errors="replace").decode("cp1252")


def _p(text, style):
    return Paragraph(escape(_latin1(text)), style)


def organisation_of(registration):
    if registration.organisation_id:
        return registration.organisation.name
    return registration.lead.organisation if registration.lead_id else ""


def pdf(registration, *, sessions=None):
    """The certificate of ``registration`` (a person with a lead) as PDF bytes."""
    if sessions is None:
        sessions = attended(registration)
    rows, total = lines(sessions)
    club = ContactSettings.load()
    lead = registration.lead
    styles = getSampleStyleSheet()
    body, small = styles["BodyText"], styles["Normal"]
    story = [
        _p(club.organisation_name, styles["Heading3"]),
        *([_p(club.postal_address.replace("\n", ", "), small)] if club.postal_address else []),
        Spacer(1, 12 * mm),
        _p("Attestation de présence", styles["Title"]),
        Spacer(1, 6 * mm),
        _p(
            f"{club.organisation_name} atteste que {lead.full_name}"
            + (f", {lead.job_title}" if lead.job_title else "")
            + (f" ({organisation_of(registration)})" if organisation_of(registration) else "")
            + f", a assisté à l'événement « {registration.event.title} » :",
            body,
        ),
        Spacer(1, 4 * mm),
    ]
    table = [["Séance", "Date", "Horaires", "Durée"]] + [
        [_p(row["heading"], small), *(_latin1(row[key]) for key in ("date", "hours", "length"))]
        for row in rows
    ]
    grid = Table(table, colWidths=[62 * mm, 50 * mm, 36 * mm, 22 * mm], repeatRows=1)
    grid.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story += [grid, Spacer(1, 4 * mm)]
    if total:
        story.append(_p(f"Durée totale : {total}", styles["Heading4"]))
    story += [
        Spacer(1, 10 * mm),
        _p(
            f"Fait le {long_date(timezone.localdate(), weekday=False)}, pour servir et valoir "
            "ce que de droit.",
            body,
        ),
    ]
    output = io.BytesIO()
    document = SimpleDocTemplate(
        output,
        pagesize=A4,
        title=_latin1(f"Attestation de présence – {lead.full_name}"),
        author=_latin1(club.organisation_name),
        leftMargin=20 * mm,
        rightMargin=20 * mm,
    )
    document.build(story)
    return output.getvalue()


def filename(registration):
    name = slugify(registration.lead.full_name if registration.lead_id else "") or "participant"
    return f"attestation-presence-{slugify(registration.event.slug)[:60]}-{name[:60]}.pdf"


# --- The mail -----------------------------------------------------------------------------------


def demo_context():
    return {
        "first_name": "Camille",
        "event_title": "Revisiter la proximité",
        "sessions": [
            {
                "heading": "Séance 1 - Pourquoi la proximité ?",
                "date": "jeudi 13 octobre 2022",
                "hours": "9\u00a0h – 12\u00a0h",
                "length": "3\u00a0h",
            }
        ],
        "total": "3\u00a0h",
        "certificate_url": mail.site_url("/inscriptions/attestation/exemple/"),
    }


CERTIFICATE = mail.register(
    mail.Mail(
        name="events.attendance_certificate",
        label="Attestation de présence à un événement",
        recipients="les personnes pointées présentes à une séance",
        when="quand l'équipe envoie les attestations depuis la page de pointage, après la séance "
        "(une fois par personne et par ensemble de séances suivies)",
        demo=demo_context,
    )
)


def issue(event, session):
    """Queues a certificate to each person checked in at ``session``: how many were queued.
    Each names every séance of the event the person attended so far; a person already sent
    the same certificate gets nothing more."""
    registrations = (
        Registration.objects.filter(attendances__session=session, event=event, lead__isnull=False)
        .select_related("lead", "event", "organisation")
        .order_by("pk")
        .distinct()
    )
    sessions = attendance.sessions_of(event)
    present = {}
    for attendance_row in Attendance.objects.filter(registration__in=registrations).order_by():
        present.setdefault(attendance_row.registration_id, set()).add(attendance_row.session_id)
    queued = 0
    for registration in registrations:
        chosen = [s for s in sessions if s.pk in present.get(registration.pk, ())]
        rows, total = lines(chosen)
        digest = hashlib.sha256(",".join(str(s.pk) for s in chosen).encode()).hexdigest()[:16]
        queued += (
            CERTIFICATE.queue(
                to=registration.lead.email,
                context={
                    "first_name": registration.lead.first_name,
                    "event_title": event.title,
                    "sessions": rows,
                    "total": total,
                    "certificate_url": attendance.certificate_url(registration),
                },
                attachments=[
                    outbox.attachment(
                        filename(registration), pdf(registration, sessions=chosen), CONTENT_TYPE
                    )
                ],
                once_key=f"events.attendance_certificate:{registration.public_id}:{digest}",
            )
            is not None
        )
    return queued
