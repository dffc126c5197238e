"""French full text: stemming, accents, ranking, what is indexed (issue #6), on PostgreSQL and,
since issue #23, on SQLite too (Snowball's French stemmer, search.words)."""

from django.core.management import call_command

import pytest

from events.models import EventOrganisation, EventPage
from publications.models import WhitePaperAuthor, WhitePaperPage
from tests.factories.events import EventPageFactory, session
from tests.factories.home import OrganisationFactory, PersonFactory, StandardPageFactory
from tests.factories.publications import WhitePaperPageFactory

from .conftest import publish, result_titles

pytestmark = pytest.mark.django_db


def search(client, query, **params):
    response = client.get("/recherche/", {"q": query, **params})
    assert response.status_code == 200
    return response


def test_the_plural_finds_the_singular_and_back(client, home, agenda):
    EventPageFactory(parent=agenda, title="Un atelier du club", summary="Rencontre.")
    StandardPageFactory(parent=home, title="Nos ateliers", summary="Présentation.")

    assert sorted(result_titles(search(client, "ateliers"))) == [
        "Nos ateliers",
        "Un atelier du club",
    ]
    assert sorted(result_titles(search(client, "atelier"))) == [
        "Nos ateliers",
        "Un atelier du club",
    ]


def test_accents_do_not_matter(client, home):
    StandardPageFactory(parent=home, title="La proximité", summary="Gérer en régie.")

    assert result_titles(search(client, "proximite")) == ["La proximité"]
    assert result_titles(search(client, "PROXIMITÉ")) == ["La proximité"]
    assert result_titles(search(client, "gerer regie")) == ["La proximité"]
    card = search(client, "regie").context["cards"][0]
    assert "<mark>régie</mark>" in card.excerpt


def test_a_title_match_ranks_above_a_body_match(client, home):
    StandardPageFactory(
        parent=home,
        title="Rapport annuel",
        summary="Le rapport parle de vacance locative.",
        body=[{"type": "paragraph", "value": "<p>Vacance locative et relogement.</p>"}],
    )
    StandardPageFactory(parent=home, title="Vacance locative", summary="Une page.")

    assert result_titles(search(client, "vacance")) == ["Vacance locative", "Rapport annuel"]


def test_upcoming_events_rank_above_past_ones_of_equal_relevance(client, home, agenda):
    def event(slug, days):
        return EventPageFactory(
            parent=agenda,
            title="Journée débat",
            slug=slug,
            summary="Débat.",
            sessions=[session(days=days)],
        )

    past = event("passee", -400)
    upcoming = event("a-venir", 30)
    # Without the rule, the newest page of equal relevance comes first: add a newer past one.
    past_newer = event("passee-recente", -30)
    # Title norms drift as pages are added one by one; a rebuild levels them: equal relevance.
    call_command("update_index", verbosity=0)

    cards = search(client, "débat").context["cards"]

    assert [card.page.pk for card in cards][0] == upcoming.pk
    assert {card.page.pk for card in cards} == {past.pk, upcoming.pk, past_newer.pk}


def test_sessions_speakers_organisations_publishers_and_authors_are_found(
    client, home, agenda, catalogue
):
    speaker = PersonFactory(first_name="Yvette", last_name="Molinari")
    partner = OrganisationFactory(name="Habitat Armorique")
    event = EventPageFactory(
        parent=agenda,
        title="Cycle proximité",
        sessions=[
            session(
                days=20,
                title="Gardiennage et tranquillité",
                description="<p>Avec les régies de quartier.</p>",
            )
        ],
    )
    EventOrganisation.objects.create(page=event, organisation=partner)
    first_session = event.sessions.get()
    first_session.speakers.add(speaker)
    first_session.save()
    publish(EventPage.objects.get(pk=event.pk))
    author = PersonFactory(first_name="Jean", last_name="Bourdonnais")
    paper = WhitePaperPageFactory(
        parent=catalogue,
        title="Un livre blanc",
        publisher=OrganisationFactory(name="Fédération Exemplaire"),
        introduction="<p>Une introduction sur la mutualisation.</p>",
    )
    WhitePaperAuthor.objects.create(page=paper, person=author)
    publish(WhitePaperPage.objects.get(pk=paper.pk))

    for query in ("tranquillité", "régies", "Molinari", "Armorique"):
        assert result_titles(search(client, query)) == ["Cycle proximité"], query
    for query in ("Exemplaire", "Bourdonnais", "mutualisations"):
        assert result_titles(search(client, query)) == ["Un livre blanc"], query


def test_an_edited_session_is_found_at_once_by_its_new_title(client, home, agenda):
    event = publish(EventPageFactory(parent=agenda, title="Cycle", sessions=[session()]))
    revision_event = event.specific
    first = revision_event.sessions.first()
    first.title = "Habitat inclusif"
    revision_event.sessions = [first]
    publish(revision_event)

    assert result_titles(search(client, "inclusif")) == ["Cycle"]


def test_filters_and_counts(client, home, agenda, catalogue):
    EventPageFactory(parent=agenda, title="Relogement 1", summary="Relogements.")
    EventPageFactory(parent=agenda, title="Relogement 2", summary="Relogé.")
    WhitePaperPageFactory(parent=catalogue, title="Relogement", summary="Relogement.")
    StandardPageFactory(parent=home, title="Reloger", summary="Le relogement.")

    response = search(client, "relogement")
    counts = {link["label"]: link["count"] for link in response.context["filter_links"]}

    assert counts == {"Tout": 4, "Événements": 2, "Livres blancs": 1, "Pages": 1}
    assert len(result_titles(search(client, "relogement", type="evenements"))) == 2


def test_editors_picks_come_first_even_when_they_do_not_match(client, home):
    from wagtail.contrib.search_promotions.models import Query, SearchPromotion

    StandardPageFactory(parent=home, title="Charges locatives", summary="Les charges.")
    picked = StandardPageFactory(parent=home, title="Aides au logement", summary="APL.")
    SearchPromotion.objects.create(query=Query.get("charge"), page=picked, sort_order=0)

    response = search(client, "charge")

    assert [pick.page_id for pick in response.context["picks"]] == [picked.pk]
    page = response.content.decode()
    assert page.index("Aides au logement") < page.index("Charges locatives")


def test_suggestions_ignore_accents_and_do_not_stem(client, home):
    StandardPageFactory(parent=home, title="Procédures d'expulsion")

    assert [
        hit["title"]
        for hit in client.get("/recherche/suggestions/", {"q": "procedu"}).json()["results"]
    ] == ["Procédures d'expulsion"]
