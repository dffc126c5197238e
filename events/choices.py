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
    NOT_YET = "not_yet", "Inscriptions à venir"
    WAITING_LIST = "waiting_list", "Complet – liste d'attente"
    FULL = "full", "Complet"
    CLOSED = "closed", "Inscriptions closes"
    OVER = "over", "Événement passé"
    CANCELLED = "cancelled", "Événement annulé"


class RegistrationMode(models.TextChoices):
    NONE = "none", "Pas d'inscription"
    EXTERNAL = "external", "Sur un autre site (lien)"
    SITE = "site", "Sur ce site (formulaire)"


class RegistrationScope(models.TextChoices):
    """For a cycle: one registration for every session, or a choice of sessions."""

    WHOLE_EVENT = "event", "Pour l'ensemble des séances"
    PER_SESSION = "session", "Séance par séance"


class PriceAudience(models.TextChoices):
    """Who may choose a price in the registration form."""

    EVERYONE = "everyone", "Tout le monde"
    MEMBERS = "members", "Adhérents du club"
    NON_MEMBERS = "non_members", "Non-adhérents"
    NOT_OFFERED = "not_offered", "Affiché seulement (pas proposé à l'inscription)"


class MembershipCheck(models.TextChoices):
    """How a registration's membership was known: from the register, never the visitor's word."""

    MEMBER = "member", "Adhérent (vérifié)"
    TO_CHECK = "to_check", "Adhésion à vérifier"
    NON_MEMBER = "non_member", "Non adhérent"


# How the registrations' list and export name each, « À vérifier » standing out.
MEMBERSHIP_FLAGS = {
    MembershipCheck.MEMBER: "Adhérent vérifié",
    MembershipCheck.TO_CHECK: "À vérifier",
    MembershipCheck.NON_MEMBER: "Non adhérent",
}


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", "Confirmée"
    WAITING = "waiting", "Liste d'attente"
    # A seat freed for the first person waiting, held for them until they accept, decline or
    # the offer expires (EventPage.offer_hours): it counts as taken.
    OFFERED = "offered", "Place proposée"
    CANCELLED = "cancelled", "Annulée"


# The statuses that hold a seat: what the places left are counted from.
HOLDING_SEAT = (RegistrationStatus.CONFIRMED, RegistrationStatus.OFFERED)


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
