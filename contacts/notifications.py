"""The lead managers' notifications of new leads and registrations, as each chose in their
account settings (StaffNotificationPreference): a mail at once, a daily digest, or nothing.

A new lead is told by ``save_lead`` (``new_lead``); a new registration by the
``registration_made`` signal (contacts.signals), which the app taking it sends, so that
contacts never imports it. The digest asks each app for its lines of the day through
``register_digest_section``, the same way contacts.activity asks for dates.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from . import mail
from .models import Lead, OutboundEmail, StaffNotificationPreference

LEAD_MANAGERS = "Gestionnaires de leads"
Frequency = StaffNotificationPreference.Frequency


def recipients(frequency):
    """Active lead managers with an address who chose ``frequency``."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            groups__name=LEAD_MANAGERS,
            staff_notifications__frequency=frequency,
        )
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


def admin_url(path):
    return mail.site_url(path)


# --- At once -------------------------------------------------------------------------------------


def _lead_context(lead):
    return {
        "lead": lead,
        "admin_url": admin_url(reverse("leads:inspect", args=[lead.pk])),
    }


def new_lead_demo():
    return {
        "lead": {
            "first_name": "Camille",
            "last_name": "Martin",
            "email": "camille.martin@oph-exemple.fr",
            "organisation": "OPH Exemple",
            "get_organisation_type_display": "OPH",
        },
        "admin_url": admin_url("/admin/leads/inspect/1/"),
    }


NEW_LEAD = mail.register(
    mail.Mail(
        name="contacts.staff_new_lead",
        label="Nouveau lead (gestionnaires)",
        recipients="les gestionnaires de leads qui l'ont choisi dans leur compte",
        when="à chaque nouveau lead (une personne encore inconnue du site)",
        demo=new_lead_demo,
    )
)


def new_lead(lead):
    """Queues, in the caller's transaction, a mail about a new ``lead`` to each lead manager who
    wants one at once (once per lead and person, whatever retries the caller makes)."""
    context = _lead_context(lead)
    for user in recipients(Frequency.IMMEDIATE):
        NEW_LEAD.queue(to=user.email, context=context, once_key=f"staff-lead:{lead.pk}:{user.pk}")


def new_registration_demo():
    return {
        "lead": new_lead_demo()["lead"],
        "title": "Atelier du club : la qualité de service",
        "details": ["Séance 1 – 12 mars 2027 : confirmée"],
        "admin_url": admin_url("/admin/inscriptions/"),
    }


NEW_REGISTRATION = mail.register(
    mail.Mail(
        name="contacts.staff_new_registration",
        label="Nouvelle inscription (gestionnaires)",
        recipients="les gestionnaires de leads qui l'ont choisi dans leur compte",
        when="à chaque nouvelle inscription à un événement",
        demo=new_registration_demo,
    )
)


def registration_made(sender, *, lead, title, details, key, admin_url, **kwargs):
    """The ``registration_made`` receiver: a mail to each lead manager who wants one at once."""
    context = {"lead": lead, "title": title, "details": details, "admin_url": admin_url}
    for user in recipients(Frequency.IMMEDIATE):
        NEW_REGISTRATION.queue(
            to=user.email, context=context, once_key=f"staff-registration:{key}:{user.pk}"
        )


# --- The daily digest ----------------------------------------------------------------------------


@dataclass(frozen=True)
class DigestSection:
    title: str  # "Nouvelles inscriptions"
    lines: Callable  # since -> list of short lines, one per new item
    admin_path: str  # where staff see them all


_sections = []


def register_digest_section(title, lines, admin_path):
    """Adds a section to the digest: ``lines(since)`` gives a line per item new since then."""
    section = DigestSection(title, lines, admin_path)
    if section not in _sections:
        _sections.append(section)


def _lead_line(lead):
    organisation = f" ({lead.organisation})" if lead.organisation else ""
    return f"{lead.first_name} {lead.last_name}{organisation} – {lead.email}"


def digest_sections(since):
    """Every section of the digest with what is new since ``since``: the leads, then each
    app's."""
    leads = Lead.objects.filter(created_at__gte=since).order_by("created_at", "pk")
    sections = [("Nouveaux leads", [_lead_line(lead) for lead in leads], "/admin/leads/")]
    sections += [(s.title, s.lines(since), s.admin_path) for s in _sections]
    return [
        {"title": title, "lines": lines, "count": len(lines), "admin_url": admin_url(path)}
        for title, lines, path in sections
    ]


def digest_demo():
    return {
        "day": timezone.localdate(),
        "sections": [
            {
                "title": "Nouveaux leads",
                "lines": ["Camille Martin (OPH Exemple) – camille.martin@oph-exemple.fr"],
                "count": 1,
                "admin_url": admin_url("/admin/leads/"),
            },
            {
                "title": "Nouvelles inscriptions",
                "lines": ["Atelier du club : la qualité de service – Camille Martin : confirmée"],
                "count": 1,
                "admin_url": admin_url("/admin/inscriptions/"),
            },
        ],
    }


DIGEST = mail.register(
    mail.Mail(
        name="contacts.staff_digest",
        label="Récapitulatif quotidien (gestionnaires)",
        recipients="les gestionnaires de leads qui l'ont choisi dans leur compte",
        when="une fois par jour, s'il y a eu de nouveaux leads ou de nouvelles inscriptions",
        demo=digest_demo,
    )
)


def send_digest(now=None):
    """Queues the digest of the last 24 hours to each lead manager who chose it, once per person
    and day (a second run the same day queues nothing); nobody gets an empty one. Returns how
    many were queued."""
    now = now or timezone.now()
    day = timezone.localdate(now)
    sections = digest_sections(now - timedelta(days=1))
    if not any(section["count"] for section in sections):
        return 0
    queued = 0
    for user in recipients(Frequency.DAILY):
        queued += bool(
            DIGEST.queue(
                to=user.email,
                context={"day": day, "sections": sections},
                once_key=f"staff-digest:{user.pk}:{day.isoformat()}",
            )
        )
    return queued


def forget(lead):
    """A person is erased (contacts.services.erase_lead): the staff's mails that name them go
    from the outbox too, sent or not (a digest that named them is not sent)."""
    kinds = [NEW_LEAD.name, NEW_REGISTRATION.name, DIGEST.name]
    OutboundEmail.objects.filter(kind__in=kinds, body__icontains=lead.email).delete()
