"""A phone booking, on a phone-sized screen: a lead manager opens the registrations, adds one
for a caller (typing their details, choosing a séance of the cycle and a price, noting « par
téléphone »), sees it in the list, and opens its history."""

from django.contrib.auth.models import Group

import pytest
from playwright.sync_api import expect

from events.choices import PriceAudience
from events.models import EventIndexPage, EventPrice, Registration
from tests.e2e.admin import log_in
from tests.factories.events import EventPageFactory, session

PASSWORD = "un mot de passe assez long"
PHONE_375 = {"width": 375, "height": 812}


@pytest.fixture
def cycle(site_url, django_user_model):
    event = EventPageFactory(
        parent=EventIndexPage.objects.first(),
        slug="cycle-telephone",
        title="Cycle : la proximité",
        registration_mode="site",
        registration_scope="session",
        capacity=10,
        sessions=[session(10), session(20)],
        prices=[
            EventPrice(audience="Adhérent", amount=500, offered_to=PriceAudience.MEMBERS),
            EventPrice(audience="Non-Adhérent", amount=1500, offered_to=PriceAudience.NON_MEMBERS),
        ],
    )
    manager = django_user_model.objects.create_user("gestionnaire", password=PASSWORD)
    manager.groups.add(Group.objects.get(name="Gestionnaires de leads"))
    return event


def assert_fits(page, what):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_375["width"], f"{what} scrolls sideways: {width} px"


def test_a_lead_manager_adds_a_phone_booking_and_reads_its_history(page, site_url, cycle):
    page.set_viewport_size(PHONE_375)
    log_in(page, site_url, "gestionnaire", PASSWORD)

    page.goto(f"{site_url}/admin/inscriptions/")
    page.get_by_role("link", name="Ajouter une inscription").click()
    page.get_by_label("Événement").select_option(value=str(cycle.pk))
    page.get_by_role("button", name="Continuer").click()
    assert_fits(page, "the booking form")

    page.get_by_label("E-mail professionnel").fill("marie.dupont@oph-exemple.fr")
    page.get_by_label("Prénom").fill("Marie")
    page.get_by_label("Nom", exact=True).fill("Dupont")
    page.get_by_label("Organisme", exact=True).fill("OPH Exemple")
    page.get_by_label("Type d'organisme").select_option(index=1)
    page.get_by_label("Fonction").fill("Directrice")
    page.locator('input[name="sessions"]').nth(1).check()
    price = page.locator('input[name="price"]').nth(1)  # the prices in the event's order
    expect(page.locator("form[novalidate]")).to_contain_text("Non-Adhérent")
    price.check()
    page.get_by_label("Note (facultatif)").fill("par téléphone")
    page.get_by_role("button", name="Enregistrer l'inscription").click()

    expect(page.locator(".messages")).to_contain_text("Inscription de Marie Dupont")
    expect(page.get_by_role("link", name="Marie Dupont", exact=True)).to_be_visible()
    registration = Registration.objects.get(lead__email="marie.dupont@oph-exemple.fr")
    assert registration.status == "confirmed"
    assert registration.session == cycle.sessions.order_by("sort_order")[1]
    assert registration.price_label.startswith("Non-Adhérent")

    page.get_by_role("link", name="Historique : Marie Dupont").click()
    expect(page.locator("main")).to_contain_text("Inscription ajoutée par l'équipe")
    expect(page.locator("main")).to_contain_text("« par téléphone »")
    expect(page.locator("main")).to_contain_text("gestionnaire")
    assert_fits(page, "the history")
