"""A lead manager starts a large export: it goes to the worker, the progress page fills as the
worker writes, then the file downloads (issue #25). The threshold is set low so that a few
requests are "large"; the worker is this test, which runs the queued job itself."""

import io

from django.contrib.auth.models import Group

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from contacts import export_jobs, exports
from contacts.models import ExportJob, ExportLog
from publications.models import DownloadRequest
from tests.e2e.admin import log_in
from tests.factories.publications import DownloadRequestFactory, LeadFactory

from .a11y import assert_no_axe_violations
from .conftest import DESKTOP, PHONE

PASSWORD = "un mot de passe assez long"


@pytest.fixture
def many_requests(site_url, django_user_model, settings):
    settings.EXPORT_BACKGROUND_ROWS = 3
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    for n in range(6):
        DownloadRequestFactory(lead=LeadFactory(last_name=f"Grand{n}", job_title="=1+1"))
    manager = django_user_model.objects.create_user("gestionnaire", password=PASSWORD)
    manager.groups.add(Group.objects.get(name="Gestionnaires de leads"))
    return DownloadRequest.objects.count()


def test_a_lead_manager_follows_a_large_export_and_downloads_it(
    page, site_url, many_requests, monkeypatch
):
    page.set_viewport_size(DESKTOP)
    log_in(page, site_url, "gestionnaire", PASSWORD)
    page.goto(f"{site_url}/admin/demandes/")
    page.get_by_role("button", name="Actions").click()
    page.get_by_role("link", name="Télécharger en XLSX").click()

    page.wait_for_url("**/admin/exports-en-preparation/*/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Demandes de livres blancs")
    expect(page.locator("#export-job-state")).to_contain_text("0 ligne(s) écrite(s)")
    bar = page.get_by_role("progressbar")
    expect(bar).to_have_attribute("aria-valuenow", "0")
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_no_axe_violations(page, "the progress page of a background export")

    # Asked again while it waits: the same job, the same page.
    first_url = page.url
    page.goto(f"{site_url}/admin/demandes/?export=xlsx")
    expect(page.get_by_text("Cet export est déjà en préparation")).to_be_visible()
    assert page.url == first_url
    assert ExportJob.objects.count() == 1

    # The worker writes, two rows at a time; halfway, the page (polling) shows it.
    monkeypatch.setattr(exports, "PROGRESS_ROWS", 2)
    seen = []
    advance = exports.ExportRun.advance

    def watched(run):
        advance(run)
        if run.written == 4 and run.progress is not None:
            expect(page.locator("#export-job-state")).to_contain_text(
                f"4 ligne(s) écrite(s) sur {many_requests}"
            )
            seen.append(page.get_by_role("progressbar").get_attribute("aria-valuenow"))

    monkeypatch.setattr(exports.ExportRun, "advance", watched)
    job = ExportJob.objects.get()
    export_jobs.run_export_job.call(job.pk)
    assert seen and 0 < int(seen[0]) < 100

    # Done: the page reloads itself with the link to the file.
    expect(page.get_by_text("Le fichier est prêt")).to_be_visible()
    with page.expect_download() as info:
        page.get_by_role("link", name="Télécharger le fichier").click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(download.path().read_bytes())).active
    rows = list(sheet.values)
    assert len(rows) == many_requests + 1
    texts = [cell for row in rows for cell in row if isinstance(cell, str)]
    assert "'=1+1" in texts and not [text for text in texts if text.startswith("=")]
    log = ExportLog.objects.get()
    assert (log.status, log.row_count) == (ExportLog.Status.DONE, many_requests)
