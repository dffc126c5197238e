"""A lead manager writes to an event's registrants from the admin: chooses who (confirmed,
waiting, one séance), previews the mail as sent, mails themselves a test, sends; each message is
logged and each mail owed once, so that a double click sends nothing twice."""

import re
import uuid

from django.contrib.auth.models import Group

import pytest

from contacts.models import OutboundEmail
from events.models import RegistrantMessage, Registration
from tests.factories.events import EventPageFactory, session
from tests.factories.publications import LeadFactory

from .conftest import visible_text

PASSWORD = "un mot de passe assez long"
KIND = "events.registrant_message"


@pytest.fixture
def event(agenda):
    return EventPageFactory(
        parent=agenda,
        slug="cycle",
        title="Le cycle",
        registration_mode="site",
        registration_scope="session",
        capacity=5,
        sessions=[session(10, title="Première"), session(20, title="Seconde")],
    )


def add(event, status="confirmed", seat=None, **lead_fields):
    return Registration.objects.create(
        event=event,
        session=seat,
        lead=LeadFactory(**lead_fields),
        status=status,
        consent_text="oui",
    )


@pytest.fixture
def registrations(event):
    first, second = event.sessions.order_by("sort_order")
    marie = add(event, seat=first, first_name="Marie", email="marie@oph-exemple.fr")
    # Marie's second seat: one mail all the same.
    Registration.objects.create(
        event=event, session=second, lead=marie.lead, status="confirmed", consent_text="oui"
    )
    add(event, seat=second, first_name="Jean", email="jean@oph-exemple.fr")
    add(event, seat=first, status="waiting", first_name="Paul", email="paul@oph-exemple.fr")
    add(event, seat=first, status="cancelled", first_name="Lucie", email="lucie@oph-exemple.fr")
    return first, second


@pytest.fixture
def staff(django_user_model):
    def make(username, group="Gestionnaires de leads", **fields):
        user = django_user_model.objects.create_user(
            username, email=f"{username}@club-exemple.fr", password=PASSWORD, **fields
        )
        if group:
            user.groups.add(Group.objects.get(name=group))
        return user

    return make


def url(event):
    return f"/admin/evenements/{event.pk}/ecrire/"


def form(event, action, **changes):
    data = {
        "session": "",
        "audience": "confirmed",
        "subject": "Informations pratiques",
        "body": "Rendez-vous salle 2.\n\nÀ bientôt.",
        "token": str(uuid.uuid4()),
        "action": action,
    }
    return {**data, **changes}


def sent_to():
    return sorted(OutboundEmail.objects.filter(kind=KIND).values_list("to", flat=True))


def test_a_lead_manager_previews_then_sends_to_the_confirmed(client, staff, event, registrations):
    client.force_login(staff("gestionnaire", first_name="Gaëlle"))

    page = client.get(url(event))
    assert page.status_code == 200
    assert "Écrire aux inscrits" in visible_text(page)

    preview = client.post(url(event), form(event, "preview"))
    text = visible_text(preview)
    assert preview.status_code == 200
    assert "Il partira à 2 personnes" in text and "Envoyer à 2 personnes" in text
    assert "Bonjour Marie," in preview.content.decode()  # the text version, as Marie gets it
    assert OutboundEmail.objects.count() == 0

    data = form(event, "send")
    response = client.post(url(event), data, follow=True)
    assert "envoyé à 2 personne(s)" in visible_text(response)
    assert sent_to() == ["jean@oph-exemple.fr", "marie@oph-exemple.fr"]
    mail = OutboundEmail.objects.get(kind=KIND, to="jean@oph-exemple.fr")
    assert mail.subject == "Informations pratiques"
    assert mail.body.startswith("Bonjour Jean,\n\nRendez-vous salle 2.\n\nÀ bientôt.")
    assert "« Le cycle »" in mail.body and "<p>Rendez-vous salle 2.</p>" in mail.html

    message = RegistrantMessage.objects.get()
    assert (message.event, message.session, message.recipient_count) == (event, None, 2)
    assert message.sent_by.username == "gestionnaire" and message.subject == data["subject"]
    assert "Informations pratiques" in visible_text(client.get(url(event)))  # the log

    # The same form again (a double click, a retry): nothing more goes out.
    again = client.post(url(event), data, follow=True)
    assert "déjà été envoyé" in visible_text(again)
    assert OutboundEmail.objects.filter(kind=KIND).count() == 2
    assert RegistrantMessage.objects.count() == 1


def test_one_seance_and_the_waiting_list(client, staff, event, registrations):
    first, _second = registrations
    client.force_login(staff("admin", group=None, is_superuser=True))

    client.post(url(event), form(event, "send", session=first.pk, audience="both"))

    assert sent_to() == ["marie@oph-exemple.fr", "paul@oph-exemple.fr"]
    assert RegistrantMessage.objects.get().session == first


def test_a_test_mail_goes_to_the_writer_only(client, staff, event, registrations):
    client.force_login(staff("gestionnaire"))

    response = client.post(url(event), form(event, "test"))

    assert "Un e-mail de test est parti à gestionnaire@club-exemple.fr" in visible_text(response)
    assert sent_to() == ["gestionnaire@club-exemple.fr"]
    assert OutboundEmail.objects.get().subject == "[Test] Informations pratiques"
    assert RegistrantMessage.objects.count() == 0


def test_bad_input_gets_french_errors_and_sends_nothing(client, staff, event, registrations):
    client.force_login(staff("gestionnaire"))

    response = client.post(url(event), form(event, "send", subject="", body=""))

    assert response.status_code == 200
    assert visible_text(response).count("Champ requis.") == 2
    assert OutboundEmail.objects.count() == 0 and RegistrantMessage.objects.count() == 0


def test_editors_cannot_write_to_registrants(client, staff, event, registrations):
    client.force_login(staff("editrice", group="Éditeurs"))

    assert client.get(url(event)).status_code in (302, 403)
    client.post(url(event), form(event, "send"))
    assert OutboundEmail.objects.count() == 0


def test_the_registrations_list_and_the_event_lead_to_the_page(client, staff, event):
    client.force_login(staff("gestionnaire"))

    listing = client.get("/admin/inscriptions/", {"event": event.pk}).content.decode()
    assert url(event) in listing

    client.force_login(staff("admin", group=None, is_superuser=True))
    edit = client.get(f"/admin/pages/{event.pk}/edit/").content.decode()
    assert re.search(rf'href="{re.escape(url(event))}"', edit)


@pytest.mark.parametrize("people", [2, 30])
def test_the_page_and_its_preview_cost_the_same_with_more_registrants(
    client, staff, event, people, django_assert_max_num_queries
):
    for number in range(people):
        add(event, email=f"personne{number}@oph-exemple.fr")
    client.force_login(staff("gestionnaire"))

    with django_assert_max_num_queries(25):
        assert client.get(url(event)).status_code == 200
    with django_assert_max_num_queries(25):
        response = client.post(url(event), form(event, "preview"))
    assert f"Il partira à {people} personnes" in visible_text(response)


def test_a_seance_of_an_event_taken_as_a_whole_reaches_all_its_registrants(client, staff, agenda):
    whole = EventPageFactory(
        parent=agenda,
        slug="journee",
        title="La journée",
        registration_mode="site",
        sessions=[session(10, title="Matin"), session(10, title="Après-midi")],
    )
    add(whole, email="marie@oph-exemple.fr")
    add(whole, email="jean@oph-exemple.fr")
    client.force_login(staff("gestionnaire"))

    morning = whole.sessions.order_by("sort_order").first()
    client.post(url(whole), form(whole, "send", session=morning.pk))

    assert sent_to() == ["jean@oph-exemple.fr", "marie@oph-exemple.fr"]
    assert "Matin" in OutboundEmail.objects.filter(kind=KIND).first().body
