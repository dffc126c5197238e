"""Rules 4 and 5 for every file the Leads menu offers: whatever is stored, each export opens,
runs no formula, is logged once with the rows it holds, and a broken one is logged as failed."""

import html
import re

from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

import pytest
from openpyxl.utils import get_column_letter

from contacts.models import ExportLog
from publications import exports
from publications.models import DownloadRequest
from tests.exports import (
    FORMULAS,
    csv_rows,
    formula_cells,
    hostile_texts,
    rows_of,
    workbook,
)
from tests.factories.publications import (
    DownloadRequestFactory,
    LeadFactory,
    WhitePaperPageFactory,
)

EXPORTS = ["/admin/demandes/", "/admin/leads/", "/admin/exports-leads/"]
FORMATS = ["csv", "xlsx"]


@pytest.fixture
def hostile(paper):
    """Leads, requests and a logged export whose stored text is hostile, as if written there
    by an older version or straight into the database: the form's cleaning is not relied on."""
    texts = hostile_texts()
    for text in texts:
        lead = LeadFactory(
            first_name=text[:100],
            last_name=text[:100],
            organisation=text,
            job_title=text,
            phone=text[:30],
        )
        DownloadRequestFactory(
            lead=lead,
            paper=paper,
            paper_title=text,
            utm_source=text[:100],
            utm_medium=text[:100],
            utm_campaign=text[:100],
        )
    ExportLog.objects.create(
        format="csv", source="admin", filters={"q": texts[4]}, status="done", row_count=1
    )
    return texts


def latest_log():
    return ExportLog.objects.order_by("-pk").first()


@pytest.mark.parametrize("export_format", FORMATS)
@pytest.mark.parametrize("url", EXPORTS)
def test_every_export_opens_with_no_formula_and_is_logged_once(
    admin_client, hostile, url, export_format
):
    before = ExportLog.objects.count()

    response = admin_client.get(f"{url}?export={export_format}")

    assert response.status_code == 200
    rows = rows_of(response, export_format)
    assert formula_cells(rows) == []
    cells = {cell for row in rows[1:] for cell in row if isinstance(cell, str)}
    assert not any(re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", cell) for cell in cells)
    if url != "/admin/exports-leads/":
        # Neutralised, also once the control character in front of it is dropped.
        assert "'" + FORMULAS[0] in cells
        assert "'-2" in cells and "'@x" in cells
    assert ExportLog.objects.count() == before + 1
    log = latest_log()
    assert (log.status, log.format, log.username) == ("done", export_format, "admin")
    assert log.row_count == len(rows) - 1


def test_the_xlsx_lead_export_survives_a_control_character_in_a_utm_field(admin_client, paper):
    """Issue #16: one anonymous request used to break the XLSX export for good."""
    DownloadRequestFactory(paper=paper, utm_source="news\x08letter")

    response = admin_client.get("/admin/demandes/?export=xlsx")

    assert response.status_code == 200
    row = workbook(response).active[2]
    assert "newsletter" in [cell.value for cell in row]


def test_the_export_command_writes_xlsx_from_hostile_data(hostile, tmp_path):
    output = tmp_path / "demandes.xlsx"

    call_command("export_leads", format="xlsx", output=str(output))  # raises on a non-zero exit

    sheet = workbook_from(output)
    rows = [list(row) for row in sheet.values]
    assert len(rows) == len(hostile) + 1
    assert formula_cells(rows) == []
    log = latest_log()
    assert (log.source, log.status, log.row_count) == ("command", "done", len(hostile))


def workbook_from(path):
    from openpyxl import load_workbook

    return load_workbook(path).active


# --- A broken export is logged as failed ------------------------------------------------------


def test_a_download_cut_off_midway_is_logged_as_failed(admin_client, paper):
    for _ in range(3):
        DownloadRequestFactory(paper=paper)
    run = exports.ExportRun.start(export_format="csv", source="admin", filters={})
    # The stream a download response serves; a WSGI server closes it when the client leaves.
    lines = exports.csv_lines(DownloadRequest.objects.all(), run=run)

    next(lines), next(lines)  # the header and one row reach the browser, then it goes away
    lines.close()

    log = latest_log()
    assert (log.status, log.row_count) == ("failed", 1)
    assert "échoué" in admin_client.get("/admin/exports-leads/").content.decode()


@pytest.mark.parametrize("export_format", FORMATS)
def test_an_export_to_a_full_disk_fails_and_says_so(paper, export_format):
    DownloadRequestFactory(paper=paper)

    with pytest.raises(CommandError, match="Export interrompu"):
        call_command("export_leads", format=export_format, output="/dev/full")

    log = ExportLog.objects.get()
    assert log.status == "failed"


only_sqlite = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="only SQLite holds text that is not UTF-8"
)


@pytest.fixture
def unreadable_lead(paper):
    DownloadRequestFactory(paper=paper)
    with connection.cursor() as cursor:  # bytes that no write through the application stores
        cursor.execute("UPDATE publications_lead SET first_name = CAST(X'FF' AS TEXT)")


@only_sqlite
def test_a_stream_that_breaks_on_an_unreadable_value_is_logged_as_failed(
    admin_client, unreadable_lead
):
    response = admin_client.get("/admin/demandes/?export=csv")

    with pytest.raises(Exception, match="decode"):
        b"".join(response.streaming_content)
    log = ExportLog.objects.get()
    assert (log.status, log.row_count) == ("failed", 0)


@only_sqlite
def test_an_xlsx_that_cannot_be_written_is_logged_as_failed(admin_client, unreadable_lead):
    response = admin_client.get("/admin/demandes/?export=xlsx")

    assert response.status_code >= 500  # the database error page, not a broken file
    log = ExportLog.objects.get()
    assert (log.status, log.row_count) == ("failed", 0)


# --- French Excel ---------------------------------------------------------------------------


@pytest.mark.parametrize("url", EXPORTS)
def test_xlsx_has_a_frozen_filtered_header_and_column_widths(admin_client, paper, url):
    for _ in range(3):
        DownloadRequestFactory(paper=paper)

    sheet = workbook(admin_client.get(f"{url}?export=xlsx")).active

    headings = [cell.value for cell in sheet[1]]
    last = get_column_letter(len(headings))
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{last}{sheet.max_row}"
    for index, heading in enumerate(headings, start=1):
        dimension = sheet.column_dimensions[get_column_letter(index)]
        # Room for the heading and its filter button.
        assert dimension.customWidth and dimension.width >= min(len(heading) + 2, 60), heading
    assert all(cell.font.bold for cell in sheet[1])


@pytest.mark.parametrize("url", EXPORTS)
def test_export_headings_are_french(admin_client, paper, url):
    DownloadRequestFactory(paper=paper)

    headings = csv_rows(admin_client.get(f"{url}?export=csv"))[0]

    assert not [heading for heading in headings if re.fullmatch(r"[a-z_]+", heading)]
    if url == "/admin/demandes/":
        assert "Source de la campagne (utm_source)" in headings


# --- The export log in words ------------------------------------------------------------------


def test_the_export_log_shows_filters_in_words(admin_client, paper):
    DownloadRequestFactory(paper=paper, news_opt_in=True)
    filters = (
        f"paper={paper.pk}&created_at_from=2026-11-15&created_at_to=2026-11-30"
        "&organisation_type=oph&news_opt_in=true&q=dupont"
    )
    b"".join(admin_client.get(f"/admin/demandes/?{filters}&export=csv").streaming_content)

    page = html.unescape(admin_client.get("/admin/exports-leads/").content.decode())

    assert "Livre blanc : Un livre blanc" in page
    assert "Date de la demande : du 15/11/2026 au 30/11/2026" in page
    assert "Type d'organisme : OPH" in page
    assert "Actualités acceptées : oui" in page
    assert "Recherche : « dupont »" in page
    assert "réussi" in page
    assert "paper =" not in page and "2026-11-15" not in page


def test_the_export_log_looks_titles_up_once_per_page(
    admin_client, catalogue, django_assert_max_num_queries
):
    def add_logs(count):
        for _ in range(count):
            paper = WhitePaperPageFactory(parent=catalogue)
            ExportLog.objects.create(
                format="csv", source="admin", filters={"paper": str(paper.pk)}, status="done"
            )

    add_logs(2)
    with django_assert_max_num_queries(40) as few:
        admin_client.get("/admin/exports-leads/")
    add_logs(30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = admin_client.get("/admin/exports-leads/")
    assert html.unescape(response.content.decode()).count("Livre blanc : Livre blanc") == 32


def test_snippet_listings_offer_no_unlogged_file(admin_client, db):
    for url in (
        "/admin/snippets/contacts/theme/",
        "/admin/snippets/contacts/organisation/",
        "/admin/snippets/contacts/person/",
        "/admin/snippets/events/eventkind/",
        "/admin/snippets/events/venue/",
    ):
        for export_format in FORMATS:
            # Wagtail's own writer is never used (config.admin_exports): the listing instead.
            response = admin_client.get(f"{url}?export={export_format}", follow=True)
            assert response.status_code == 200, url
            assert response["Content-Type"].startswith("text/html"), url
    assert not ExportLog.objects.exists()
    assert DownloadRequest.objects.count() == 0
