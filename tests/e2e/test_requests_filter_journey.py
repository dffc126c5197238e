"""A lead manager opens the requests list's filters, chooses a paper in the page chooser (not
in a list of every paper), and the list narrows to that paper's requests (issue #25)."""

from django.contrib.auth.models import Group

import pytest

from publications.models import WhitePaperIndexPage, WhitePaperPage
from tests.factories.publications import (
    DownloadRequestFactory,
    LeadFactory,
    WhitePaperPageFactory,
)

from .admin import log_in
from .conftest import DESKTOP

PASSWORD = "un mot de passe assez long"


@pytest.fixture
def requests_of_two_papers(site_url, django_user_model):
    demo = WhitePaperPage.objects.get(slug="la-culture-de-service")
    other = WhitePaperPageFactory(
        parent=WhitePaperIndexPage.objects.get(), title="Le logement des jeunes actifs"
    )
    for paper, names in ((demo, ("Arnaud", "Bérénice")), (other, ("Camille",))):
        for name in names:
            lead = LeadFactory(last_name=name, email=f"{name.lower()}@oph-exemple.fr")
            DownloadRequestFactory(lead=lead, paper=paper)
    manager = django_user_model.objects.create_user("gestionnaire", password=PASSWORD)
    manager.groups.add(Group.objects.get(name="Gestionnaires de leads"))
    return other


def test_a_lead_manager_chooses_a_paper_and_the_list_narrows(
    page, site_url, requests_of_two_papers
):
    page.set_viewport_size(DESKTOP)
    log_in(page, site_url, "gestionnaire", PASSWORD)
    page.goto(f"{site_url}/admin/demandes/")
    rows = page.locator("#listing-results table.listing tbody tr")
    assert rows.count() == 3

    page.get_by_role("button", name="Afficher les filtres").click()
    page.get_by_role("button", name="Livre blanc").click()
    page.get_by_role("button", name="Choisissez une page (Livre blanc)").click()
    modal = page.locator(".modal-dialog")
    modal.get_by_role("link", name="Le logement des jeunes actifs").click()

    page.wait_for_url(f"**paper={requests_of_two_papers.pk}**")
    page.locator("#listing-results table.listing tbody tr").first.wait_for()
    assert rows.count() == 1
    assert "camille@oph-exemple.fr" in rows.first.inner_text()
    assert page.locator(".w-pill__content", has_text="Le logement des jeunes actifs").is_visible()
