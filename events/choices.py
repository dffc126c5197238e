"""The fixed vocabularies of events: statuses, attendance modes, roles.

Kinds of event are a snippet (editors add them); these lists change only with the code,
because the calendar files and the schema.org data map each value to a standard one.
"""

from django.db import models


class EventStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Programmé"
    CANCELLED = "cancelled", "Annulé"
    POSTPONED = "postponed", "Reporté"
    MOVED_ONLINE = "moved_online", "Passé en ligne"


class SessionStatus(models.TextChoices):
    """The same values as EventStatus, so that an event's status can stand for its sessions'."""

    SCHEDULED = "scheduled", "Programmée"
    CANCELLED = "cancelled", "Annulée"
    POSTPONED = "postponed", "Reportée"
    MOVED_ONLINE = "moved_online", "Passée en ligne"


# The colour of a status badge (Bootstrap's text-bg-*), for events and sessions alike.
STATUS_TONES = {"cancelled": "danger", "postponed": "warning", "moved_online": "info"}


class AttendanceMode(models.TextChoices):
    IN_PERSON = "in_person", "Présentiel"
    ONLINE = "online", "En ligne"
    IN_PERSON_WITH_FALLBACK = "fallback", "Présentiel, avec repli en visio"


class RegistrationState(models.TextChoices):
    """Not a field: what the registration block says, computed from the page and the day."""

    OPEN = "open", "Inscriptions ouvertes"
    FULL = "full", "Complet"
    CLOSED = "closed", "Inscriptions closes"
    OVER = "over", "Événement passé"
    CANCELLED = "cancelled", "Événement annulé"


class PersonRole(models.TextChoices):
    SPEAKER = "speaker", "Intervenant"
    KEY_WITNESS = "key_witness", "Grand témoin"
    HOST = "host", "Animateur"
    RESEARCHER = "researcher", "Chercheur"


# How each role is introduced on the event page, for one person and for several.
PERSON_ROLE_HEADINGS = {
    PersonRole.SPEAKER: ("Intervenant", "Intervenants"),
    PersonRole.KEY_WITNESS: ("Grand témoin", "Grands témoins"),
    PersonRole.HOST: ("Animateur", "Animateurs"),
    PersonRole.RESEARCHER: ("Chercheur", "Chercheurs"),
}


class OrganisationRole(models.TextChoices):
    PILOT = "pilot", "Pilote"
    ORGANISER = "organiser", "Organisateur"
    PARTNER = "partner", "Partenaire"


ORGANISATION_ROLE_HEADINGS = {
    OrganisationRole.PILOT: ("Pilote", "Pilotes"),
    OrganisationRole.ORGANISER: ("Proposé par", "Proposé par"),
    OrganisationRole.PARTNER: ("Partenaire", "Partenaires"),
}
