"""The agenda: upcoming events by their next session, then past events by year; filters as
links; cards; the home page's next three events; the RSS feed; the white papers' events."""

import html
import re
import xml.etree.ElementTree as ET

from events.choices import EventStatus
from events.dates import short_date
from events.models import EventRelatedPaper
from tests.factories.events import EventKindFactory, EventPageFactory, in_days, session
from tests.factories.home import ThemeFactory

from .conftest import visible_text


def titles(response, start="", end=None):
    """The cards' titles, in order (between the ``start`` and ``end`` markers, when given)."""
    content = response.content.decode()
    content = content[content.index(start) : content.index(end) if end else None]
    return [html.unescape(title) for title in CARD_TITLE.findall(content)]


CARD_TITLE = re.compile(r'<a class="stretched-link" href="[^"]*">([^<]*)</a>')


def test_upcoming_by_next_session_then_past_by_year(client, agenda):
    # A cycle under way counts by its next session, not its first.
    cycle = EventPageFactory(parent=agenda, title="Cycle", sessions=[session(-60), session(20)])
    soon = EventPageFactory(parent=agenda, title="Bientôt", sessions=[session(3)])
    later = EventPageFactory(parent=agenda, title="Plus tard", sessions=[session(90)])
    last_month = EventPageFactory(parent=agenda, title="Le mois dernier", sessions=[session(-30)])
    long_ago = EventPageFactory(parent=agenda, title="Il y a longtemps", sessions=[session(-800)])

    response = client.get(agenda.url)

    assert titles(response) == [
        "Bientôt",
        "Cycle",
        "Plus tard",
        "Le mois dernier",
        "Il y a longtemps",
    ]
    upcoming = titles(response, start=">À venir</h2>", end=">Événements passés</h2>")
    assert upcoming == [soon.title, cycle.title, later.title]
    years = [year for year, _ in response.context["past_events_by_year"]]
    assert years == sorted({last_month.last_date.year, long_ago.last_date.year}, reverse=True)
    content = response.content.decode()
    year_heading = f'<h3 class="h4 mt-4">{long_ago.last_date.year}</h3>'
    assert content.index(">À venir</h2>") < content.index(">Bientôt</a>")
    assert content.index(">Bientôt</a>") < content.index(">Événements passés</h2>")
    assert content.index(">Événements passés</h2>") < content.index(year_heading)
    assert content.index(year_heading) < content.index(">Il y a longtemps</a>")


def test_cards_show_kind_dates_place_and_badges(client, agenda):
    kind = EventKindFactory(name="Cycle d'ateliers")
    EventPageFactory(
        parent=agenda,
        title="Quatre séances",
        kind=kind,
        venue=None,
        venue_city="Paris",
        sessions=[session(10), session(20), session(30), session(40)],
    )
    EventPageFactory(parent=agenda, title="Annulé", status=EventStatus.CANCELLED)
    EventPageFactory(parent=agenda, title="Reporté", status=EventStatus.POSTPONED)
    EventPageFactory(parent=agenda, title="Plein", is_full=True)
    EventPageFactory(parent=agenda, title="En ligne", attendance_mode="online", venue=None)

    response = client.get(agenda.url)
    content = response.content.decode()
    text = visible_text(response)

    first, last = in_days(10), in_days(40)
    assert f"{short_date(first)} → {short_date(last)} · 4 séances" in text
    assert "Cycle d'ateliers" in text
    assert "Paris (lieu à confirmer)" in text
    assert '<span class="badge text-bg-danger">Annulé</span>' in content
    assert '<span class="badge text-bg-warning">Reporté</span>' in content
    assert '<span class="badge text-bg-secondary">Complet</span>' in content
    assert "Lieu : En ligne" in text


def test_filters_by_kind_theme_and_year_are_plain_links(client, agenda):
    debate = EventKindFactory(name="Journée débat", slug="journee-debat")
    workshop = EventKindFactory(name="Atelier du club", slug="atelier")
    proximity = ThemeFactory(name="Proximité", slug="proximite")
    EventPageFactory(parent=agenda, title="Débat", kind=debate, themes=[proximity])
    EventPageFactory(parent=agenda, title="Atelier", kind=workshop)
    cycle = EventPageFactory(
        parent=agenda, title="Ancien cycle", kind=workshop, sessions=[session(-800), session(-700)]
    )

    response = client.get(agenda.url)
    content = response.content.decode()
    assert 'href="?type=journee-debat"' in content
    assert 'href="?theme=proximite"' in content
    for year in range(cycle.first_date.year, cycle.last_date.year + 1):
        assert f'href="?annee={year}"' in content

    assert titles(client.get(agenda.url + "?type=journee-debat")) == ["Débat"]
    assert titles(client.get(agenda.url + "?theme=proximite")) == ["Débat"]
    assert titles(client.get(agenda.url + "?type=atelier")) == ["Atelier", "Ancien cycle"]
    # A cycle over two years is in both.
    assert "Ancien cycle" in titles(client.get(agenda.url + f"?annee={cycle.first_date.year}"))
    assert "Ancien cycle" in titles(client.get(agenda.url + f"?annee={cycle.last_date.year}"))

    filtered = client.get(agenda.url + "?type=journee-debat")
    assert 'aria-current="true"' in filtered.content.decode()
    assert "Effacer les filtres" in visible_text(filtered)
    # Garbage in the query string is ignored, not an error.
    assert client.get(agenda.url + "?annee=deux-mille&type=<x>").status_code == 200


def test_the_agenda_is_paginated(client, agenda):
    for days in range(1, 15):
        EventPageFactory(parent=agenda, sessions=[session(days)])

    first = client.get(agenda.url)
    second = client.get(agenda.url + "?page=2")

    assert len(titles(first)) == 12
    assert len(titles(second)) == 2
    assert 'rel="next"' in first.content.decode()
    assert "Page 2 sur 2" in visible_text(second)


def test_an_agenda_without_upcoming_events_says_so(client, agenda):
    EventPageFactory(parent=agenda, sessions=[session(-10)])

    text = visible_text(client.get(agenda.url))

    assert "Aucun nouvel événement n'est annoncé pour le moment" in text


def test_unpublished_events_stay_out(client, agenda):
    EventPageFactory(parent=agenda, title="Brouillon", live=False)

    assert titles(client.get(agenda.url)) == []
    assert client.get(agenda.url + "brouillon/").status_code == 404


def test_the_home_page_shows_the_next_three_events(client, agenda):
    for days, title in [(40, "Quatrième"), (3, "Premier"), (10, "Deuxième"), (20, "Troisième")]:
        EventPageFactory(parent=agenda, title=title, sessions=[session(days)])
    EventPageFactory(parent=agenda, title="Passé", sessions=[session(-3)])

    response = client.get("/")

    assert [e.title for e in response.context["next_events"]] == [
        "Premier",
        "Deuxième",
        "Troisième",
    ]
    assert 'href="/agenda/">Tout l\'agenda</a>' in response.content.decode().replace("&#x27;", "'")


def test_the_rss_feed_lists_the_latest_announced_events(client, agenda):
    EventPageFactory(parent=agenda, title="Annoncé en premier", sessions=[session(30)])
    EventPageFactory(parent=agenda, title="Annoncé ensuite", sessions=[session(10)])
    EventPageFactory(parent=agenda, title="Brouillon", live=False)

    response = client.get(agenda.url + "rss/")

    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")  # noqa: S314 - our own feed
    items = channel.findall("item")
    assert [item.findtext("title") for item in items] == ["Annoncé ensuite", "Annoncé en premier"]
    assert items[0].findtext("link").startswith("http://localhost/agenda/")
    assert items[0].findtext("category")
    assert re.search(r"\d{4}", items[0].findtext("description"))
    page = client.get(agenda.url).content.decode()
    assert 'type="application/rss+xml"' in page and 'href="/agenda/rss/"' in page


def test_a_white_paper_shows_the_events_that_list_it(client, agenda, paper):
    event = EventPageFactory(parent=agenda, title="Journée nationale")
    EventPageFactory(parent=agenda, title="Autre journée")
    EventRelatedPaper.objects.create(page=event, paper=paper)

    paper_page = client.get(paper.url)
    event_page = client.get(event.url)

    text = visible_text(paper_page)
    assert "Événements liés" in text and "Journée nationale" in text
    assert "Autre journée" not in text
    assert "Livres blancs liés" in visible_text(event_page)
    assert paper.title in visible_text(event_page)


def test_a_programme_only_when_it_says_more_than_the_dates(client, agenda):
    bare = EventPageFactory(parent=agenda, sessions=[session(3)])
    titled = EventPageFactory(parent=agenda, sessions=[session(3, title="Diagnostic partagé")])

    assert "Programme" not in visible_text(client.get(bare.url))
    assert "Programme Diagnostic partagé" in visible_text(client.get(titled.url))
