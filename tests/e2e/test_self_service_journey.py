"""A person registered session by session opens the link of their confirmation mail (the
outbox's row) on a phone, changes their séances (one dropped, one added, a full one said to
mean the waiting list), sees the result on the page and gets the mail with the new calendar."""

import re

import pytest
from playwright.sync_api import expect

from contacts.models import OutboundEmail
from events import services
from events.models import EventIndexPage, Registration
from tests.factories.events import EventPageFactory, session

from .a11y import assert_no_axe_violations


def register(event, name, sessions):
    return services.register(
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
        choice=services.Choice(is_member=True, price=None, sessions=tuple(sessions)),
        consent_text="oui",
    )


@pytest.fixture
def cycle(site_url, settings):
    """Three séances of one seat each: Anne has the first, Bruno the third."""
    settings.WAGTAILADMIN_BASE_URL = site_url  # the mailed links lead to the test server
    event = EventPageFactory(
        parent=EventIndexPage.objects.first(),
        slug="cycle-seances",
        title="Cycle en trois séances",
        registration_mode="site",
        registration_scope="session",
        capacity=1,
        sessions=[
            session(10, title="Ouverture"),
            session(20, title="Atelier"),
            session(30, title="Clôture"),
        ],
    )
    first, second, third = event.sessions.order_by("sort_order")
    register(event, "anne", [first])
    register(event, "bruno", [third])
    return event, (first, second, third)


def test_a_person_changes_their_seances_from_their_link_on_a_phone(page, site_url, cycle):
    event, (first, second, third) = cycle
    confirmation = OutboundEmail.objects.get(kind="events.registration", to="anne@oph-exemple.fr")
    link = re.search(r"https?://\S+/inscriptions/annuler/\S+/", confirmation.body).group(0)
    assert link.startswith(site_url)

    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon inscription")
    expect(page.get_by_role("heading", name="Changer mes séances")).to_be_visible()
    ouverture = page.get_by_label(re.compile("Séance 1 - Ouverture"))
    atelier = page.get_by_label(re.compile("Séance 2 - Atelier"))
    cloture = page.get_by_label(re.compile("Séance 3 - Clôture"))
    expect(ouverture).to_be_checked()
    expect(
        page.get_by_text("Complet : en la cochant, vous serez sur sa liste d'attente")
    ).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert_no_axe_violations(page, "the booking's page")

    ouverture.uncheck()
    atelier.check()
    cloture.check()
    page.get_by_role("button", name="Enregistrer mes séances").click()

    expect(page.get_by_role("status").first).to_contain_text("vos séances ont changé")
    expect(page.locator("main ul").first).to_contain_text(re.compile(r"Atelier \(.+\) – confirmée"))
    expect(page.locator("main ul").first).to_contain_text(
        re.compile(r"Clôture \(.+\) – liste d'attente")
    )
    expect(page.get_by_label(re.compile("Séance 1 - Ouverture"))).not_to_be_checked()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert_no_axe_violations(page, "the séances changed")

    anne = {
        r.session_id: r.status
        for r in Registration.objects.active().filter(lead__email="anne@oph-exemple.fr")
    }
    assert anne == {second.pk: "confirmed", third.pk: "waiting"}
    changed = OutboundEmail.objects.get(kind="events.sessions_changed")
    assert changed.to == "anne@oph-exemple.fr"
    assert "Atelier" in changed.body and "Ouverture" in changed.body
