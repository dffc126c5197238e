"""Signal receivers: each only calls a service."""

from . import services
from .models import Registration


def notify_session_changes(sender, instance, **kwargs):
    """A published event whose sessions changed (cancelled, postponed, online, a new time or
    place) tells the people registered for them."""
    services.notify_session_changes(instance)


def fill_seats_after_publish(sender, instance, **kwargs):
    """A published event may have more places than before: they are offered to the people
    waiting."""
    services.fill_from_waiting_list(instance)


def anonymise_registrations(sender, lead, **kwargs):
    """A person is erased (contacts.signals.lead_erased): their registrations stay, and keep
    their seats, with nothing personal."""
    return services.anonymise_registrations(lead)


def personal_data(lead):
    """The lead's registrations, for their own data download (contacts.activity)."""
    return [
        {
            "inscrit le": row.created_at,
            "événement": row.event.title,
            "séance": row.seat_label,
            "statut": row.get_status_display(),
            "adhérent": row.is_member,
            "tarif choisi": row.price_label,
            "besoins d'accessibilité": row.accessibility_needs,
            "commentaire": row.comment,
            "texte de consentement affiché": row.consent_text,
            "page": row.page_url,
            "confirmée le": row.confirmed_at,
            "annulée le": row.cancelled_at,
        }
        for row in lead.registrations.select_related("event", "session").order_by(
            "created_at", "pk"
        )
    ]


def lead_registrations(lead):
    """The lead's registrations, for their admin page (contacts.activity)."""
    return lead.registrations.select_related("event", "session").order_by("-created_at")


def new_registration_lines(since):
    """The registrations taken since ``since``, a line each, for the staff's daily digest
    (contacts.notifications)."""
    registrations = (
        Registration.objects.filter(created_at__gte=since)
        .select_related("event", "session", "lead")
        .order_by("created_at", "pk")
    )
    return [
        f"{r.event.title} – {r.person_name} ({r.seat_label}) : {r.get_status_display().lower()}"
        for r in registrations
    ]
