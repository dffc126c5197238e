"""A lead manager opens the organisations, keeps this year's members, opens one, sees its
people and what they did, and opens its bilan d'adhésion."""

import datetime

from django.contrib.auth.models import Group
from django.utils import timezone

import pytest

from contacts.models import OrganisationLink
from events.models import EventPage
from tests.contacts.conftest import organisation, register, request_paper
from tests.factories.publications import LeadFactory

from .a11y import assert_no_axe_violations
from .conftest import DESKTOP

PASSWORD = "un mot de passe assez long"


@pytest.fixture
def register_(site_url, django_user_model):
    year = timezone.localdate().year
    member = organisation(
        "Habitat Démo Exemple", organisation_type="esh", domains=["habitat-demo.fr"], years=[year]
    )
    organisation("Office Ancien Membre", organisation_type="oph", years=[year - 2])
    now = timezone.now()
    for first_name in ("Alice", "Bruno"):
        lead = LeadFactory(
            email=f"{first_name.lower()}@habitat-demo.fr",
            first_name=first_name,
            last_name="Exemple",
            linked_organisation=member,
            organisation_link=OrganisationLink.DOMAIN,
        )
        request_paper(lead, "La culture de service", now - datetime.timedelta(days=3))
    event = EventPage.objects.live().first()
    register(event, lead, now - datetime.timedelta(days=2))
    manager = django_user_model.objects.create_user("gestionnaire", password=PASSWORD)
    manager.groups.add(Group.objects.get(name="Gestionnaires de leads"))
    return member


def test_a_lead_manager_reads_an_organisation_and_its_bilan(page, site_url, register_):
    year = timezone.localdate().year
    page.set_viewport_size(DESKTOP)
    page.goto(f"{site_url}/admin/login/")
    page.get_by_label("Nom d’utilisateur").fill("gestionnaire")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="S'identifier").click()
    page.wait_for_url(f"{site_url}/admin/")

    page.get_by_role("button", name="Référentiels").click()
    page.get_by_role("link", name="Organisations").click()
    page.wait_for_url("**/admin/snippets/contacts/organisation/")
    assert page.get_by_role("link", name="Office Ancien Membre").is_visible()

    page.get_by_role("button", name="Afficher les filtres").click()
    page.locator("button[aria-controls='drilldown-id_member_in']").click()
    page.get_by_label("Adhérent en").select_option(str(year))
    page.wait_for_url(f"**member_in={year}**")
    page.get_by_role("link", name="Office Ancien Membre").wait_for(state="detached")

    page.get_by_role("link", name="Habitat Démo Exemple").click()
    page.wait_for_url("**/inspect/**")
    body = page.locator("body")
    assert "Personnes rattachées (2)" in body.inner_text()
    assert page.get_by_role("link", name="Alice Exemple").is_visible()
    assert "Engagement sur les 12 derniers mois" in body.inner_text()
    assert "Livres blancs téléchargés (demandes)" in body.inner_text()

    page.get_by_role("link", name=str(year), exact=True).click()
    page.wait_for_url(f"**/bilan/{register_.pk}/{year}/")
    heading = page.get_by_role("heading", level=1)
    assert heading.inner_text() == f"Bilan d'adhésion {year} – Habitat Démo Exemple"
    assert "Économie au tarif adhérent" in page.locator("main").inner_text()
    assert page.get_by_role("button", name="Imprimer").is_visible()
    page.emulate_media(media="print")
    assert not page.get_by_role("button", name="Imprimer").is_visible()
    page.emulate_media(media="screen")
    assert_no_axe_violations(page, "the printable bilan")
