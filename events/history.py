"""The history of each registration: who changed what, and when, shown in the admin as the
registration's « Historique » (Wagtail's history view of the registrations' viewset) and read
by the registrations' export for the dates it derives.

Entries are Wagtail's own log entries (``wagtail.models.ModelLogEntry``) with the actions
below, written in the same transaction as the change they record. Who acted is the entry's
user for staff (Wagtail's log context names the admin's user), else ``data["by"]``: the
person from their signed link, or the site itself (an offer made, or expired). Entries name
people by their lead's id, never by name or address: erasing a person leaves nothing of them
in the history (``contacts.services`` erases the lead; the history then shows « (données
effacées) »).

``data`` holds what changed, as text staff can read (« Séance 2 (12/03/2027) »), so that
the history still reads after an editor renames a séance or a price:
- ``changes``: a list of ``[what, before, after]``;
- ``by``: ``"person"``, ``"staff"`` or ``"site"``;
- ``notified``: whether the person was mailed;
- ``lead``/``to_lead``: lead ids of a transfer;
- ``note``: a free comment staff typed (a phone booking's « par téléphone »).
"""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from wagtail.log_actions import LogFormatter, get_active_log_context
from wagtail.models import ModelLogEntry

PREFIX = "events.registration."


class Action(models.TextChoices):
    REGISTERED = PREFIX + "registered", "Inscription"
    ADDED_BY_STAFF = PREFIX + "added_by_staff", "Inscription ajoutée par l'équipe"
    SEAT_CHANGED = PREFIX + "seat_changed", "Séances changées"
    PRICE_CHANGED = PREFIX + "price_changed", "Tarif changé"
    CANCELLED = PREFIX + "cancelled", "Annulation"
    OFFERED = PREFIX + "offered", "Place proposée"
    OFFER_ACCEPTED = PREFIX + "offer_accepted", "Place acceptée"
    OFFER_DECLINED = PREFIX + "offer_declined", "Place refusée"
    OFFER_EXPIRED = PREFIX + "offer_expired", "Offre expirée"
    PROMOTED = PREFIX + "promoted", "Confirmée depuis la liste d'attente"
    TRANSFER_ASKED = PREFIX + "transfer_asked", "Transfert demandé"
    TRANSFERRED = PREFIX + "transferred", "Place transférée"


class By(models.TextChoices):
    PERSON = "person", "la personne, depuis le lien de son e-mail"
    STAFF = "staff", "l'équipe"
    SITE = "site", "le site, automatiquement"


def record(registrations, action, *, user=None, **data):
    """Writes one history entry per registration (one query for all of them). ``user``: the
    staff member who acted, else the admin's active user, if any; ``data``: see the module."""
    if not isinstance(registrations, list | tuple):
        registrations = [registrations]
    if not registrations:
        return []
    context = get_active_log_context()
    user = user or context.user
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    content_type = ContentType.objects.get_for_model(registrations[0], for_concrete_model=False)
    now = timezone.now()
    return ModelLogEntry.objects.bulk_create(
        [
            ModelLogEntry(
                content_type=content_type,
                object_id=str(registration.pk),
                label=str(registration.pk),
                action=str(action),
                timestamp=now,
                data=data,
                user=user,
                uuid=context.uuid,
                content_changed=True,
            )
            for registration in registrations
        ]
    )


def entries(registration):
    """A registration's history, oldest first."""
    return (
        ModelLogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(registration, for_concrete_model=False),
            object_id=str(registration.pk),
            action__startswith=PREFIX,
        )
        .select_related("user")
        .order_by("timestamp", "pk")
    )


class RegistrationLogFormatter(LogFormatter):
    """« Séances changées – Séance : Séance 1 (12/03/2027) → Séance 2 (19/03/2027) – par la
    personne… »; one subclass per action (``register_actions``) sets label and message."""

    def format_message(self, log_entry):
        data = log_entry.data or {}
        parts = [self.message]
        changes = [
            f"{what} : {before or '—'} → {after or '—'}"
            for what, before, after in data.get("changes", [])
        ]
        if changes:
            parts.append(" ; ".join(changes))
        by = data.get("by")
        if by in By.values and by != By.STAFF:
            parts.append(f"par {By(by).label}")
        if "notified" in data:
            parts.append("personne prévenue par e-mail" if data["notified"] else "sans e-mail")
        if data.get("note"):
            parts.append(f"« {data['note']} »")
        return " – ".join(part for part in parts if part)


def register_actions(actions):
    """For the ``register_log_actions`` hook (events.wagtail_hooks)."""
    for action in Action:
        formatter = type(
            f"{action.name.title().replace('_', '')}Formatter",
            (RegistrationLogFormatter,),
            {"label": action.label, "message": action.label},
        )
        actions.register_action(action.value)(formatter)
