"""The yearly bilan d'adhésion of an organisation: its figures on a known data set, on the
printable page and in the XLSX, which is logged like every export of people's data."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from contacts import engagement
from contacts.models import ExportLog

from .conftest import visible_text


def bilan_url(org, year=2025):
    return f"/admin/snippets/contacts/organisation/bilan/{org.pk}/{year}/"


def figures(org, year=2025):
    return {
        figure.key: figure.value for figure in engagement.figures(org, engagement.Period.year(year))
    }


def test_the_figures_of_a_known_year(known):
    assert figures(known.organisation) == {
        "people": 3,
        "people_involved": 3,
        "requests": 3,
        "papers": 2,
        "registrations": 5,
        "attended": 5,
        "saving": Decimal("2300.00"),
    }


def test_another_year_counts_only_its_own(known):
    assert figures(known.organisation, 2024) == {
        "people": 3,
        "people_involved": 2,  # Alice registered, Chloé asked for a paper
        "requests": 1,
        "papers": 1,
        "registrations": 1,
        "attended": 1,
        "saving": Decimal(0),  # a member price with no non-member price to compare with
    }


def test_the_printable_page_shows_the_figures_and_how_they_are_counted(manager_client, known):
    response = manager_client.get(bilan_url(known.organisation))

    assert response.status_code == 200
    text = visible_text(response)
    assert "Bilan d'adhésion 2025 – Habitat Exemple" in text
    assert "adhérent en 2025" in text
    for label, value in [
        ("Inscriptions aux événements", "5"),
        ("Séances suivies", "5"),
        ("Livres blancs téléchargés (demandes)", "3"),
        ("Personnes impliquées", "3"),
        ("Économie au tarif adhérent", "2 300,00 €"),
    ]:
        assert f"{label} {value}" in text
    assert "le tarif non-adhérent de l'événement" in text and "moins le tarif payé" in text
    assert "inscriptions confirmées à des séances passées" in text
    # The rows behind the figures, the 2024 ones left out.
    assert "Journée 2024" not in text
    # A free member price paid nothing: the whole non-member price is saved.
    assert "Chloé Durand Confirmée oui 0,00 € 300,00 € 300,00 €" in text
    assert "Alice Martin Confirmée oui 500,00 € 1 500,00 € 1 000,00 €" in text
    assert "Imprimer" in text and "@media print" in response.content.decode()
    # No admin chrome, on screen or printed.
    assert "sidebar" not in response.content.decode()


def test_the_xlsx_holds_the_same_figures_and_is_logged(manager_client, known):
    response = manager_client.get(bilan_url(known.organisation), {"format": "xlsx"})

    assert response.status_code == 200
    assert "bilan-adhesion-2025" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    summary = {row[0]: row[1] for row in workbook["Bilan 2025"].iter_rows(values_only=True)}
    assert summary["Organisme"] == "Habitat Exemple"
    assert summary["Inscriptions aux événements"] == 5
    assert summary["Séances suivies"] == 5
    assert summary["Livres blancs téléchargés (demandes)"] == 3
    assert summary["Livres blancs différents"] == 2
    assert summary["Personnes impliquées"] == 3
    assert summary["Économie au tarif adhérent (€)"] == pytest.approx(2300)
    registrations = list(workbook["Inscriptions aux événements"].iter_rows(values_only=True))
    assert len(registrations) == 1 + 5
    assert sum(row[-1] for row in registrations[1:]) == pytest.approx(2300)
    requests = list(workbook["Demandes de livres blancs"].iter_rows(values_only=True))
    assert len(requests) == 1 + 3
    log = ExportLog.objects.get()
    assert log.dataset == ExportLog.Dataset.MEMBERSHIP_REPORT
    assert log.status == ExportLog.Status.DONE and log.username == "gestionnaire"
    assert log.filters == {"organisation": known.organisation.pk, "year": 2025}
    assert log.row_count == len(summary) - 1 + 5 + 3
    text = visible_text(manager_client.get("/admin/exports-leads/"))
    assert "Bilan d'adhésion d'un organisme" in text and "Organisme : Habitat Exemple" in text


def test_hostile_names_are_plain_text_in_the_xlsx(manager_client, known):
    known.alice.first_name = '=HYPERLINK("x")\x1b'
    known.alice.save()
    known.organisation.name = "@SUM(1)\x07 Habitat"
    known.organisation.save()

    response = manager_client.get(bilan_url(known.organisation), {"format": "xlsx"})

    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    summary = {row[0]: row[1] for row in workbook["Bilan 2025"].iter_rows(values_only=True)}
    assert summary["Organisme"] == "'@SUM(1) Habitat"
    people = {row[3] for row in workbook["Inscriptions aux événements"].iter_rows(values_only=True)}
    assert '\'=HYPERLINK("x") Martin' in people
    assert manager_client.get(bilan_url(known.organisation)).status_code == 200


def test_who_may_see_the_bilan(client, make_user, known):
    client.force_login(make_user("editrice", group="Éditeurs"))
    assert client.get(bilan_url(known.organisation)).status_code in (302, 403)
    assert client.get(bilan_url(known.organisation), {"format": "xlsx"}).status_code in (302, 403)
    assert not ExportLog.objects.exists()


def test_a_year_outside_the_register_is_not_found(manager_client, known):
    assert manager_client.get(bilan_url(known.organisation, 1200)).status_code == 404
    assert manager_client.get(bilan_url(known.organisation, 10**30)).status_code == 404
    url = f"/admin/snippets/contacts/organisation/bilan/{10**30}/2025/"
    assert manager_client.get(url).status_code == 404


def test_the_bilan_takes_a_fixed_number_of_queries(
    manager_client, known, django_assert_max_num_queries
):
    from tests.contacts.conftest import register

    atelier = known.organisation.registrations.first().event
    for number in range(30):
        register(atelier, known.alice, known.alice.created_at, is_member=True)
        known.alice.requests.create(paper_title=f"Livre {number}", consent_text="oui")
    with django_assert_max_num_queries(22):
        assert manager_client.get(bilan_url(known.organisation)).status_code == 200
