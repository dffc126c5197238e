"""Registering on the site: the form, seats and the waiting list, the confirmation mail with
its calendar, cancelling through the signed link, and the page's status."""

import re
import unicodedata
from unittest import mock

from django.core import mail
from django.test import Client
from django.utils import timezone

import icalendar
import pytest

from contacts.cleaning import CONTROL_CHARACTERS
from contacts.forms import ALREADY_SENT
from contacts.models import ContactSettings, Lead, OutboundEmail
from events import services
from events.choices import PriceAudience, RegistrationStatus
from events.models import EventPage, EventPrice, EventSession, Registration
from tests.factories.events import EventPageFactory, in_days, session

from .conftest import json_ld, visible_text

CONTACT = {
    "first_name": "Marie",
    "last_name": "Dupont",
    "email": "marie.dupont@oph-exemple.fr",
    "organisation": "OPH de l'Exemple",
    "organisation_type": "oph",
    "job_title": "Directrice de la proximité",
    "phone": "",
    "consent": "on",
    "website": "",
    "accessibility_needs": "Accès en fauteuil roulant",
    "comment": "",
}


def prices():
    return [
        EventPrice(audience="Adhérent", amount=500, offered_to=PriceAudience.MEMBERS),
        EventPrice(audience="Non-Adhérent", amount=1500, offered_to=PriceAudience.NON_MEMBERS),
    ]


@pytest.fixture
def event(agenda):
    return EventPageFactory(
        parent=agenda,
        slug="cycle",
        title="Revisiter la proximité",
        registration_mode="site",
        capacity=2,
        sessions=[session(10), session(20), session(30)],
        prices=prices(),
    )


@pytest.fixture
def per_session_event(agenda):
    return EventPageFactory(
        parent=agenda,
        slug="seances",
        registration_mode="site",
        registration_scope="session",
        capacity=5,
        sessions=[session(10, capacity=1), session(20), session(-3)],
        prices=[EventPrice(audience="Tous", amount=None)],
    )


@pytest.fixture
def register(client, django_capture_on_commit_callbacks):
    """Posts the form as a visitor would (the signed start time first), running what waits for
    the commit (the mail)."""

    def post(event, **changes):
        url = event.url + "inscription/"
        form = client.get(url).context["form"]
        price = event.prices.first()
        data = {
            **CONTACT,
            "started": form["started"].value(),
            # An address the register does not know, whose organisation says it is a member.
            "says_member": "on",
            "price": price.pk if price else "",
            **changes,
        }
        data = {key: value for key, value in data.items() if value is not None}
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data)

    return post


def cancel_link(message):
    return re.search(r"http://\S+/inscriptions/annuler/\S+/", message.body).group(0)


def test_the_event_page_shows_the_places_left_and_links_to_the_form(client, event):
    text = visible_text(client.get(event.url))

    assert "2 places restantes" in text
    assert "S'inscrire à « Revisiter la proximité »" in text


def test_a_visitor_registers_and_gets_a_confirmation_with_the_calendar(client, event, register):
    response = register(event)

    assert response.status_code == 302
    assert response["Location"].startswith(event.url + "inscription/merci/?reservation=")
    registration = Registration.objects.get()
    assert registration.status == RegistrationStatus.CONFIRMED
    assert registration.session is None and registration.is_member
    assert registration.price_label == "Adhérent : 500\u00a0€"
    assert registration.accessibility_needs == "Accès en fauteuil roulant"
    assert registration.lead.email == "marie.dupont@oph-exemple.fr"
    assert "traiter mon inscription" in registration.consent_text

    thanks = visible_text(client.get(response["Location"]))
    assert "Votre inscription est confirmée" in thanks
    assert "marie.dupont@oph-exemple.fr" in thanks

    (message,) = mail.outbox
    assert message.subject == "Inscription confirmée : Revisiter la proximité"
    assert "/inscriptions/annuler/" in message.body
    ((filename, content, mimetype),) = message.attachments
    assert filename == "cycle.ics" and mimetype.startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(content)
    assert len(calendar.walk("VEVENT")) == 3
    assert "1 place restante" in visible_text(client.get(event.url))


def test_past_capacity_visitors_go_to_the_waiting_list(client, event, register):
    for number in range(3):
        register(event, email=f"personne{number}@oph-exemple.fr")

    statuses = list(Registration.objects.order_by("pk").values_list("status", flat=True))
    assert statuses == ["confirmed", "confirmed", "waiting"]
    assert mail.outbox[-1].subject == "Liste d'attente : Revisiter la proximité"
    assert not mail.outbox[-1].attachments
    assert "Complet – liste d'attente" in visible_text(client.get(event.url))


def test_without_a_waiting_list_a_full_event_refuses_and_stores_nothing(client, event, register):
    event.waiting_list = False
    event.save()
    register(event, email="a@oph-exemple.fr")
    register(event, email="b@oph-exemple.fr")

    assert "Complet" in visible_text(client.get(event.url))
    assert client.get(event.url + "inscription/").context["form"] is None
    assert Registration.objects.count() == 2


def test_a_double_submission_takes_one_seat(event, register):
    register(event)
    register(event)

    assert Registration.objects.count() == 1
    assert Lead.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"consent": None}, "Votre accord est nécessaire pour vous inscrire."),
        ({"email": "pas-une-adresse"}, "Saisissez une adresse e-mail valide"),
    ],
)
def test_bad_input_gets_a_french_error_and_stores_nothing(event, register, changes, message):
    response = register(event, **changes)

    assert response.status_code == 200
    assert message in visible_text(response)
    assert Registration.objects.count() == 0 and Lead.objects.count() == 0


def test_the_honeypot_stores_nothing(event, register):
    assert register(event, website="http://spam.example").status_code == 400
    assert Registration.objects.count() == 0


def test_per_session_registrations_count_each_session(client, per_session_event, register):
    first, second, past = per_session_event.sessions.order_by("sort_order")
    form = client.get(per_session_event.url + "inscription/").context["form"]
    assert list(form.fields["sessions"].queryset) == [first, second]  # not the past one

    register(per_session_event, sessions=[first.pk, second.pk], email="a@oph-exemple.fr")
    register(per_session_event, sessions=[first.pk], email="b@oph-exemple.fr")
    response = register(per_session_event, sessions=[past.pk], email="c@oph-exemple.fr")

    assert "Cette séance n'est plus proposée à l'inscription." in visible_text(response)
    seats = {
        (r.lead.email, r.session_id): r.status for r in Registration.objects.select_related("lead")
    }
    assert seats == {
        ("a@oph-exemple.fr", first.pk): "confirmed",
        ("a@oph-exemple.fr", second.pk): "confirmed",
        ("b@oph-exemple.fr", first.pk): "waiting",
    }
    text = visible_text(client.get(per_session_event.url))
    assert "Complet – liste d'attente" in text and "4 places restantes" in text
    # One mail for the booking, whose calendar holds the sessions confirmed.
    calendar = icalendar.Calendar.from_ical(mail.outbox[0].attachments[0][1])
    assert len(calendar.walk("VEVENT")) == 2


def test_a_session_must_be_chosen(per_session_event, register):
    response = register(per_session_event)

    assert "Choisissez au moins une séance." in visible_text(response)


def test_cancelling_frees_the_seat_for_the_first_person_waiting(client, event, register):
    register(event, email="a@oph-exemple.fr")
    register(event, email="b@oph-exemple.fr")
    register(event, email="c@oph-exemple.fr")
    register(event, email="d@oph-exemple.fr")
    link = cancel_link(mail.outbox[0])
    mail.outbox.clear()

    # GET only asks: link scanners follow links.
    page = client.get(link)
    assert page.status_code == 200
    assert "Confirmer l'annulation" in visible_text(page)
    assert Registration.objects.filter(status="confirmed").count() == 2

    from django.test import Client

    scanner_free = Client()
    with mock.patch("django.db.transaction.on_commit", lambda callback: callback()):
        done = scanner_free.post(link)
    assert "Votre inscription est annulée" in visible_text(done)
    statuses = dict(Registration.objects.values_list("lead__email", "status"))
    assert statuses == {
        "a@oph-exemple.fr": "cancelled",
        "b@oph-exemple.fr": "confirmed",
        "c@oph-exemple.fr": "offered",  # the first waiting: the seat is held for them
        "d@oph-exemple.fr": "waiting",
    }
    # The person who cancelled is told it is done; the first person waiting is offered the seat
    # (tests/events/test_waiting_list_offers.py: accepting mails the calendar).
    done_mail, message = sorted(mail.outbox, key=lambda m: m.to)
    assert done_mail.to == ["a@oph-exemple.fr"]
    assert done_mail.subject == "Inscription annulée : Revisiter la proximité"
    assert not done_mail.attachments
    assert message.to == ["c@oph-exemple.fr"]
    assert message.subject == "Une place vous est proposée : Revisiter la proximité"
    assert "/inscriptions/place/" in message.body

    again = scanner_free.post(link)
    assert "déjà annulée" in visible_text(again)
    assert Registration.objects.filter(status__in=["confirmed", "offered"]).count() == 2
    assert "déjà annulée" in visible_text(client.get(link))


def test_an_altered_cancel_link_is_refused(client, home):
    response = client.get("/inscriptions/annuler/pas-un-jeton/")

    assert response.status_code == 403
    assert "Ce lien d'annulation n'est pas valable" in visible_text(response)


def test_a_mail_failure_loses_nothing(event, register):
    with mock.patch("contacts.outbox.get_connection", side_effect=ConnectionRefusedError):
        response = register(event)

    assert response.status_code == 302
    assert Registration.objects.filter(status="confirmed").count() == 1
    waiting_mail = OutboundEmail.objects.get()
    assert waiting_mail.sent_at is None and waiting_mail.attempts == 1
    assert waiting_mail.attachments[0]["filename"] == "cycle.ics"


@pytest.mark.parametrize(
    ("fields", "text"),
    [
        ({"registration_opens_on": in_days(3)}, "Inscriptions à partir du"),
        ({"registration_deadline": in_days(-1)}, "Inscriptions closes"),
        ({"status": "cancelled"}, "Cet événement est annulé."),
    ],
)
def test_the_page_says_when_registration_is_not_open(client, event, fields, text):
    for name, value in fields.items():
        setattr(event, name, value)
    event.save()

    assert text in visible_text(client.get(event.url))
    form_page = client.get(event.url + "inscription/")
    assert form_page.context["form"] is None
    assert text in visible_text(form_page)


def test_no_form_for_an_event_without_registration_on_the_site(client, agenda):
    event = EventPageFactory(
        parent=agenda, registration_mode="external", registration_url="https://x.org/"
    )

    assert client.get(event.url + "inscription/").status_code == 404


def test_erasing_a_lead_anonymises_their_registrations_and_keeps_the_seat(event, register):
    register(event)
    lead = Lead.objects.get()

    from contacts.services import erase_lead

    erase_lead(lead)

    registration = Registration.objects.get()
    assert registration.lead is None
    assert registration.accessibility_needs == "" and registration.page_url == ""
    assert registration.status == "confirmed"
    assert not OutboundEmail.objects.exists()


def test_cancel_services_are_idempotent(event, register):
    register(event)
    booking = Registration.objects.get().booking

    assert len(services.cancel(booking)) == 1
    assert services.cancel(booking) == []
    assert Registration.objects.get().cancelled_at <= timezone.now()


def test_the_schema_org_offers_point_to_the_form_and_follow_the_seats(client, event, register):
    offers = json_ld(client.get(event.url))["offers"]
    assert {offer["url"] for offer in offers} == {"http://localhost/agenda/cycle/inscription/"}
    assert {offer["availability"] for offer in offers} == {"https://schema.org/InStock"}

    register(event, email="a@oph-exemple.fr")
    register(event, email="b@oph-exemple.fr")

    offers = json_ld(client.get(event.url))["offers"]
    assert {offer["availability"] for offer in offers} == {"https://schema.org/SoldOut"}


def test_more_places_published_are_offered_to_the_people_waiting(
    event, register, django_capture_on_commit_callbacks
):
    for name in "abcd":
        register(event, email=f"{name}@oph-exemple.fr")
    mail.outbox.clear()

    event.capacity = 3
    with django_capture_on_commit_callbacks(execute=True):
        event.save_revision().publish()

    statuses = dict(Registration.objects.values_list("lead__email", "status"))
    assert statuses["c@oph-exemple.fr"] == "offered"  # held for them until they answer
    assert statuses["d@oph-exemple.fr"] == "waiting"
    assert [message.to for message in mail.outbox] == [["c@oph-exemple.fr"]]


def test_registrations_are_rate_limited_per_address(event, register, settings):
    settings.LEAD_FORM_RATE = "2/h"
    register(event, email="a@oph-exemple.fr")
    register(event, email="b@oph-exemple.fr")

    response = register(event, email="c@oph-exemple.fr")

    assert response.status_code == 429
    assert Registration.objects.count() == 2


def test_a_past_event_cannot_be_cancelled(client, event, register):
    register(event)
    link = cancel_link(mail.outbox[0])
    EventSession.objects.filter(page=event).update(date=in_days(-5))
    EventPage.objects.get(pk=event.pk).save()  # the stored dates follow the sessions

    assert "Cet événement a eu lieu" in visible_text(client.get(link))
    assert "Cet événement a eu lieu" in visible_text(client.post(link))
    assert Registration.objects.get().status == "confirmed"


def test_with_the_page_cache_on_the_places_left_change_at_once(settings, event, register):
    from home.models import SiteSettings

    settings.PAGE_CACHE_SECONDS = 600
    SiteSettings.load()
    ContactSettings.load()
    visitor = Client()
    assert "2 places restantes" in visible_text(visitor.get(event.url))
    assert visitor.get(event.url)["X-Page-Cache"] == "hit"

    register(event)

    # Still the cached page, with its seats counted afresh: a registration purges nothing.
    response = visitor.get(event.url)
    assert response["X-Page-Cache"] == "hit"
    assert "1 place restante" in visible_text(response)


# --- Hostile input (issue #16): cleaned at one point, the token makes one booking -----------


def is_clean(value, multiline=False):
    kept = "\n\t" if multiline else ""
    return value == unicodedata.normalize("NFC", value) and not any(
        unicodedata.category(char) == "Cc" and char not in kept for char in value
    )


def test_a_comment_and_needs_with_control_characters_are_stored_clean(client, event, register):
    response = register(
        event,
        comment="Arrivée\x00 vers 10 h\r\n\x01Me\u0301rci\x7f\tbeaucoup\x1b[0m",
        accessibility_needs="Fauteuil\x00 roulant\x0b\r\nboucle magne\u0301tique",
    )

    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.comment == "Arrivée vers 10 h\nMérci\tbeaucoup[0m"
    assert registration.accessibility_needs == "Fauteuil roulant\nboucle magnétique"
    assert is_clean(registration.comment, multiline=True)
    assert is_clean(registration.accessibility_needs, multiline=True)
    lead = registration.lead
    assert all(is_clean(value) for value in (lead.first_name, lead.organisation, lead.email))
    # The thank-you page shows the booking.
    assert client.get(response["Location"]).status_code == 200


def test_a_name_with_a_control_character_is_refused_in_french(event, register):
    response = register(event, last_name="Du\x01pont")

    assert response.status_code == 200
    assert CONTROL_CHARACTERS in response.content.decode()
    assert Registration.objects.count() == 0


@pytest.mark.parametrize("email", ["a@localhost", "a@[127.0.0.1]"])
def test_an_address_without_a_public_domain_is_refused(event, register, email):
    response = register(event, email=email)

    assert "domaine est un nom public" in response.content.decode()
    assert Registration.objects.count() == 0


def test_a_replayed_token_makes_no_second_booking(client, event):
    url = event.url + "inscription/"
    form = client.get(url).context["form"]
    data = {
        **CONTACT,
        "started": form["started"].value(),
        "says_member": "on",
    }
    first = client.post(url, data)
    replay = client.post(url, {**data, "email": "bot@oph-exemple.fr"})

    assert first.status_code == 302
    assert replay.status_code == 200
    assert ALREADY_SENT in replay.content.decode()
    assert Lead.objects.count() == 1
    assert Registration.objects.count() == 1


def test_a_slot_marker_in_the_referrer_is_never_filled(client, event):
    response = client.get(
        event.url + "inscription/", headers={"referer": "https://x.fr/__page_slot_csrf__"}
    )

    assert response.context["form"]["referrer"].value() == "https://x.fr/_page_slot_csrf__"
    assert "__page_slot_" not in response.content.decode()


def test_the_mail_and_the_cancel_page_never_guess_a_gender(client, event, register):
    register(event)
    (message,) = mail.outbox

    page = client.get(cancel_link(message))

    text = message.body + page.content.decode()
    assert "Votre inscription à « Revisiter la proximité » est confirmée" in message.body
    assert "voici votre inscription :" in page.content.decode()
    for gendered in ("inscrit ", "inscrits", "inscrit·e", "inscrit(e)", "un(e)"):
        assert gendered not in text
