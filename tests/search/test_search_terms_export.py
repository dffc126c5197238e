"""Wagtail's "Termes de recherche" report: visitors type its content, so its file goes
through the project's writer (no formula, nothing that breaks the file) and the export log."""

import html

from django.contrib.auth.models import Group

import pytest

from wagtail.contrib.search_promotions.models import Query, QueryDailyHits

from contacts.models import ExportLog
from tests.exports import FORMULAS, formula_cells, hostile_texts, rows_of

URL = "/admin/searchpicks/reports/search-terms/"


@pytest.fixture
def searched(db):
    texts = hostile_texts()
    for hits, text in enumerate(texts, start=1):
        # Stored as they came, not through Wagtail's normalisation: the file must hold anything.
        query = Query.objects.create(query_string=text)
        QueryDailyHits.objects.create(query=query, date="2026-11-20", hits=hits)
    return texts


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_search_terms_export_is_neutralised_and_logged(admin_client, searched, export_format):
    response = admin_client.get(f"{URL}?export={export_format}")

    assert response.status_code == 200
    rows = rows_of(response, export_format)
    assert rows[0] == ["Termes recherchés", "Nombre de recherches"]
    assert len(rows) == len(searched) + 1
    assert formula_cells(rows) == []
    # Wagtail stores a query in lower case.
    assert "'" + FORMULAS[0].lower() in [row[0] for row in rows]
    log = ExportLog.objects.get()
    assert (log.dataset, log.status, log.row_count) == ("search_terms", "done", len(searched))


def test_the_report_itself_still_lists_the_terms(admin_client, searched):
    response = admin_client.get(URL)

    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert FORMULAS[1] in page
    assert "<title>Termes de recherche" in page  # Wagtail's report, in French
    assert not ExportLog.objects.exists()


def test_a_filtered_export_is_logged_with_its_dates_in_words(admin_client, searched):
    url = f"{URL}?hit_date_from=2026-11-01&hit_date_to=2026-11-30&export=csv"
    rows = rows_of(admin_client.get(url), "csv")

    assert len(rows) == len(searched) + 1
    page = html.unescape(admin_client.get("/admin/exports-leads/").content.decode())
    assert "du 01/11/2026 au 30/11/2026" in page
    assert "Termes de recherche" in page


def test_only_superusers_export_search_terms(client, django_user_model, searched):
    user = django_user_model.objects.create_user("editrice", password="x" * 20)
    user.groups.add(Group.objects.get(name="Éditeurs"))
    client.force_login(user)

    assert client.get(f"{URL}?export=csv").status_code in (302, 403)
    assert not ExportLog.objects.exists()
