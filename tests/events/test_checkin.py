"""Check-in at the door: each registration's signed code (its QR code), staff checking people
in for a séance by code or by name, idempotent and undoable, only for lead managers; what the
attendance sheet and the export then say."""

import csv
import io
import json

from django.contrib.auth.models import Group
from django.core import signing
from django.test import Client
from django.utils import timezone

import pytest
from openpyxl import load_workbook

from contacts.models import OutboundEmail
from events import attendance, services
from events.models import Attendance, Registration
from tests.factories.events import EventPageFactory, session
from tests.factories.publications import LeadFactory

from .conftest import visible_text

PASSWORD = "un mot de passe assez long"
JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def event(agenda):
    return EventPageFactory(
        parent=agenda,
        slug="atelier",
        title="L'atelier",
        registration_mode="site",
        capacity=80,
        sessions=[session(0, start=(0, 0), end=(23, 59))],
    )


@pytest.fixture
def cycle(agenda):
    return EventPageFactory(
        parent=agenda,
        slug="cycle",
        title="Le cycle",
        registration_mode="site",
        capacity=80,
        sessions=[session(-7, title="Etat des lieux"), session(0, title="Prendre de la hauteur")],
    )


def add(event, status="confirmed", session=None, **lead_fields):
    return Registration.objects.create(
        event=event,
        session=session,
        lead=LeadFactory(**lead_fields),
        status=status,
        consent_text="oui",
    )


def only_session(event):
    return event.sessions.get()


@pytest.fixture
def user(django_user_model):
    def make(username, group=None):
        user = django_user_model.objects.create_user(username, password=PASSWORD)
        if group:
            user.groups.add(Group.objects.get(name=group))
        return user

    return make


@pytest.fixture
def manager(user):
    return user("gestionnaire", "Gestionnaires de leads")


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


def page_url(event, session=None):
    if session is None:
        return f"/admin/evenements/{event.pk}/pointage/"
    return f"/admin/evenements/{event.pk}/pointage/{session.pk}/"


def post(client, event, session, action="present", **data):
    response = client.post(page_url(event, session) + f"{action}/", data, **JSON)
    return response, json.loads(response.content)


# --- Codes ---------------------------------------------------------------------------------------


def test_a_code_reads_back_and_is_not_the_bare_id(event):
    registration = add(event)
    code = attendance.make_code(registration)

    assert attendance.read_code(code) == registration.public_id
    assert code.split(":")[0] == registration.public_id.hex  # never the guessable pk
    assert attendance.read_code(f"  {code}\n") == registration.public_id  # a scanner's spaces
    image = f"https://club.example/inscriptions/code/{code}/qr.png"  # the image's address
    assert attendance.read_code(image) == registration.public_id
    # Signed for something else (the cancel link's salt, the certificate's): refused.
    assert attendance.read_code(services.make_cancel_token(registration.booking)) is None
    assert attendance.read_code(attendance.make_certificate_token(registration)) is None
    assert attendance.read_code(signing.Signer().sign(registration.public_id.hex)) is None


@pytest.mark.parametrize(
    "altered",
    [
        lambda code: code[:-1] + ("A" if code[-1] != "A" else "B"),
        lambda code: "0" + code[1:] if code[0] != "0" else "1" + code[1:],
        lambda code: code.split(":")[0],
        lambda code: "",
        lambda code: "\x00" * 10,
        lambda code: "é" * 100_000,
    ],
)
def test_an_altered_code_is_refused_in_french(manager_client, event, altered):
    registration = add(event)
    code = altered(attendance.make_code(registration))

    response, data = post(manager_client, event, only_session(event), code=code)

    assert response.status_code == 422
    assert data["ok"] is False
    assert data["message"].startswith("Code non reconnu")
    assert not Attendance.objects.exists()


def test_a_code_of_another_event_a_cancelled_or_waiting_registration_is_refused(
    manager_client, event, agenda
):
    other = EventPageFactory(parent=agenda, slug="autre", title="Autre journée")
    elsewhere = add(other, first_name="Paul", last_name="Ailleurs")
    cancelled = add(event, status="cancelled", first_name="Lucie", last_name="Annulée")
    waiting = add(event, status="waiting", first_name="Jean", last_name="Attente")
    seance = only_session(event)

    _, data = post(manager_client, event, seance, code=attendance.make_code(elsewhere))
    assert "autre événement : « Autre journée »" in data["message"]
    _, data = post(manager_client, event, seance, code=attendance.make_code(cancelled))
    assert data["message"] == "L'inscription de Lucie Annulée est annulée."
    _, data = post(manager_client, event, seance, code=attendance.make_code(waiting))
    assert "liste d'attente" in data["message"]
    assert not Attendance.objects.exists()


def test_a_seat_for_one_session_is_refused_at_another(manager_client, cycle):
    first, second = cycle.sessions.order_by("sort_order")
    registration = add(cycle, session=first, first_name="Marie", last_name="Dupont")

    _, data = post(manager_client, cycle, second, code=attendance.make_code(registration))

    assert data["ok"] is False and "une autre séance" in data["message"]
    _, data = post(manager_client, cycle, first, code=attendance.make_code(registration))
    assert data["ok"] is True


def test_the_qr_image_is_made_here_from_a_signed_code(client, event):
    registration = add(event)
    code = attendance.make_code(registration)

    response = client.get(f"/inscriptions/code/{code}/qr.png")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response.content.startswith(b"\x89PNG")
    assert "private" in response["Cache-Control"]
    assert client.get(f"/inscriptions/code/{code[:-2]}xx/qr.png").status_code == 404
    assert client.get(f"/inscriptions/code/{registration.pk}/qr.png").status_code == 404


def test_the_confirmation_mail_and_the_signed_page_carry_the_qr_code(client, event, settings):
    settings.WAGTAILADMIN_BASE_URL = "https://club.example"
    registrations = services.register(
        event,
        details={
            "first_name": "Marie",
            "last_name": "Dupont",
            "email": "marie@exemple.fr",
            "organisation": "Habitat",
            "organisation_type": "",
            "job_title": "",
            "phone": "",
            "news_opt_in": False,
        },
        choice=services.Choice(is_member=False, price=None),
        consent_text="oui",
    )
    code = attendance.make_code(registrations[0])

    sent = OutboundEmail.objects.get(kind="events.registration")
    qr_url = f"https://club.example/inscriptions/code/{code}/qr.png"
    assert qr_url in sent.body
    html = sent.html
    assert f'<img src="{qr_url}"' in html

    page = client.get(services.cancel_url(registrations[0].booking).split("club.example")[1])
    assert f"/inscriptions/code/{code}/qr.png" in page.content.decode()


# --- Checking in ---------------------------------------------------------------------------------


def test_check_in_by_code_is_idempotent_and_undone(manager_client, manager, event):
    registration = add(event, first_name="Marie", last_name="Dupont")
    seance = only_session(event)
    code = attendance.make_code(registration)

    response, data = post(manager_client, event, seance, code=code)
    assert response.status_code == 200
    assert data["state"] == "created" and data["present"] == 1
    assert data["message"].startswith("Marie Dupont : présent·e, pointé·e à ")
    checked = Attendance.objects.get()
    assert (checked.registration, checked.session, checked.method, checked.checked_in_by) == (
        registration,
        seance,
        "qr",
        manager,
    )

    _, again = post(manager_client, event, seance, code=code)
    assert again["state"] == "already"
    assert again["message"] == f"Marie Dupont : déjà pointé·e à {attendance.at(checked)}."
    assert Attendance.objects.count() == 1

    _, undone = post(manager_client, event, seance, "annuler", registration=registration.pk)
    assert undone["state"] == "undone" and undone["present"] == 0
    assert not Attendance.objects.exists()
    _, undone_again = post(manager_client, event, seance, "annuler", registration=registration.pk)
    assert undone_again["ok"] is True


def test_check_in_by_name_without_script_comes_back_to_the_page(manager_client, event):
    registration = add(event, first_name="Élodie", last_name="Lefèvre")
    seance = only_session(event)

    response = manager_client.post(
        page_url(event, seance) + "present/", {"registration": registration.pk, "q": "lefevre"}
    )

    assert response.status_code == 302
    assert response["Location"] == page_url(event, seance) + "?q=lefevre"
    assert Attendance.objects.get().method == "name"
    text = visible_text(manager_client.get(response["Location"]))
    assert "Élodie Lefèvre : présent·e" in text
    assert "1 présent·e sur 1 inscrit·e confirmé·e" in text


def test_name_search_ignores_accents_and_case(manager_client, event):
    add(event, first_name="Élodie", last_name="Lefèvre")
    add(event, first_name="Jean", last_name="Martin", organisation="Habitat Sud")
    add(event, status="waiting", first_name="Paul", last_name="Lefevre")

    text = visible_text(manager_client.get(page_url(event), {"q": "ELODIE lefevre"}))
    assert "Lefèvre Élodie" in text and "Martin" not in text and "Paul" not in text
    text = visible_text(manager_client.get(page_url(event), {"q": "habitat"}))
    assert "Martin Jean" in text and "Élodie" not in text


@pytest.mark.parametrize(
    "search", ["\x00", "a" * 100_000, "<script>alert(1)</script>", "\u202e\ufeff%", "' OR 1=1 --"]
)
def test_hostile_search_input_breaks_nothing(manager_client, event, search):
    add(event, first_name="Marie", last_name="Dupont")

    response = manager_client.get(page_url(event), {"q": search})

    assert response.status_code == 200
    assert "<script>alert" not in response.content.decode()


def test_hostile_registration_ids_are_refused(manager_client, event):
    seance = only_session(event)
    for value in ["", "abc", "-1", "9" * 40, "\x00", "1e3"]:
        response, data = post(manager_client, event, seance, registration=value)
        assert response.status_code == 422
        assert data["message"] == "Cette inscription est introuvable."


def test_a_whole_cycle_seat_is_checked_in_per_session(manager_client, cycle):
    first, second = cycle.sessions.order_by("sort_order")
    registration = add(cycle, first_name="Marie", last_name="Dupont")

    post(manager_client, cycle, first, registration=registration.pk)
    post(manager_client, cycle, second, registration=registration.pk)

    assert set(Attendance.objects.values_list("session_id", flat=True)) == {first.pk, second.pk}


def test_the_page_sets_the_camera_policy_and_loads_its_script(manager_client, event):
    response = manager_client.get(page_url(event))

    assert response.status_code == 200
    assert "camera=(self)" in response["Permissions-Policy"]
    content = response.content.decode()
    assert "/static/js/checkin.js" in content
    assert "<script>" not in content and "onclick" not in content
    assert 'label for="code"' in content and 'label for="q"' in content


# --- Permissions, CSRF ---------------------------------------------------------------------------


def test_anonymous_visitors_and_editors_are_refused(client, user, event):
    registration = add(event)
    seance = only_session(event)
    urls = [page_url(event), page_url(event, seance)]

    for url in urls:
        assert client.get(url).status_code == 302  # to the admin's login
    response = client.post(page_url(event, seance) + "present/", {"registration": registration.pk})
    assert response.status_code == 302

    # Wagtail sends a refused user back to the dashboard with a message.
    client.force_login(user("editrice", "Éditeurs"))
    for url in urls:
        response = client.get(url)
        assert (response.status_code, response["Location"]) == (302, "/admin/")
    for action in ["present", "annuler", "attestations"]:
        response = client.post(
            page_url(event, seance) + f"{action}/", {"registration": registration.pk}
        )
        assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert not Attendance.objects.exists()
    assert not OutboundEmail.objects.exists()


def test_check_in_needs_the_csrf_token(manager, event):
    registration = add(event)
    client = Client(enforce_csrf_checks=True)
    client.force_login(manager)
    url = page_url(event, only_session(event)) + "present/"

    assert client.post(url, {"registration": registration.pk}).status_code == 403
    assert not Attendance.objects.exists()

    client.get(page_url(event))
    token = client.cookies["csrftoken"].value
    response = client.post(
        url, {"registration": registration.pk, "csrfmiddlewaretoken": token}, **JSON
    )
    assert response.status_code == 200
    assert Attendance.objects.count() == 1


def test_get_never_checks_anyone_in(manager_client, event):
    registration = add(event)
    url = page_url(event, only_session(event)) + "present/"

    assert manager_client.get(url, {"registration": registration.pk}).status_code == 405
    assert not Attendance.objects.exists()


# --- Query budgets -------------------------------------------------------------------------------


def test_the_check_in_page_with_50_people_has_a_fixed_query_count(
    manager_client, event, django_assert_max_num_queries
):
    seance = only_session(event)
    for number in range(50):
        registration = add(event, first_name=f"Prénom{number}", last_name=f"Nom{number}")
        if number % 2:
            attendance.check_in(registration, seance, user=None, method="name")
    manager_client.get(page_url(event))  # warm the session and the site

    with django_assert_max_num_queries(12):
        response = manager_client.get(page_url(event))

    assert response.status_code == 200
    assert "25 présent·es sur 50 inscrit·es confirmé·es" in visible_text(response)


def test_a_check_in_post_has_a_fixed_query_count(
    manager_client, event, django_assert_max_num_queries
):
    registration = add(event)
    seance = only_session(event)
    code = attendance.make_code(registration)
    post(manager_client, event, seance, code="warm up")

    with django_assert_max_num_queries(16):
        _, data = post(manager_client, event, seance, code=code)

    assert data["state"] == "created"


# --- The sheet and the export --------------------------------------------------------------------


def test_the_sheet_shows_who_came_and_the_no_shows_per_session(manager_client, cycle):
    first, second = cycle.sessions.order_by("sort_order")
    came = add(cycle, first_name="Marie", last_name="Dupont")
    add(cycle, first_name="Jean", last_name="Absent")
    attendance.check_in(came, first, user=None, method="qr")

    response = manager_client.get(f"/admin/inscriptions/emargement/{cycle.pk}/")

    text = visible_text(response)
    assert "Présent·e à" in text
    assert "Séance 1 - Etat des lieux – " in text
    assert "1 présent, 1 absent" in text  # the first séance
    assert "0 présent, 2 absents" in text  # the second, today
    assert "Absent Jean" in text


def _registration_export(client, export_format):
    response = client.get("/admin/inscriptions/", {"export": export_format})
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if export_format == "csv":
        return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    return [list(row) for row in load_workbook(io.BytesIO(content)).active.values]


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_the_export_says_present_or_absent_per_session(admin_client, cycle, event, export_format):
    first, second = cycle.sessions.order_by("sort_order")
    whole = add(cycle, first_name="Marie", last_name="Dupont")
    add(cycle, session=first, first_name="Jean", last_name="Absent")
    add(event, status="waiting", first_name="Paul", last_name="Attente")
    attendance.check_in(whole, first, user=None, method="qr")
    when = timezone.localtime(Attendance.objects.get().checked_in_at)

    rows = _registration_export(admin_client, export_format)

    column = rows[0].index("Présence")
    by_name = {row[rows[0].index("Nom")]: row[column] for row in rows[1:]}
    assert by_name["Dupont"] == (
        f"Séance 1 - Etat des lieux : Présent le {when:%d/%m/%Y} à "
        f"{attendance.at(Attendance.objects.get())} ; Séance 2 - Prendre de la hauteur : Absent"
    )
    assert by_name["Absent"] == "Absent"
    assert by_name["Attente"] in ("", None)


def test_the_export_keeps_its_query_count_with_check_ins(
    admin_client, cycle, django_assert_max_num_queries
):
    first, _ = cycle.sessions.order_by("sort_order")
    for number in range(3):
        attendance.check_in(add(cycle, last_name=f"Nom{number}"), first, user=None, method="qr")
    _registration_export(admin_client, "csv")
    with django_assert_max_num_queries(20) as few:
        _registration_export(admin_client, "csv")
    count = len(few.captured_queries)
    for number in range(30):
        attendance.check_in(add(cycle, last_name=f"Plus{number}"), first, user=None, method="qr")

    with django_assert_max_num_queries(count):
        rows = _registration_export(admin_client, "csv")

    assert len(rows) == 34


def test_the_sheet_with_50_people_and_check_ins_has_a_fixed_query_count(
    manager_client, cycle, django_assert_max_num_queries
):
    first, second = cycle.sessions.order_by("sort_order")
    for number in range(50):
        registration = add(cycle, first_name=f"Prénom{number}", last_name=f"Nom{number}")
        attendance.check_in(registration, first, user=None, method="qr")
        if number % 2:
            attendance.check_in(registration, second, user=None, method="name")
    url = f"/admin/inscriptions/emargement/{cycle.pk}/"
    manager_client.get(url)

    with django_assert_max_num_queries(12):
        response = manager_client.get(url)

    assert "50 présents, 0 absent" in visible_text(response)
    assert "25 présents, 25 absents" in visible_text(response)


def test_staff_reach_the_check_in_page_from_the_list_and_the_event(
    manager_client, admin_client, event
):
    listing = manager_client.get("/admin/inscriptions/", {"event": event.pk}).content.decode()
    assert f'href="{page_url(event)}"' in listing
    edit = admin_client.get(f"/admin/pages/{event.pk}/edit/")
    assert page_url(event) in edit.content.decode()
