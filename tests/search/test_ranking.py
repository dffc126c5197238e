"""Ranking by how much of the query a page holds, and « Vouliez-vous dire … » (issue #23), on
SQLite and PostgreSQL alike."""

import pytest

from search.models import Word
from tests.factories.events import EventPageFactory
from tests.factories.home import StandardPageFactory

from .conftest import result_titles

pytestmark = pytest.mark.django_db

PARTIAL = "Aucune page ne contient tous vos mots ; voici les plus proches."


def search(client, query, **params):
    response = client.get("/recherche/", {"q": query, **params})
    assert response.status_code == 200
    return response


def paragraph(text):
    return [{"type": "paragraph", "value": f"<p>{text}</p>"}]


def test_pages_holding_every_word_come_first_then_most_words(client, home):
    StandardPageFactory(parent=home, title="Vacance", summary="Une page.")
    StandardPageFactory(parent=home, title="Vacance et loyers", summary="Une page.")
    StandardPageFactory(parent=home, title="Vacance, loyers et impayés", summary="Une page.")
    StandardPageFactory(parent=home, title="Sans rapport", summary="Une page.")

    response = search(client, "vacance loyers impayés")

    assert result_titles(response) == ["Vacance, loyers et impayés", "Vacance et loyers", "Vacance"]
    assert response.context["results"].paginator.count == 3
    assert PARTIAL not in response.content.decode()


def test_words_that_never_meet_still_find_the_closest_pages_and_say_so(client, home):
    StandardPageFactory(parent=home, title="Les gardiens", summary="Une loge par résidence.")
    StandardPageFactory(parent=home, title="Les impayés", summary="Le recouvrement.")

    response = search(client, "gardiens impayés")

    assert sorted(result_titles(response)) == ["Les gardiens", "Les impayés"]
    assert PARTIAL in response.content.decode()


def test_a_title_match_ranks_above_a_summary_match_above_a_body_match(client, home, agenda):
    EventPageFactory(parent=agenda, title="Rencontre", summary="Un mot sur la vacance.")
    StandardPageFactory(
        parent=home,
        title="Rapport",
        summary="Une page.",
        body=paragraph("Nous parlons ici de la vacance."),
    )
    StandardPageFactory(parent=home, title="La vacance", summary="Une page.")

    assert result_titles(search(client, "vacance")) == ["La vacance", "Rencontre", "Rapport"]


def test_plurals_and_singulars_meet(client, home):
    StandardPageFactory(parent=home, title="Nos bailleurs", summary="Les ateliers du club.")

    for query in ("bailleur", "bailleurs", "atelier", "ateliers", "BAILLEUR atelier"):
        assert result_titles(search(client, query)) == ["Nos bailleurs"], query


def test_a_typo_gets_the_nearest_word_as_a_link_and_its_results(client, home):
    StandardPageFactory(parent=home, title="La gestion locative", summary="Une page.")

    response = search(client, "locatvie")

    page = response.content.decode()
    assert result_titles(response) == ["La gestion locative"]
    assert response.context["suggestion"] == "locative"
    assert "Aucun résultat pour « locatvie »" in page
    assert '« <a href="?q=locative">locative</a> »' in page


def test_a_typo_beside_a_known_word_is_suggested_above_the_partial_results(client, home):
    StandardPageFactory(parent=home, title="La gestion locative", summary="Une page.")
    StandardPageFactory(parent=home, title="La gestion des déchets", summary="Une page.")

    response = search(client, "gestion locatvie")

    page = response.content.decode()
    assert len(result_titles(response)) == 2
    assert "Vouliez-vous dire « " in page
    assert 'href="?q=gestion+locative"' in page


def test_an_unknown_word_with_nothing_near_suggests_nothing(client, home):
    StandardPageFactory(parent=home, title="La gestion locative", summary="Une page.")

    response = search(client, "xyzzyq")

    assert result_titles(response) == []
    assert response.context["suggestion"] is None
    assert "Aucun résultat." in response.content.decode()


def test_indexing_a_page_keeps_the_vocabulary_up_to_date(client, home):
    page = StandardPageFactory(parent=home, title="Épicerie solidaire", summary="Une page.")

    assert Word.objects.get(word="epicerie").form == "épicerie"
    assert Word.objects.filter(word="solidaire").exists()
    page.title = "Épicerie coopérative"
    page.save_revision().publish()
    assert Word.objects.get(word="cooperative").form == "coopérative"
    assert search(client, "cooperatve").context["suggestion"] == "coopérative"


@pytest.mark.parametrize(
    "query",
    [
        "\x00gestion",
        "gestion " * 200,
        " ".join(f"mot{number}" for number in range(100)),
        "ǅ ﬁn 𝔘𝔫𝔦 İstanbul ß",
        "日本語 العربية ①",
        "e\u0301\u0301\u0301 🏠",
        'NEAR(gestion) title:gestion "gestion* {body}: -gestion ^gestion',
        "_ __ a_b",
        "x" * 5000,
    ],
)
def test_hostile_queries_get_an_answer(client, home, query):
    StandardPageFactory(parent=home, title="La gestion locative", summary="Une page.")

    response = search(client, query)

    assert "results" in response.context or response.context.get("nothing_to_search")


@pytest.mark.parametrize("count", [5, 30])
def test_a_typo_s_results_page_costs_a_fixed_number_of_queries(
    client, home, count, django_assert_max_num_queries
):
    for number in range(count):
        StandardPageFactory(parent=home, title=f"Gestion locative {number}", summary="Locative.")
    # What every page reads once per purge, and the popular-queries rows of these queries.
    client.get("/recherche/", {"q": "gestion locatvie"})
    client.get("/recherche/", {"q": "locatvie"})

    # As a search (search.views: counts, page, picks, counter, header) plus the suggestion,
    # the suggestion's counts and, on SQLite, the vocabulary.
    with django_assert_max_num_queries(13):
        response = client.get("/recherche/", {"q": "gestion locatvie"})
    with django_assert_max_num_queries(13):
        client.get("/recherche/", {"q": "locatvie", "page": 2})
    assert len(response.context["cards"]) == min(count, 10)
