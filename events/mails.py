"""The mails this app sends to the people registered (contacts.mail): the registration
(confirmed or on the waiting list), a seat freed and offered to them, the seat they accepted,
a cancellation (theirs, or by the club), a reminder before each séance, and a change to a
séance they come to.

Each context is built from plain values (``seat``, ``place``, ``session_line``), so that the
admin's preview renders the same templates from the demo contexts, with no database.
"""

from contacts import mail, outbox

from .calendar import CONTENT_TYPE, build_calendar, calendar_entries
from .choices import AttendanceMode, SessionStatus
from .models.inlines import number_sessions

# What a notice says of a new status, in a sentence that needs no gender.
STATUS_NEWS = {
    SessionStatus.CANCELLED: "est annulée",
    SessionStatus.POSTPONED: "est reportée : sa nouvelle date vous sera communiquée",
    SessionStatus.MOVED_ONLINE: "se tiendra en ligne",
    SessionStatus.SCHEDULED: "a bien lieu comme prévu",
}


# --- Plain values the templates show -------------------------------------------------------------


def session_line(session):
    """One séance: its heading in a cycle, its date and times (Paris), its status if not
    scheduled."""
    status = session.effective_status
    return {
        "heading": session.heading,
        "when": session.when,
        "status": "" if status == SessionStatus.SCHEDULED else status.label,
    }


def event_sessions(event):
    """The event's sessions in order, numbered ("Séance 2") when there are several."""
    return number_sessions(event.sessions.order_by("sort_order"))


def seat(registration, sessions):
    """A registration's seat: the whole event (every session listed) or one session."""
    if registration.session_id is None:
        return {"label": "Ensemble de l'événement", "sessions": [session_line(s) for s in sessions]}
    chosen = [s for s in sessions if s.pk == registration.session_id]
    return {"label": registration.seat_label, "sessions": [session_line(s) for s in chosen]}


def place(event):
    """Where to go: the venue, its address and a map link; or the visio link; or what is known."""
    online = event.is_online
    venue = None if online or event.venue is None else event.venue
    return {
        "online": online,
        "online_url": event.online_url,
        "fallback": event.attendance_mode == AttendanceMode.IN_PERSON_WITH_FALLBACK,
        "venue_name": venue.name if venue else "",
        "address": venue.address if venue else "",
        "map_url": venue.map_url if venue else "",
        "label": event.place_label,
        "note": event.attendance_note,
    }


def change(session, changes):
    """A notice's lines for one session: ``changes`` as kept by EventPage.update_from_sessions
    (``{"status": (old, new), "when": (old, new), "place": (old, new)}``)."""
    news = []
    if "status" in changes:
        news.append(f"la séance {STATUS_NEWS[SessionStatus(changes['status'][1])]}")
    if "when" in changes:
        old, new = changes["when"]
        news.append(f"nouvel horaire : {new} (au lieu de {old})")
    if "place" in changes:
        old, new = changes["place"]
        news.append(f"nouveau lieu : {new} (au lieu de {old})")
    return {
        "heading": session.heading,
        "when": session.when,
        "news": news,
        "cancelled": session.effective_status == SessionStatus.CANCELLED,
    }


def event_context(event):
    return {"event_title": event.title, "event_url": event.full_url or mail.site_url()}


def calendar_attachment(event, sessions):
    """The .ics of ``sessions`` (numbered, of one event), with their UIDs and SEQUENCEs:
    calendars that hold them replace their copy."""
    content = build_calendar(calendar_entries(sessions, url=event.full_url or ""), name=event.title)
    return outbox.attachment(f"{event.slug}.ics", content.decode(), CONTENT_TYPE)


def booked_sessions(sessions, registrations):
    """The sessions ``registrations`` hold: every one for a seat at the whole event."""
    booked = {registration.session_id for registration in registrations}
    if None in booked:
        return list(sessions)
    return [session for session in sessions if session.pk in booked]


# --- Demo contexts (the admin's preview: nothing read from or written to a table) --------------

DEMO_SESSIONS = [
    {"heading": "Séance 1 - État des lieux", "when": "jeudi 13 octobre 2022, 9 h – 12 h"},
    {"heading": "Séance 2 - Prendre de la hauteur", "when": "jeudi 17 novembre 2022, 9 h – 12 h"},
]


def _demo_base():
    return {
        "first_name": "Camille",
        "event_title": "Revisiter la proximité",
        "event_url": mail.site_url("/agenda/revisiter-la-proximite/"),
        "place": {
            "online": False,
            "online_url": "",
            "fallback": False,
            "venue_name": "Novotel Paris Bercy",
            "address": "85 rue de Bercy, 75012 Paris",
            "map_url": "https://www.openstreetmap.org/search?query=85+rue+de+Bercy%2C+75012+Paris"
            "%2C+France",
            "label": "Novotel Paris Bercy, Paris",
            "note": "",
        },
        "price_label": "Adhérent : 500\u00a0€",
        "accessibility_needs": "Boucle magnétique",
        "cancel_url": mail.site_url("/inscriptions/annuler/exemple/"),
    }


def _demo_seat():
    return {
        "label": "Ensemble de l'événement",
        "sessions": [{**line, "status": ""} for line in DEMO_SESSIONS],
    }


def registration_demo():
    return {
        **_demo_base(),
        "confirmed": [_demo_seat()],
        "waiting": [],
        "qr_codes": [
            {
                "label": "Ensemble de l'événement",
                "url": mail.site_url("/inscriptions/code/exemple/qr.png"),
            }
        ],
    }


def promotion_demo():
    return {**_demo_base(), "seats": [_demo_seat()]}


def offer_demo():
    return {
        **_demo_base(),
        "seats": [_demo_seat()],
        "expires_label": "jeudi 6 octobre 2022 à 14\u00a0h",
        "offer_hours": 48,
        "accept_url": mail.site_url("/inscriptions/place/exemple/accepter/"),
        "decline_url": mail.site_url("/inscriptions/place/exemple/refuser/"),
    }


def cancellation_demo():
    return {**_demo_base(), "seats": [_demo_seat()]}


def reminder_demo():
    return {
        **_demo_base(),
        "days": 7,
        "when_label": "dans 7 jours",
        "session": {**DEMO_SESSIONS[0], "status": ""},
    }


def change_demo():
    return {
        **_demo_base(),
        "changes": [
            {
                "heading": "Séance 2 - Prendre de la hauteur",
                "when": "vendredi 18 novembre 2022, 14 h – 17 h",
                "news": [
                    "nouvel horaire : vendredi 18 novembre 2022, 14 h – 17 h (au lieu de "
                    "jeudi 17 novembre 2022, 9 h – 12 h)"
                ],
                "cancelled": False,
            }
        ],
    }


# --- The kinds ---------------------------------------------------------------------------------

REGISTRATION = mail.register(
    mail.Mail(
        name="events.registration",
        label="Inscription à un événement : confirmation ou liste d'attente",
        recipients="la personne qui s'inscrit",
        when="à chaque inscription sur le site (une fois par réservation)",
        demo=registration_demo,
    )
)
OFFER = mail.register(
    mail.Mail(
        name="events.seat_offered",
        label="Inscription à un événement : une place vous est proposée",
        recipients="la première personne de la liste d'attente",
        when="quand une place se libère ou que des places sont ajoutées (la place lui est "
        "gardée le délai réglé sur l'événement, 48 heures par défaut)",
        demo=offer_demo,
    )
)
PROMOTION = mail.register(
    mail.Mail(
        name="events.registration_promoted",
        label="Inscription à un événement : place acceptée, inscription confirmée",
        recipients="la personne de la liste d'attente qui accepte la place proposée",
        when="quand elle accepte la place avec le lien de l'e-mail de proposition",
        demo=promotion_demo,
    )
)
CANCELLED = mail.register(
    mail.Mail(
        name="events.registration_cancelled",
        label="Inscription à un événement : annulation confirmée",
        recipients="la personne qui annule son inscription",
        when="quand elle annule avec le lien de ses e-mails",
        demo=cancellation_demo,
    )
)
CANCELLED_BY_STAFF = mail.register(
    mail.Mail(
        name="events.registration_cancelled_by_staff",
        label="Inscription à un événement : annulée par le club",
        recipients="la personne dont l'inscription est annulée",
        when="quand l'équipe annule une inscription dans l'administration",
        demo=cancellation_demo,
    )
)
REMINDER = mail.register(
    mail.Mail(
        name="events.session_reminder",
        label="Rappel avant une séance",
        recipients="les personnes dont l'inscription à la séance est confirmée",
        when="les jours avant chaque séance réglés sur l'événement (par défaut 7 et 1)",
        demo=reminder_demo,
    )
)
CHANGED = mail.register(
    mail.Mail(
        name="events.session_changed",
        label="Changement d'une séance",
        recipients="les personnes dont l'inscription à la séance est confirmée",
        when="quand un événement est publié avec une séance annulée, reportée, passée en ligne, "
        "ou dont l'horaire ou le lieu change",
        demo=change_demo,
    )
)


def exception_request_demo():
    return {
        "event_title": "Revisiter la proximité",
        "event_url": mail.site_url("/agenda/revisiter-la-proximite/"),
        "name": "Camille Martin",
        "email": "camille.martin@exemple.fr",
        "organisation": "Habitat Exemple",
        "message": "Notre organisme adhère au club à partir de janvier.",
        "register": "Habitat Exemple, non adhérent pour 2027",
        "admin_url": mail.site_url("/admin/inscriptions/"),
    }


EXCEPTION_REQUEST = mail.register(
    mail.Mail(
        name="events.exception_request",
        label="Demande d'exception à un événement réservé aux adhérents (gestionnaires)",
        recipients="les gestionnaires de leads qui reçoivent les notifications, sinon l'adresse "
        "de contact du club",
        when="quand une personne que le registre ne compte pas parmi les adhérents demande à "
        "s'inscrire à un événement réservé aux adhérents",
        demo=exception_request_demo,
    )
)


# --- Self-service from the signed link (events.self_service) -----------------------------------


def sessions_changed_demo():
    return {
        **_demo_base(),
        "confirmed": [_demo_seat()],
        "waiting": [],
        "dropped": [
            {"label": "Séance 3", "sessions": [{**DEMO_SESSIONS[1], "heading": "Séance 3"}]}
        ],
    }


def transfer_asked_demo():
    return {
        **_demo_base(),
        "first_name": "Dominique",
        "from_name": "Camille Martin",
        "seats": [_demo_seat()],
        "expires_label": "jeudi 6 octobre 2022 à 14\u00a0h",
        "confirm_url": mail.site_url("/inscriptions/transfert/exemple/"),
    }


def transferred_demo():
    return {**_demo_base(), "to_name": "Dominique Petit", "seats": [_demo_seat()]}


SESSIONS_CHANGED = mail.register(
    mail.Mail(
        name="events.sessions_changed",
        label="Inscription à un événement : vos séances ont changé",
        recipients="la personne qui change ses séances",
        when="quand elle coche ou décoche des séances avec le lien de ses e-mails",
        demo=sessions_changed_demo,
    )
)
TRANSFER_ASKED = mail.register(
    mail.Mail(
        name="events.transfer_asked",
        label="Inscription à un événement : un collègue vous cède sa place",
        recipients="le collègue à qui une personne inscrite cède sa place",
        when="quand la personne inscrite le demande avec le lien de ses e-mails (le lien de "
        "confirmation vaut 72 heures, une fois)",
        demo=transfer_asked_demo,
    )
)
TRANSFERRED = mail.register(
    mail.Mail(
        name="events.transferred",
        label="Inscription à un événement : votre place est cédée",
        recipients="la personne qui a cédé sa place",
        when="quand son collègue confirme la reprise de la place",
        demo=transferred_demo,
    )
)
