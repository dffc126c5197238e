"""A person waiting for a seat is offered one when a seat frees: they read the offer mail (the
outbox's row), open its accept link, confirm with the button and see their seat confirmed."""

import re

import pytest
from playwright.sync_api import expect

from contacts.models import OutboundEmail
from events import services
from events.models import EventIndexPage, Registration
from tests.factories.events import EventPageFactory, session

from .a11y import assert_no_axe_violations


def register(event, name):
    (registration,) = services.register(
        event,
        details={
            "first_name": name.capitalize(),
            "last_name": "Dupont",
            "email": f"{name}@oph-exemple.fr",
            "organisation": "OPH de l'Exemple",
            "organisation_type": "oph",
            "job_title": "Directrice",
            "phone": "",
            "news_opt_in": False,
        },
        choice=services.Choice(is_member=True, price=None),
        consent_text="oui",
    )
    return registration


@pytest.fixture
def full_workshop(site_url, settings):
    """A workshop of one seat, taken by Anne; Bruno waits."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.WAGTAILADMIN_BASE_URL = site_url  # the mailed links lead to the test server
    event = EventPageFactory(
        parent=EventIndexPage.objects.first(),
        slug="atelier-une-place",
        title="Atelier à une place",
        registration_mode="site",
        capacity=1,
        sessions=[session(30)],
    )
    anne = register(event, "anne")
    register(event, "bruno")
    return event, anne


def test_a_person_waiting_accepts_the_seat_offered(page, site_url, full_workshop):
    event, anne = full_workshop
    services.cancel(anne.booking)

    offer = OutboundEmail.objects.get(kind="events.seat_offered")
    assert offer.to == "bruno@oph-exemple.fr"
    accept = re.search(r"https?://\S+/inscriptions/place/\S+/accepter/", offer.body).group(0)
    assert accept.startswith(site_url)

    # The seat is held: the event page says it is full.
    page.goto(site_url + event.url)
    expect(page.locator("#inscription")).to_contain_text("Complet – liste d'attente")

    page.goto(accept)
    expect(page.get_by_role("heading", level=1)).to_have_text("Accepter la place proposée")
    expect(page.get_by_text("Nous vous la gardons jusqu'au")).to_be_visible()
    assert_no_axe_violations(page, "the page of a seat offered")
    assert Registration.objects.get(lead__email="bruno@oph-exemple.fr").status == "offered"

    page.get_by_role("button", name="Accepter cette place").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Votre inscription est confirmée")
    expect(page.get_by_role("status")).to_contain_text("votre inscription est confirmée")
    expect(page.get_by_text("Votre place : Ensemble de l'événement")).to_be_visible()
    assert_no_axe_violations(page, "the offer accepted")
    assert Registration.objects.get(lead__email="bruno@oph-exemple.fr").status == "confirmed"
    assert OutboundEmail.objects.filter(
        kind="events.registration_promoted", to="bruno@oph-exemple.fr"
    ).exists()

    # The link again, later: nothing more to do, no button.
    page.goto(accept)
    expect(page.get_by_role("status")).to_contain_text("Vous avez déjà accepté cette place")
    expect(page.get_by_role("button", name="Accepter cette place")).to_have_count(0)
