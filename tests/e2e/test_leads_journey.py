"""A lead manager filters the requests of one paper and downloads them as CSV and XLSX."""

import csv
import io

from django.contrib.auth.models import Group

import pytest
from openpyxl import load_workbook

from publications.models import WhitePaperPage
from tests.e2e.admin import log_in
from tests.factories.publications import (
    DownloadRequestFactory,
    LeadFactory,
    WhitePaperPageFactory,
)

from .conftest import DESKTOP

PASSWORD = "un mot de passe assez long"


@pytest.fixture
def requests_of_two_papers(site_url, django_user_model):
    seed = WhitePaperPage.objects.get(slug="la-culture-de-service")
    other = WhitePaperPageFactory(parent=seed.get_parent(), slug="autre-livre-blanc")
    for n in range(3):
        DownloadRequestFactory(lead=LeadFactory(last_name=f"Seed{n}", job_title="=1+1"), paper=seed)
    DownloadRequestFactory(lead=LeadFactory(last_name="Autre"), paper=other)
    manager = django_user_model.objects.create_user("gestionnaire", password=PASSWORD)
    manager.groups.add(Group.objects.get(name="Gestionnaires de leads"))
    return seed


def download(page, label):
    # The header's actions (the chosen paper in the filters has a menu of the same name).
    page.get_by_role("navigation", name="Actions").get_by_role("button", name="Actions").click()
    with page.expect_download() as info:
        page.get_by_role("link", name=label).click()
    return info.value


def test_a_lead_manager_exports_the_requests_of_one_paper(page, site_url, requests_of_two_papers):
    page.set_viewport_size(DESKTOP)
    console = []
    page.on("console", lambda message: console.append(message.text))
    log_in(page, site_url, "gestionnaire", PASSWORD)

    page.get_by_role("button", name="Leads").click()
    page.get_by_role("link", name="Demandes de livres blancs").click()
    page.wait_for_url(f"{site_url}/admin/demandes/")
    page.get_by_role("button", name="Afficher les filtres").click()
    page.locator("button[aria-controls='drilldown-id_paper']").click()
    page.get_by_role("button", name="Choisissez une page (Livre blanc)").click()
    page.locator(".modal-dialog").get_by_role("link", name=requests_of_two_papers.title).click()
    page.wait_for_url(f"**paper={requests_of_two_papers.pk}**")
    page.wait_for_load_state("networkidle")

    csv_file = download(page, "Télécharger en CSV")
    assert csv_file.suggested_filename.endswith(".csv")
    text = csv_file.path().read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert len(rows) == 4
    assert {row[3] for row in rows[1:]} == {"Seed0", "Seed1", "Seed2"}
    assert {row[7] for row in rows[1:]} == {"'=1+1"}

    page.reload()  # the filtered list, as a staff member comes back to it
    xlsx_file = download(page, "Télécharger en XLSX")
    assert xlsx_file.suggested_filename.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(xlsx_file.path().read_bytes())).active
    assert sheet.max_row == 4
    assert {row[3] for row in list(sheet.values)[1:]} == {"Seed0", "Seed1", "Seed2"}

    # The admin runs under its own Content-Security-Policy: nothing it needs is blocked.
    assert not [text for text in console if "Content Security Policy" in text], console
