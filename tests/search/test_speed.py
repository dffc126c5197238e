"""What the search's speed work (issue #23) must not change: an excerpt cut from a long text,
the suggestions while typing (their own query on PostgreSQL, Wagtail's autocomplete on SQLite),
each in a fixed number of queries whatever the site holds."""

import pytest

from wagtail.models import Page

from contacts.models import ContactSettings
from home.models import SiteSettings
from tests.factories.home import StandardPageFactory

from .conftest import publish

pytestmark = pytest.mark.django_db


def suggested(client, typed):
    response = client.get("/recherche/suggestions/", {"q": typed})
    assert response.status_code == 200
    return [found["title"] for found in response.json()["results"]]


def test_an_excerpt_deep_in_a_long_text_shows_the_match_and_its_neighbours(client, home):
    words = [f"mot{number}" for number in range(3000)]
    words[2000] = "Gardiennage"
    StandardPageFactory(parent=home, title="Le métier", summary="\n ".join(words))

    card = client.get("/recherche/", {"q": "gardiennage"}).context["cards"][0]

    assert card.excerpt.startswith("… mot1992 mot1993")
    assert "mot1999 <mark>Gardiennage</mark> mot2001" in card.excerpt
    assert card.excerpt.endswith("mot2023 …")
    assert "\n" not in card.excerpt


def test_an_excerpt_near_the_end_of_a_text_shows_its_last_words(client, home):
    words = [f"mot{number}" for number in range(100)] + ["gardiennage", "fin."]
    StandardPageFactory(parent=home, title="Le métier", summary="  ".join(words) + "\n")

    card = client.get("/recherche/", {"q": "gardiennage"}).context["cards"][0]

    assert card.excerpt == "… " + " ".join(f"mot{n}" for n in range(70, 100)) + (
        " <mark>gardiennage</mark> fin."
    )


def test_an_excerpt_escapes_the_text_around_the_marks(client, home):
    StandardPageFactory(parent=home, title="Charte", summary="<b>Gardiens</b> & « loges »\x1f")

    card = client.get("/recherche/", {"q": "gardiens"}).context["cards"][0]

    assert card.excerpt == "&lt;b&gt;<mark>Gardiens</mark>&lt;/b&gt; &amp; « loges »"


def test_suggestions_hold_every_typed_word_the_last_as_a_prefix(client, home):
    StandardPageFactory(parent=home, title="Revisiter la proximité")
    StandardPageFactory(parent=home, title="La proximité des gardiens")
    StandardPageFactory(parent=home, title="Revisiter les loyers")

    assert sorted(suggested(client, "prox")) == [
        "La proximité des gardiens",
        "Revisiter la proximité",
    ]
    assert suggested(client, "revisiter PROXI") == ["Revisiter la proximité"]
    assert suggested(client, "Révisiter la proximite") == ["Revisiter la proximité"]
    assert suggested(client, "proximite gardiens") == ["La proximité des gardiens"]
    assert suggested(client, "loyers revisiter") == ["Revisiter les loyers"]
    assert suggested(client, "zzz") == []


def test_suggestions_follow_a_title_as_editors_change_it(client, home):
    page = StandardPageFactory(parent=home, title="Revisiter la proximité")
    assert suggested(client, "revis") == ["Revisiter la proximité"]

    page.title = "Repenser la proximité"
    publish(page)
    assert suggested(client, "revis") == []
    assert suggested(client, "repens") == ["Repenser la proximité"]

    page.unpublish()
    assert suggested(client, "repens") == []
    Page.objects.get(pk=page.pk).delete()
    assert suggested(client, "repens") == []


@pytest.mark.parametrize(
    "typed",
    [
        "ge\x00st",
        "g" * 200,
        "gest " * 40,
        "ǅ ﬁn 𝔘𝔫𝔦 İstanbul ß",
        "e\u0301\u0301 🏠",
        "_ a_b %",
        "ge%",
    ],
)
def test_hostile_typing_gets_an_answer(client, home, typed):
    StandardPageFactory(parent=home, title="La gestion locative")

    assert isinstance(suggested(client, typed), list)


@pytest.mark.parametrize("count", [3, 30])
def test_suggestions_cost_a_fixed_number_of_queries(
    client, home, count, django_assert_max_num_queries
):
    SiteSettings.load()
    ContactSettings.load()
    for number in range(count):
        StandardPageFactory(parent=home, title=f"Gestion locative {number}")
    client.get("/recherche/suggestions/", {"q": "gest"})  # what a first request reads once

    with django_assert_max_num_queries(2):
        titles = suggested(client, "gestion loc")

    assert len(titles) == min(count, 6)
    assert all(title.startswith("Gestion locative") for title in titles)
