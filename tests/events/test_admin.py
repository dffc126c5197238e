"""Editors create events in the admin, in French, and the form refuses what cannot be right."""

import html

from django.test import Client

import pytest

from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from contacts.models import ContactSettings
from events.models import EventIndexPage, EventPage, EventSession
from home.models import HomePage, SiteSettings
from tests.factories.events import EventKindFactory, EventPageFactory, VenueFactory


def session_form(date, start="09:00", end="12:00", title=""):
    return {
        "title": title,
        "date": date,
        "start_time": start,
        "end_time": end,
        "status": "scheduled",
        "description": rich_text(""),
    }


def event_form(sessions, **changes):
    data = {
        "title": "Le numérique au service de la proximité",
        "slug": "numerique-proximite",
        "kind": EventKindFactory().pk,
        "summary": "Une journée pour partager les expériences.",
        "presentation": streamfield([("paragraph", rich_text("<p>Présentation.</p>"))]),
        "audience": "Directeurs",
        "related_papers": inline_formset([]),
        "status": "scheduled",
        "venue": VenueFactory().pk,
        "venue_city": "",
        "attendance_mode": "in_person",
        "attendance_note": "",
        "sessions": inline_formset(sessions, min=1),
        "people": inline_formset([]),
        "organisations": inline_formset([]),
        "prices": inline_formset([]),
        "registration_mode": "external",
        "registration_url": "https://inscription.example.org/",
        "registration_opens_on": "",
        "registration_deadline": "",
        "capacity": "",
        "waiting_list": "on",
        "registration_scope": "event",
        "max_colleagues": "4",  # the field's default, as the admin's form shows it
        "offer_hours": "48",  # the same
        "action-publish": "publish",
    }
    data.update(changes)
    return nested_form_data(data)


def add_url(agenda):
    return f"/admin/pages/add/events/eventpage/{agenda.pk}/"


def errors_of(response):
    """Every error message on the page, as an editor reads it."""
    return html.unescape(response.content.decode())


def test_an_editor_publishes_an_event_with_two_sessions(editor_client, agenda):
    response = editor_client.post(
        add_url(agenda),
        event_form(
            [
                session_form("2031-05-12", title="Matinée"),
                session_form("2031-06-09", "14:00", "17:30", title="Après-midi"),
            ]
        ),
    )

    assert response.status_code == 302, response.context["form"].errors
    event = EventPage.objects.get(slug="numerique-proximite")
    assert event.live
    assert (str(event.first_date), str(event.last_date), event.session_count) == (
        "2031-05-12",
        "2031-06-09",
        2,
    )
    sessions = EventSession.objects.filter(page=event).order_by("sort_order")
    assert [s.title for s in sessions] == ["Matinée", "Après-midi"]
    assert all(s.uid and s.sequence == 0 for s in sessions)
    assert (
        "Le numérique au service de la proximité" in editor_client.get(agenda.url).content.decode()
    )


@pytest.mark.parametrize(
    ("sessions", "changes", "message"),
    [
        (
            [session_form("2031-05-12", "12:00", "09:00")],
            {},
            "La séance se termine avant de commencer : l'heure de fin (9\u00a0h) doit suivre "
            "l'heure de début (12\u00a0h).",
        ),
        (
            [session_form("2031-05-12", "09:00", "")],
            {},
            "Indiquez aussi l'heure de fin, ou laissez les deux heures vides.",
        ),
        (
            [session_form("2031-05-12"), session_form("2031-06-09")],
            {"registration_deadline": "2031-06-10"},
            "La date limite d'inscription (10 juin 2031) tombe après la dernière séance : "
            "choisissez le 9 juin 2031 au plus tard.",
        ),
        (
            [],
            {},
            "Un événement a au moins une séance : ajoutez-en une dans l'onglet « Programme ».",
        ),
    ],
    ids=["ends-before-it-starts", "start-without-end", "deadline-after-last-session", "none"],
)
def test_the_form_refuses_what_cannot_be_right_in_french(
    editor_client, agenda, sessions, changes, message
):
    response = editor_client.post(add_url(agenda), event_form(sessions, **changes))

    assert response.status_code == 200
    assert message in errors_of(response)
    assert not EventPage.objects.filter(slug="numerique-proximite").exists()


def test_the_editor_works_in_tabs(editor_client, agenda):
    content = html.unescape(editor_client.get(add_url(agenda)).content.decode())

    for tab in ["Contenu", "Dates et lieu", "Programme", "Intervenants", "Tarifs", "Inscription"]:
        assert f">{tab}<" in content or f"{tab}\n" in content, tab
    assert "Par exemple : Atelier du club" in content


def test_an_editor_previews_a_draft_with_its_sessions(editor_client, agenda):
    event = EventPageFactory(parent=agenda)
    draft = event_form(
        [session_form("2031-05-12", title="Séance en aperçu")],
        title="Titre en aperçu",
        slug=event.slug,
    )
    SiteSettings.load()  # created on first use otherwise, which purges
    ContactSettings.load()
    # What the live page shows is now kept until the next purge: not what a preview shows.
    assert Client().get(event.url).status_code == 200

    response = editor_client.post(f"/admin/pages/{event.pk}/edit/preview/", draft)
    assert response.json()["is_valid"]
    preview = editor_client.get(f"/admin/pages/{event.pk}/edit/preview/")

    assert "Séance en aperçu" in preview.content.decode()
    assert "lundi 12 mai 2031" in preview.content.decode()


def test_events_live_only_in_the_agenda(home, agenda):
    assert EventPage.can_create_at(agenda)
    assert not EventPage.can_create_at(home)
    assert EventIndexPage.parent_page_types == ["home.HomePage"]
    assert not EventIndexPage.can_create_at(home)  # one agenda per site
    assert isinstance(home, HomePage)


def test_kinds_and_venues_are_managed_as_snippets(editor_client):
    EventKindFactory(name="Journée débat")
    VenueFactory(name="Les Salons du Relais")

    kinds = editor_client.get("/admin/snippets/events/eventkind/")
    venues = editor_client.get("/admin/snippets/events/venue/")

    assert "Journée débat" in kinds.content.decode()
    assert "Les Salons du Relais" in venues.content.decode()
    assert "referentiels-evenements" in editor_client.get("/admin/").content.decode()


def test_an_external_registration_needs_its_link(editor_client, agenda):
    response = editor_client.post(
        add_url(agenda),
        event_form([session_form("2031-05-12")], registration_mode="external", registration_url=""),
    )

    assert response.status_code == 200
    assert "Indiquez l'adresse de la page d'inscription" in errors_of(response)
    assert not EventPage.objects.exists()


def test_an_editor_sets_up_a_registration_on_the_site(editor_client, agenda):
    response = editor_client.post(
        add_url(agenda),
        event_form(
            [session_form("2031-05-12")],
            registration_mode="site",
            registration_url="",
            capacity="40",
            registration_opens_on="2031-04-01",
            registration_deadline="2031-05-01",
        ),
    )

    assert response.status_code == 302, response.context["form"].errors
    event = EventPage.objects.get()
    assert event.registers_on_site and event.capacity == 40
