"""A lead manager writes to an event's registrants: from its registrations, fills the message,
sees the preview of the mail as it will be sent, and sends it once."""

from django.contrib.auth.models import Group

import pytest
from playwright.sync_api import expect

from contacts.models import OutboundEmail
from events.models import EventPage, RegistrantMessage, Registration
from tests.e2e.admin import log_in
from tests.factories.publications import LeadFactory

from .conftest import DESKTOP

PASSWORD = "un mot de passe assez long"


@pytest.fixture
def registrants(site_url, django_user_model):
    event = EventPage.objects.get(slug="revisiter-la-proximite")
    for first_name in ("Marie", "Jean"):
        Registration.objects.create(
            event=event,
            lead=LeadFactory(first_name=first_name, email=f"{first_name.lower()}@oph-exemple.fr"),
            status="confirmed",
            consent_text="oui",
        )
    manager = django_user_model.objects.create_user(
        "gestionnaire", email="gestionnaire@club-exemple.fr", password=PASSWORD
    )
    manager.groups.add(Group.objects.get(name="Gestionnaires de leads"))
    return event


def test_a_lead_manager_previews_and_sends_a_message_to_registrants(page, site_url, registrants):
    page.set_viewport_size(DESKTOP)
    log_in(page, site_url, "gestionnaire", PASSWORD)
    page.goto(f"{site_url}/admin/inscriptions/?event={registrants.pk}")
    page.get_by_role("link", name="Écrire aux inscrits").click()
    page.wait_for_url(f"**/admin/evenements/{registrants.pk}/ecrire/")

    page.get_by_label("Objet").fill("Informations pratiques")
    page.get_by_label("Message").fill("Rendez-vous salle 2.")
    page.get_by_role("button", name="Aperçu").click()

    expect(page.get_by_text("Il partira à 2 personnes")).to_be_visible()
    frame = page.frame_locator('iframe[title="Version HTML de l\'e-mail"]')
    expect(frame.get_by_text("Rendez-vous salle 2.")).to_be_visible()
    page.get_by_role("button", name="Envoyer à 2 personnes").click()

    expect(page.get_by_text("envoyé à 2 personne(s)")).to_be_visible()
    expect(page.get_by_role("cell", name="Informations pratiques")).to_be_visible()
    assert RegistrantMessage.objects.get().recipient_count == 2
    assert sorted(
        OutboundEmail.objects.filter(kind="events.registrant_message").values_list("to", flat=True)
    ) == ["jean@oph-exemple.fr", "marie@oph-exemple.fr"]
