"""The four seed events (seeds 000, 001, 002 and 004) on the demo site, word for word."""

import datetime

import icalendar
import pytest

from events.models import EventPage, EventSession
from publications.models import WhitePaperPage

from .conftest import json_ld, visible_text

CYCLE = "/agenda/revisiter-la-proximite/"


@pytest.fixture
def page_text(client, demo_site):
    def read(url):
        response = client.get(url)
        assert response.status_code == 200, url
        return visible_text(response)

    return read


def test_the_agenda_is_in_the_menu_and_lists_the_four_events(page_text):
    text = page_text("/agenda/")

    assert "Agenda" in page_text("/")
    for title in [
        "ATELIER 1 – 03.04.2014 – Quel projet de proximité pour les territoires ?",
        "Revisiter la proximité à l'aune des enjeux d'aujourd'hui",
        "Articuler dynamique de regroupement et affirmation des politiques locales de l’habitat",
        "Le numérique comme appui à une nouvelle forme d’organisation, dynamiser la ressource "
        "habitante",
    ]:
        assert title in text
    assert "13 oct. 2022 → 9 févr. 2023 · 4 séances" in text
    assert EventPage.objects.live().count() == 4


def test_the_cycle_of_four_half_days(client, page_text):
    text = page_text(CYCLE)

    assert "Cycle d'ateliers" in text
    assert "Cycle de 4 demi-journées en 2022/2023" in text
    assert "4 séances, du jeudi 13 octobre 2022 au jeudi 9 février 2023" in text
    assert "Paris (lieu à confirmer)" in text
    assert (
        "L'ensemble des demi-journées se dérouleront à Paris si les conditions sanitaires le "
        "permettent (sinon des visios seront organisées)." in text
    )
    assert (
        "Les ateliers du club visent à faciliter la mise en réseau de cadres souhaitant "
        "travailler collectivement, partager des expériences, interroger des expertises ou des "
        "chercheurs externes, éclairer un sujet, pour progresser collectivement." in text
    )
    assert "Trois séries de question constitueront la trame de l'atelier :" in text
    assert (
        "Comment d'autres organisations abordent-elle leur relation de proximité avec leurs "
        "usagers/clients ?" in text
    )
    for heading, when in [
        (
            "Séance 1 - Etat des lieux : où en est le logement social sur le sujet de la "
            "proximité ?",
            "jeudi 13 octobre 2022, 9 h – 12 h",
        ),
        (
            "Séance 2 - Prendre de la hauteur sur la notion de « proximité »",
            "jeudi 1er décembre 2022, 9 h – 12 h",
        ),
        (
            "Séance 3 - Revisiter la proximité, un thème investigué par d'autres organisations",
            "mardi 10 janvier 2023, 9 h – 12 h",
        ),
        (
            "Séance 4 - Vers une revisite de la proximité dans le monde du logement social ?",
            "jeudi 9 février 2023, 9 h – 12 h",
        ),
    ]:
        assert f"{heading} {when}" in text
    assert "Avec Vincent Cespedes, philosophe et essayiste" in text
    assert "Pour cette 3ème séance, nous accueillerons la sociologue Yvette Molina" in text
    assert (
        "A destination des directeurs et membres des comités de direction des organismes "
        "membre du club" in text
    )
    assert "Adhérent : 500 € pour l'ensemble de l'atelier par personne (soit 4 demi-journées)" in (
        text
    )
    assert "Non-Adhérent : 1 500 € pour l'ensemble de l'atelier par personne" in text
    text_order = [
        "Dates et lieu",
        "Présentation de l'événement",
        "Programme",
        "Intervenants et partenaires",
        "Public",
        "Coût de participation",
        "Inscription",
    ]
    positions = [text.index(f" {heading} ") for heading in text_order]
    assert positions == sorted(positions)

    data = json_ld(client.get(CYCLE))
    assert len(data["subEvent"]) == 4
    assert data["startDate"] == "2022-10-13T09:00:00+02:00"
    assert data["endDate"] == "2023-02-09T12:00:00+01:00"
    assert [offer["price"] for offer in data["offers"]] == ["500.00", "1500.00"]


def test_the_cycle_goes_into_a_calendar_as_four_mornings(client, demo_site):
    cal = icalendar.Calendar.from_ical(client.get(CYCLE + "calendrier/").content)

    starts = sorted(vevent.decoded("DTSTART") for vevent in cal.walk("VEVENT"))
    assert [(s.date(), s.time()) for s in starts] == [
        (datetime.date(2022, 10, 13), datetime.time(9)),
        (datetime.date(2022, 12, 1), datetime.time(9)),
        (datetime.date(2023, 1, 10), datetime.time(9)),
        (datetime.date(2023, 2, 9), datetime.time(9)),
    ]
    assert EventSession.objects.filter(page__slug="revisiter-la-proximite").count() == 4


def test_the_day_proposed_by_a_partner(page_text):
    text = page_text(
        "/agenda/articuler-dynamique-de-regroupement-et-politiques-locales-de-l-habitat/"
    )

    assert (
        "Comment faire groupe et écosystème sans perdre sa boussole et son identité ? Et "
        "pourquoi ?" in text
    )
    assert "mardi 22 mars 2022, 9 h 30 – 16 h 30" in text
    assert "Paris (lieu à confirmer)" in text
    assert "Proposé par : Aatiko Conseils" in text
    assert "Grand témoin : Jean-Claude Driant, professeur à l’école d’urbanisme de Paris" in text
    assert "Un deuxième impératif émerge localement : « faire écosystème »." in text


def test_the_debate_and_the_workshop_with_their_venues(page_text):
    debate = page_text("/agenda/le-numerique-comme-appui-a-une-nouvelle-forme-d-organisation/")
    workshop = page_text("/agenda/quel-projet-de-proximite-pour-les-territoires/")

    assert "Journée débat" in debate
    assert "jeudi 18 octobre 2018" in debate
    assert "Les Salons du Relais 4 rue du 8 mai 1945, 75010 Paris" in debate
    assert "Pilotes : 1001 Vies Habitat (ex-Groupe Logement Français) / Valophis Habitat" in debate
    assert "L’écoute de l’usager est un élément incontournable de la relation." in debate
    assert "Atelier du club" in workshop
    assert "jeudi 3 avril 2014" in workshop
    assert "Novotel Paris Bercy 85 rue de Bercy, 75012 Paris" in workshop
    assert (
        "La recherche action menée conjointement par le Club Management et l’Union sociale pour "
        "l’habitat auprès de 7 organismes sur deux ans" in workshop
    )
    assert "Quels sont les principaux freins ?" in workshop


def test_the_seed_white_paper_lists_no_event(page_text):
    paper = WhitePaperPage.objects.get(slug="la-culture-de-service")

    assert not paper.event_links.exists()
    assert "Événements liés" not in page_text(paper.url)


def test_the_cycle_takes_registrations_on_the_site_with_its_two_prices(client, page_text):
    cycle = EventPage.objects.get(slug="revisiter-la-proximite")

    assert cycle.registers_on_site and not cycle.registers_per_session
    assert (cycle.capacity, cycle.waiting_list) == (30, True)
    offered = {price.audience: price.offered_to for price in cycle.prices.all()}
    assert offered == {"Adhérent": "members", "Non-Adhérent": "non_members"}
    # Its sessions were in 2022/2023: the page says so rather than offering a form.
    assert "Cet événement a eu lieu : les inscriptions sont closes." in page_text(CYCLE)
    assert client.get(CYCLE + "inscription/").context["form"] is None
