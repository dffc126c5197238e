"""The home page opens on the next event as its hero, or, when nothing is announced, on the
latest past events and the agenda to subscribe to: never on an empty block."""

import pytest

from events.choices import RegistrationStatus
from events.models import Registration
from tests.events.conftest import visible_text
from tests.factories.events import EventIndexPageFactory, EventPageFactory, session


@pytest.fixture
def agenda(home):
    return EventIndexPageFactory(parent=home)


def take_seats(event, count, status=RegistrationStatus.CONFIRMED):
    Registration.objects.bulk_create(
        Registration(event=event, status=status, consent_text="J'accepte.") for _ in range(count)
    )


def test_with_nothing_upcoming_the_latest_past_events_and_the_agenda_to_subscribe_to(
    client, agenda
):
    for days, title in [(-400, "Le plus ancien"), (-30, "Le plus récent"), (-90, "Le deuxième")]:
        EventPageFactory(parent=agenda, title=title, sessions=[session(days)])
    EventPageFactory(parent=agenda, title="Le troisième", sessions=[session(-200)])

    response = client.get("/")
    text = visible_text(response)

    assert "Derniers événements" in text
    assert "Prochain événement" not in text
    shown = [t for t in ("Le plus récent", "Le deuxième", "Le troisième") if t in text]
    assert shown == ["Le plus récent", "Le deuxième", "Le troisième"]
    assert text.index("Le plus récent") < text.index("Le deuxième") < text.index("Le troisième")
    assert "Le plus ancien" not in text
    content = response.content.decode()
    assert 'href="/agenda/calendrier/"' in content
    assert 'href="/agenda/rss/"' in content
    assert "S'abonner à l'agenda" in text


def test_an_empty_agenda_still_invites_to_subscribe(client, agenda):
    text = visible_text(client.get("/"))

    assert "Derniers événements" in text
    assert "Le prochain événement sera annoncé ici." in text
    assert "S'abonner à l'agenda" in text


def test_the_next_event_is_the_hero_with_its_places_and_a_register_button(client, agenda):
    EventPageFactory(parent=agenda, title="Passé", sessions=[session(-10)])
    later = EventPageFactory(parent=agenda, title="Plus tard", sessions=[session(60)])
    hero = EventPageFactory(
        parent=agenda,
        title="Atelier de printemps",
        slug="printemps",
        registration_mode="site",
        capacity=20,
        sessions=[session(10), session(24)],
    )
    take_seats(hero, 3)
    take_seats(hero, 5, status=RegistrationStatus.CANCELLED)  # they free their seats

    response = client.get("/")
    text = visible_text(response)
    content = response.content.decode()

    assert "Prochain événement" in text
    assert "Derniers événements" not in text
    assert text.index("Atelier de printemps") < text.index(later.title)
    assert hero.date_range_label in text and "2 séances" in text
    assert hero.place_label in text
    assert "17 places restantes" in text
    assert 'href="/agenda/printemps/inscription/"' in content
    assert "S'inscrire à « Atelier de printemps »" in text
    assert "Passé" not in text


def test_the_heros_places_are_counted_on_every_serve_without_a_purge(client, agenda):
    hero = EventPageFactory(
        parent=agenda, title="Atelier", registration_mode="site", capacity=4, sessions=[session()]
    )
    take_seats(hero, 2)
    assert "2 places restantes" in visible_text(client.get("/"))

    take_seats(hero, 1)
    assert "1 place restante" in visible_text(client.get("/"))

    take_seats(hero, 1)
    text = visible_text(client.get("/"))
    assert "Complet" in text and "place restante" not in text


def test_a_cancelled_next_event_offers_no_register_button(client, agenda):
    EventPageFactory(
        parent=agenda,
        title="Atelier annulé",
        status="cancelled",
        registration_mode="site",
        capacity=10,
        sessions=[session(5)],
    )

    text = visible_text(client.get("/"))

    assert "Atelier annulé" in text and "Annulé" in text
    assert "S'inscrire" not in text
    assert "places restantes" not in text


def test_an_external_registration_links_to_its_site(client, agenda):
    EventPageFactory(
        parent=agenda,
        title="Journée partenaire",
        registration_mode="external",
        registration_url="https://partenaire.example/inscription",
        sessions=[session(5)],
    )

    content = client.get("/").content.decode()

    assert 'href="https://partenaire.example/inscription" rel="noopener"' in content


def test_an_editors_odd_title_is_shown_as_text(client, agenda):
    title = "<b>Atelier</b> \u202e \U0001f3e0 « l’habitat » " + "é" * 200
    EventPageFactory(parent=agenda, title=title, registration_mode="site", capacity=3)

    content = client.get("/").content.decode()

    assert "<b>Atelier</b>" not in content
    assert "&lt;b&gt;Atelier&lt;/b&gt;" in content
    assert "\U0001f3e0" in content


@pytest.mark.parametrize("count", [1, 12])
def test_the_home_page_runs_the_same_queries_with_one_or_many_upcoming_events(
    client, agenda, django_assert_max_num_queries, count
):
    for number in range(count):
        event = EventPageFactory(
            parent=agenda, registration_mode="site", capacity=30, sessions=[session(5 + number)]
        )
        take_seats(event, 2)
    client.get("/")
    client.get("/")

    with django_assert_max_num_queries(2):
        assert "28 places restantes" in visible_text(client.get("/"))
