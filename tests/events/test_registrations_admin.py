"""Staff see registrations like leads: only with the permission, exported safely and logged,
and an attendance sheet to print."""

import csv
import io
import re

from django.contrib.auth.models import Group

import pytest
from openpyxl import load_workbook

from contacts.models import ExportLog
from events.models import Registration
from tests.factories.events import EventPageFactory, session
from tests.factories.publications import LeadFactory

from .conftest import visible_text

PASSWORD = "un mot de passe assez long"


@pytest.fixture
def event(agenda):
    return EventPageFactory(
        parent=agenda, slug="cycle", title="Le cycle", registration_mode="site", capacity=2
    )


def add(event, status="confirmed", **lead_fields):
    return Registration.objects.create(
        event=event, lead=LeadFactory(**lead_fields), status=status, consent_text="oui"
    )


@pytest.fixture
def registrations(event):
    return [
        add(event, first_name="Marie", last_name="Dupont", organisation="=HYPERLINK(1)"),
        add(event, first_name="Jean", last_name="Martin"),
        add(event, status="waiting", first_name="Paul", last_name="Attente"),
        add(event, status="cancelled", first_name="Lucie", last_name="Annulée"),
    ]


@pytest.fixture
def user(django_user_model):
    def make(username, group=None):
        user = django_user_model.objects.create_user(username, password=PASSWORD)
        if group:
            user.groups.add(Group.objects.get(name=group))
        return user

    return make


@pytest.fixture
def manager_client(client, user):
    client.force_login(user("gestionnaire", "Gestionnaires de leads"))
    return client


def test_the_event_is_chosen_in_the_page_chooser_not_among_every_event(
    manager_client, agenda, event, registrations
):
    for number in range(30):
        EventPageFactory(parent=agenda, title=f"Atelier {number}", registration_mode="site")

    html = manager_client.get("/admin/inscriptions/", {"event": event.pk}).content.decode()

    assert "Choisissez une page (Événement)" in html
    assert 'id="id_event-title">Le cycle<' in html  # the chosen event, shown chosen
    assert "Atelier 29" not in html  # no option per event


@pytest.mark.parametrize("value", ["\x00", "9" * 30, "abc", "١٢"])
def test_a_value_that_is_no_event_leaves_the_registrations_unfiltered(
    manager_client, registrations, value
):
    response = manager_client.get("/admin/inscriptions/", {"event": value})

    assert response.status_code == 200
    assert "Marie Dupont" in visible_text(response)


def test_lead_managers_list_and_filter_registrations(manager_client, event, registrations):
    response = manager_client.get("/admin/inscriptions/", {"event": event.pk, "status": "waiting"})

    assert response.status_code == 200
    text = visible_text(response)
    assert "Paul Attente" in text and "Marie Dupont" not in text
    assert "Feuille d'émargement" in text
    assert "/admin/inscriptions/" in manager_client.get("/admin/").content.decode()


def test_editors_without_the_group_see_no_registration(client, user, event, registrations):
    editor = user("editrice", "Éditeurs")
    client.force_login(editor)

    for url in [
        "/admin/inscriptions/",
        "/admin/inscriptions/?export=csv",
        f"/admin/inscriptions/emargement/{event.pk}/",
    ]:
        assert client.get(url).status_code in (302, 403), url
    assert "/admin/inscriptions/" not in client.get("/admin/").content.decode()


def test_nobody_adds_a_registration_by_hand(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("admin", password=PASSWORD))

    response = client.get("/admin/inscriptions/new/")

    # Wagtail sends a refused user back to the dashboard with a message.
    assert response.status_code in (302, 403, 404)
    assert response.get("Location", "/admin/") == "/admin/"


def test_the_csv_export_is_safe_and_logged(manager_client, event, registrations):
    response = manager_client.get("/admin/inscriptions/", {"event": event.pk, "export": "csv"})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    content = b"".join(response.streaming_content).decode()
    assert content.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(content.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][:5] == [
        "Date d'inscription",
        "Événement",
        "Séance",
        "Date de la séance",
        "Statut",
    ]
    assert len(rows) == 5
    marie = next(row for row in rows if "Marie" in row)
    assert "'=HYPERLINK(1)" in marie and "Confirmée" in marie and "OPH" in marie
    log = ExportLog.objects.get()
    assert log.dataset == "registrations" and log.row_count == 4
    assert log.filters == {"event": str(event.pk)}
    assert log.username == "gestionnaire"


def test_the_xlsx_export_opens_with_the_filtered_rows(manager_client, event, registrations):
    response = manager_client.get("/admin/inscriptions/", {"status": "confirmed", "export": "xlsx"})

    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet.title == "Inscriptions"
    assert sheet.max_row == 3  # the heading and two confirmed people


def test_the_attendance_sheet_lists_confirmed_people_with_a_signature_column(
    manager_client, event, registrations
):
    response = manager_client.get(f"/admin/inscriptions/emargement/{event.pk}/")

    assert response.status_code == 200
    text = visible_text(response)
    assert "Feuille d'émargement – Le cycle" in text
    assert "Signature" in text
    assert "Dupont" in text and "Martin" in text
    assert "Attente" not in text and "Annulée" not in text
    assert "2 participants confirmés" in text
    assert "@media print" in response.content.decode()


def test_an_attendance_sheet_per_session(manager_client, agenda):
    event = EventPageFactory(
        parent=agenda,
        registration_mode="site",
        registration_scope="session",
        sessions=[session(10, title="Etat des lieux"), session(20, title="Prendre de la hauteur")],
    )
    first, second = event.sessions.order_by("sort_order")
    for target in (first, second, second):
        Registration.objects.create(
            event=event, session=target, lead=LeadFactory(), status="confirmed", consent_text="oui"
        )

    text = visible_text(manager_client.get(f"/admin/inscriptions/emargement/{event.pk}/"))

    assert "Séance 1 - Etat des lieux" in text and "Séance 2 - Prendre de la hauteur" in text
    assert "1 participant confirmé" in text and "2 participants confirmés" in text


def test_a_leads_page_shows_their_registrations(manager_client, event):
    registration = add(event, first_name="Marie", last_name="Dupont")
    registration.accessibility_needs = "Boucle magnétique"
    registration.save()

    text = visible_text(manager_client.get(f"/admin/leads/inspect/{registration.lead_id}/"))

    assert "Inscriptions aux événements" in text
    assert "Le cycle" in text and "Confirmée" in text and "Boucle magnétique" in text


def test_a_whole_cycle_sheet_has_a_signature_column_per_session(manager_client, agenda):
    event = EventPageFactory(
        parent=agenda,
        registration_mode="site",
        sessions=[session(10, title="Etat des lieux"), session(40, title="Prendre de la hauteur")],
    )
    Registration.objects.create(
        event=event, lead=LeadFactory(last_name="Dupont"), status="confirmed", consent_text="oui"
    )

    response = manager_client.get(f"/admin/inscriptions/emargement/{event.pk}/")

    # Read as a spreadsheet or a screen reader would: the table's header cells and one row.
    html = response.content.decode()
    headings = re.findall(r"<th[^>]*>(.*?)</th>", html)
    signatures = [h for h in headings if h.startswith("Signature")]
    assert len(signatures) == 2
    assert "Séance 1 - Etat des lieux" in signatures[0]
    assert "Séance 2 - Prendre de la hauteur" in signatures[1]
    (row,) = re.findall(r"<tr><td>1</td>.*?</tr>", html)
    assert row.count('class="signature"') == 2
