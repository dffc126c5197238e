"""Rules 4 and 5 for the registrations' files: hostile stored text opens with no formula, each
export is logged once with its rows, and the log names the filters in words."""

import html

import pytest

from contacts.models import ExportLog
from events.models import Registration
from tests.exports import FORMULAS, formula_cells, hostile_texts, rows_of, workbook
from tests.factories.events import EventPageFactory
from tests.factories.publications import LeadFactory


@pytest.fixture
def event(agenda):
    return EventPageFactory(
        parent=agenda, slug="cycle", title="Le cycle", registration_mode="site", capacity=50
    )


@pytest.fixture
def hostile(event):
    texts = hostile_texts()
    for text in texts:
        Registration.objects.create(
            event=event,
            lead=LeadFactory(first_name=text[:100], organisation=text),
            status="confirmed",
            consent_text="oui",
            price_label=text,
            accessibility_needs=text,
            comment=text,
        )
    return texts


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_registrations_export_opens_with_no_formula_and_is_logged_once(
    admin_client, hostile, export_format
):
    response = admin_client.get(f"/admin/inscriptions/?export={export_format}")

    assert response.status_code == 200
    rows = rows_of(response, export_format)
    assert len(rows) == len(hostile) + 1
    assert formula_cells(rows) == []
    cells = {cell for row in rows for cell in row if isinstance(cell, str)}
    assert "'" + FORMULAS[0] in cells
    assert "Besoins d'accessibilité" in rows[0]
    log = ExportLog.objects.get()
    assert (log.dataset, log.status, log.row_count) == ("registrations", "done", len(hostile))


def test_registrations_xlsx_has_a_frozen_filtered_header(admin_client, hostile):
    sheet = workbook(admin_client.get("/admin/inscriptions/?export=xlsx")).active

    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref.startswith("A1:") and sheet.auto_filter.ref.endswith(
        str(len(hostile) + 1)
    )


def test_the_export_log_names_the_event_and_the_status(admin_client, event, hostile):
    url = f"/admin/inscriptions/?event={event.pk}&status=confirmed&is_member=false&export=csv"
    b"".join(admin_client.get(url).streaming_content)

    page = html.unescape(admin_client.get("/admin/exports-leads/").content.decode())

    assert "Événement : Le cycle" in page
    assert "Statut : Confirmée" in page
    assert "Adhérent : non" in page
    assert "Inscriptions aux événements" in page
