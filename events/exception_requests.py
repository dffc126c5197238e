"""A request for an exception to an event for members: mailed to the club's staff through the
outbox (the lead managers who asked to hear of new registrations, or else the club's contact
address), with the visitor's address to reply to. Nothing else is stored."""

import hashlib
import logging

from django.contrib.auth import get_user_model
from django.urls import reverse

from contacts import mail, notifications, organisations
from contacts.models import ContactSettings, OutboundEmail, StaffNotificationPreference

from . import mails, membership

logger = logging.getLogger(__name__)

NOBODY = (
    "Votre demande n'a pas pu être envoyée : l'équipe du club n'a pas encore d'adresse pour la "
    "recevoir. Réessayez plus tard."
)


class NobodyToTell(Exception):
    """No staff address to send the request to: nothing was queued."""


def staff_addresses():
    """The lead managers who hear of new registrations (at once or in the digest), or the
    club's contact address when none does."""
    managers = (
        get_user_model()
        .objects.filter(is_active=True, groups__name=notifications.LEAD_MANAGERS)
        .exclude(email="")
        .exclude(staff_notifications__isnull=True)
        .exclude(staff_notifications__frequency=StaffNotificationPreference.Frequency.NONE)
        .order_by("pk")
        .values_list("email", flat=True)
        .distinct()
    )
    addresses = list(dict.fromkeys(managers))
    if addresses:
        return addresses
    contact = ContactSettings.load().contact_email
    return [contact] if contact else []


def what_the_register_says(email, on):
    found = organisations.check(email, on=on)
    if found.public_provider:
        return "adresse d'un fournisseur public : elle ne dit rien de l'organisme"
    if found.organisation is None:
        return "domaine inconnu du registre des organismes"
    state = "adhérent" if found.is_member else "non adhérent"
    return f"{found.organisation.name}, {state} pour {on.year}"


def send(event, data):
    """Queues the request to every staff address; once per form sent and address. Raises
    NobodyToTell when there is no address."""
    addresses = staff_addresses()
    if not addresses:
        logger.error("Exception request for event %s: no staff address to send it to", event.pk)
        raise NobodyToTell(NOBODY)
    on = membership.reference_date(event)
    context = {
        **mails.event_context(event),
        "name": f"{data['first_name']} {data['last_name']}",
        "email": data["email"],
        "organisation": data["organisation"],
        "message": data["message"],
        "register": what_the_register_says(data["email"], on),
        "admin_url": mail.site_url(f"{reverse('inscriptions:index')}?event={event.pk}"),
    }
    # The form's single-use token names one sending: a retry queues nothing more.
    sent = hashlib.sha256(data["started"].encode()).hexdigest()[:32]
    for address in addresses:
        mails.EXCEPTION_REQUEST.queue(
            to=address,
            context=context,
            headers={"Reply-To": data["email"]},
            once_key=f"events.exception_request:{sent}:{address}",
        )
    logger.info("Exception request for event %s sent to %s address(es)", event.pk, len(addresses))


def forget(sender, lead, **kwargs):
    """A person is erased (contacts.signals.lead_erased): the requests they sent go from the
    outbox, sent or not. Returns nothing: no row is kept."""
    OutboundEmail.objects.filter(
        kind=mails.EXCEPTION_REQUEST.name, body__icontains=lead.email
    ).delete()
