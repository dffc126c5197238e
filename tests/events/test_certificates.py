"""Attendance certificates: staff send them after a séance to each person checked in, as a PDF
through the outbox (a binary attachment kept as base64), once per set of séances attended;
the person downloads it again from their signed link."""

import io
import re

from django.contrib.auth.models import Group

import pytest
from pypdf import PdfReader

from contacts import outbox
from contacts.models import ContactSettings, OutboundEmail
from events import attendance, certificates, services
from events.models import Registration
from tests.factories.events import EventPageFactory, session
from tests.factories.publications import LeadFactory

PASSWORD = "un mot de passe assez long"


@pytest.fixture
def cycle(agenda):
    return EventPageFactory(
        parent=agenda,
        slug="cycle",
        title="Revisiter la proximité",
        registration_mode="site",
        capacity=30,
        sessions=[
            session(-7, start=(9, 0), end=(12, 30), title="Etat des lieux"),
            session(0, start=(0, 0), end=(3, 0), title="Prendre de la hauteur"),
            session(20, title="Conclure"),
        ],
    )


@pytest.fixture
def manager_client(client, django_user_model):
    user = django_user_model.objects.create_user("gestionnaire", password=PASSWORD)
    user.groups.add(Group.objects.get(name="Gestionnaires de leads"))
    client.force_login(user)
    return client


def add(event, **lead_fields):
    return Registration.objects.create(
        event=event, lead=LeadFactory(**lead_fields), status="confirmed", consent_text="oui"
    )


def pdf_text(content):
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return " ".join(text.replace("\u00a0", " ").split())


def test_the_certificate_names_the_person_each_session_and_the_hours(cycle):
    settings = ContactSettings.load()
    settings.organisation_name = "Club Management HLM"
    settings.save()
    first, second, _ = cycle.sessions.order_by("sort_order")
    registration = add(cycle, first_name="Élodie", last_name="Lefèvre", organisation="Habitat Sud")
    attendance.check_in(registration, first, user=None, method="qr")
    attendance.check_in(registration, second, user=None, method="name")

    text = pdf_text(certificates.pdf(registration))

    assert "Attestation de présence" in text
    assert "Club Management HLM atteste que Élodie Lefèvre" in text
    assert "Habitat Sud" in text and "« Revisiter la proximité »" in text
    assert "Séance 1 - Etat des lieux" in text and "Séance 2 - Prendre de la hauteur" in text
    assert "9 h – 12 h 30" in text and "3 h 30" in text
    assert "0 h – 3 h" in text
    assert "Durée totale : 6 h 30" in text
    assert "Conclure" not in text  # not attended


def test_a_hostile_name_gives_a_readable_certificate(cycle):
    first = cycle.sessions.order_by("sort_order").first()
    registration = add(cycle, first_name="<b>Zoé</b>\x1b", last_name="O’Brien 🎉\u202e")
    attendance.check_in(registration, first, user=None, method="qr")

    text = pdf_text(certificates.pdf(registration))

    assert "<b>Zoé</b>" in text and "O'Brien" in text


def test_staff_send_certificates_once_through_the_outbox(manager_client, cycle):
    first, second, third = cycle.sessions.order_by("sort_order")
    came = add(cycle, first_name="Marie", last_name="Dupont", email="marie@exemple.fr")
    add(cycle, first_name="Jean", last_name="Absent")
    attendance.check_in(came, second, user=None, method="qr")
    url = f"/admin/evenements/{cycle.pk}/pointage/{second.pk}/attestations/"

    response = manager_client.post(url, follow=True)

    assert "1 attestation de présence envoyée par e-mail." in response.content.decode()
    queued = OutboundEmail.objects.get(kind="events.attendance_certificate")
    assert queued.to == "marie@exemple.fr"
    (stored,) = queued.attachments
    assert stored["encoding"] == "base64" and stored["mimetype"] == "application/pdf"
    assert "Prendre de la hauteur" in pdf_text(outbox.attachment_content(stored))

    manager_client.post(url)  # again: nothing new
    assert OutboundEmail.objects.filter(kind="events.attendance_certificate").count() == 1
    attendance.check_in(came, first, user=None, method="name")
    manager_client.post(url)  # one more séance attended: a new certificate
    assert OutboundEmail.objects.filter(kind="events.attendance_certificate").count() == 2

    future = f"/admin/evenements/{cycle.pk}/pointage/{third.pk}/attestations/"
    assert manager_client.post(future, HTTP_ACCEPT="application/json").status_code == 422


def test_the_sent_mail_carries_the_pdf(cycle):
    second = cycle.sessions.order_by("sort_order")[1]
    came = add(cycle, first_name="Marie", last_name="Dupont")
    attendance.check_in(came, second, user=None, method="qr")

    certificates.issue(cycle, second)
    sent = outbox.message(OutboundEmail.objects.get(kind="events.attendance_certificate"))

    (name, content, mimetype) = sent.attachments[0]
    assert mimetype == "application/pdf" and name.endswith(".pdf")
    assert isinstance(content, bytes) and "Marie Dupont" in pdf_text(content)
    assert "/inscriptions/attestation/" in sent.body
    assert sent.message().as_bytes()  # the MIME message builds with its PDF


def test_text_attachments_still_read_as_text():
    item = outbox.attachment("a.ics", "BEGIN:VCALENDAR", "text/calendar")

    assert "encoding" not in item
    assert outbox.attachment_content(item) == "BEGIN:VCALENDAR"
    assert outbox.attachment_content({"filename": "b", "content": "x", "mimetype": "t"}) == "x"


def test_the_person_downloads_it_from_their_link(client, cycle):
    first = cycle.sessions.order_by("sort_order").first()
    came = add(cycle, first_name="Marie", last_name="Dupont")
    absent = add(cycle, first_name="Jean", last_name="Absent")
    attendance.check_in(came, first, user=None, method="qr")

    page = client.get(f"/inscriptions/annuler/{services.make_cancel_token(came.booking)}/")
    (link,) = re.findall(r'href="(/inscriptions/attestation/[^"]+)"', page.content.decode())

    response = client.get(link)
    assert response["Content-Type"] == "application/pdf"
    assert "Marie Dupont" in pdf_text(response.content)
    assert client.get(link[:-3] + "xx/").status_code == 404
    token = attendance.make_certificate_token(absent)
    assert client.get(f"/inscriptions/attestation/{token}/").status_code == 404
    page = client.get(f"/inscriptions/annuler/{services.make_cancel_token(absent.booking)}/")
    assert "/inscriptions/attestation/" not in page.content.decode()
