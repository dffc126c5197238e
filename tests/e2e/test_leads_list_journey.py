"""A lead manager signs in (in French), sorts the leads by their number of requests, and
finds the editors' guide in the Help menu."""

from django.contrib.auth.models import Group

import pytest

from publications.models import WhitePaperPage
from tests.factories.publications import DownloadRequestFactory, LeadFactory

from .conftest import DESKTOP

PASSWORD = "un mot de passe assez long"


@pytest.fixture
def leads(site_url, django_user_model):
    paper = WhitePaperPage.objects.get(slug="la-culture-de-service")
    for name, requests in (("Une", 1), ("Trois", 3), ("Deux", 2)):
        lead = LeadFactory(last_name=name, email=f"{name.lower()}@oph-exemple.fr")
        for _ in range(requests):
            DownloadRequestFactory(lead=lead, paper=paper)
    manager = django_user_model.objects.create_user("gestionnaire", password=PASSWORD)
    manager.groups.add(Group.objects.get(name="Gestionnaires de leads"))


def test_a_lead_manager_sorts_leads_by_requests_and_opens_the_guide(page, site_url, leads):
    page.set_viewport_size(DESKTOP)
    page.goto(f"{site_url}/admin/login/")
    page.get_by_label("Nom d’utilisateur").fill("gestionnaire")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="S'identifier").click()
    page.wait_for_url(f"{site_url}/admin/")

    page.get_by_role("button", name="Leads").click()
    page.get_by_role("link", name="Leads", exact=True).click()
    page.wait_for_url(f"{site_url}/admin/leads/")
    page.get_by_role("link", name="Demandes").click()
    page.wait_for_url("**ordering=request_count**")
    page.get_by_role("link", name="Demandes").click()  # again: most requests first
    page.wait_for_url("**ordering=-request_count**")
    emails = page.locator("table.listing tbody tr td:nth-child(2)").all_inner_texts()
    assert [email.strip() for email in emails[:3]] == [
        "trois@oph-exemple.fr",
        "deux@oph-exemple.fr",
        "une@oph-exemple.fr",
    ]

    page.get_by_role("button", name="Aide").click()
    page.get_by_role("link", name="Guide des éditeurs").click()
    page.wait_for_url(f"{site_url}/admin/guide/")
    assert page.get_by_role("heading", name="Publier un livre blanc").is_visible()
