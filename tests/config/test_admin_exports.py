"""No admin view serves a file written by Wagtail's own spreadsheet writer (no formula
neutralising, no export log): its download buttons are gone and a hand-made ``?export=`` URL
gets the page back with a French message. Our own exports still serve their files."""

import html

import pytest

from wagtail.models import Page

from config.admin_exports import NOT_OFFERED
from contacts.models import ExportLog

# Wagtail's own listings and reports that can write a spreadsheet.
WAGTAIL_EXPORTS = [
    "/admin/reports/site-history/",
    "/admin/reports/aging-pages/",
    "/admin/reports/locked/",
    "/admin/reports/workflow/",
    "/admin/reports/workflow_tasks/",
    "/admin/redirects/",
]


@pytest.fixture
def admin_client(client, django_user_model, home):
    # A page title that a spreadsheet would run as a formula, in the reports' rows.
    Page.objects.filter(pk=home.pk).update(title='=HYPERLINK("http://evil.example","clic")')
    client.force_login(django_user_model.objects.create_superuser("admin", password="x" * 20))
    return client


@pytest.mark.parametrize("url", WAGTAIL_EXPORTS)
def test_wagtail_reports_offer_no_download(admin_client, url):
    response = admin_client.get(url)

    assert response.status_code == 200
    assert "export=" not in response.content.decode()


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
@pytest.mark.parametrize("url", WAGTAIL_EXPORTS)
def test_a_hand_made_export_url_gets_the_page_not_a_file(admin_client, url, export_format):
    response = admin_client.get(f"{url}?export={export_format}", follow=True)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "attachment" not in response.get("Content-Disposition", "")
    assert NOT_OFFERED in html.unescape(response.content.decode())


def test_the_leads_exports_still_serve_their_files(admin_client):
    response = admin_client.get("/admin/demandes/?export=csv")

    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    b"".join(response.streaming_content)
    assert ExportLog.objects.get().status == "done"
