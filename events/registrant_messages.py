"""Staff write to an event's registrants from the admin: the recipients (confirmed, waiting or
both; of the whole event or of one séance), the mail each gets (a registered kind,
contacts.mail), a test copy to the writer, and the sending, logged (RegistrantMessage) and
owed once per message and person: a double click or a retry never sends twice."""

from django.db import transaction

from contacts import mail

from .choices import RegistrationStatus
from .models import RegistrantMessage, Registration

Audience = RegistrantMessage.Audience
STATUSES = {
    Audience.CONFIRMED: [RegistrationStatus.CONFIRMED],
    # A person offered a seat has not answered yet: still waiting, as far as a message goes.
    Audience.WAITING: [RegistrationStatus.WAITING, RegistrationStatus.OFFERED],
    Audience.BOTH: [
        RegistrationStatus.CONFIRMED,
        RegistrationStatus.WAITING,
        RegistrationStatus.OFFERED,
    ],
}


def can_write_to_registrants(user):
    """Lead managers (events 0005) and superusers."""
    return user.has_perm("events.add_registrantmessage")


def demo_context():
    return {
        "first_name": "Camille",
        "subject": "Informations pratiques pour l'atelier",
        "body": "L'atelier aura lieu en salle 2, au premier étage.\n\nÀ très bientôt.",
        "event_title": "Atelier du club : la qualité de service",
        "seat": "Séance 1 – 12 mars 2027",
        "event_url": mail.site_url("/agenda/atelier-qualite-de-service/"),
    }


REGISTRANT_MESSAGE = mail.register(
    mail.Mail(
        name="events.registrant_message",
        label="Message aux inscrits d'un événement",
        recipients="les inscrits d'un événement ou d'une séance (confirmés, liste d'attente)",
        when="quand un gestionnaire leur écrit depuis l'administration",
        demo=demo_context,
    )
)


def recipients(event, session, audience):
    """One registration per person (several seats, one mail), erased people left out. For an
    event one registers for as a whole, a séance's registrants are all of the event's."""
    registrations = Registration.objects.filter(
        event=event, status__in=STATUSES[audience], lead__isnull=False
    )
    if session is not None and event.registers_per_session:
        registrations = registrations.filter(session=session)
    chosen = {}
    for registration in registrations.select_related("lead").order_by("created_at", "pk"):
        chosen.setdefault(registration.lead_id, registration)
    return list(chosen.values())


def context(event, session, subject, body, first_name):
    return {
        "first_name": first_name,
        "subject": subject,
        "body": body,
        "event_title": event.title,
        "seat": str(session) if session else "",
        "event_url": event.full_url or "",
    }


def render(event, session, subject, body, first_name):
    return REGISTRANT_MESSAGE.render(context(event, session, subject, body, first_name))


def send_test(user, event, session, subject, body):
    """A copy to the writer, as the first recipient would get it (not logged as sent)."""
    return REGISTRANT_MESSAGE.queue(
        to=user.email,
        context=context(event, session, f"[Test] {subject}", body, user.first_name),
    )


def send(*, token, user, event, session, audience, subject, body):
    """Logs the message and queues a mail per person, in one transaction. Returns (message,
    created): a token seen already sends nothing and returns the first message."""
    with transaction.atomic():
        message, created = RegistrantMessage.objects.get_or_create(
            token=token,
            defaults={
                "event": event,
                "session": session,
                "audience": audience,
                "subject": subject,
                "body": body,
                "sent_by": user,
                "sent_by_name": user.get_full_name() or user.get_username(),
            },
        )
        if not created:
            return message, False
        people = recipients(event, session, audience)
        for registration in people:
            REGISTRANT_MESSAGE.queue(
                to=registration.lead.email,
                context=context(event, session, subject, body, registration.lead.first_name),
                once_key=f"registrant-message:{message.token}:{registration.lead_id}",
            )
        message.recipient_count = len(people)
        message.save(update_fields=["recipient_count"])
    return message, True
