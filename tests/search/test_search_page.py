"""The search page on any database (SQLite's FTS in CI, PostgreSQL in the second run)."""

import re

from django.db import OperationalError, connection
from django.urls import reverse

import pytest

from wagtail.contrib.search_promotions.models import Query
from wagtail.models import PageViewRestriction

from contacts.models import ContactSettings, Lead
from events.dates import short_date
from home.models import SiteSettings, StandardPage
from tests.factories.events import EventPageFactory, session
from tests.factories.home import StandardPageFactory
from tests.factories.publications import WhitePaperPageFactory

from .conftest import publish, result_titles

pytestmark = pytest.mark.django_db


def test_an_empty_query_gets_a_helpful_page(client, home):
    response = client.get("/recherche/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Saisissez un ou plusieurs mots" in page
    assert 'href="/agenda/"' in page


def test_a_query_without_a_word_says_so(client, home):
    response = client.get("/recherche/", {"q": "« !!! »"})

    assert response.status_code == 200
    assert "ne contient aucun mot à rechercher" in response.content.decode()


def test_a_result_shows_its_type_title_date_link_and_marked_excerpt(client, home, agenda):
    event = EventPageFactory(
        parent=agenda,
        title="Atelier sur la gérance",
        summary="Un atelier pour les gardiens et les gérances de proximité.",
        sessions=[session(days=40)],
    )

    response = client.get("/recherche/", {"q": "gardiens"})

    card = response.context["cards"][0]
    assert card.title == "Atelier sur la gérance"
    assert card.label == "Événement"
    assert card.date == event.date_range_label
    assert "<mark>gardiens</mark>" in card.excerpt
    page = response.content.decode()
    assert f'href="{event.url}"' in page
    assert "<mark>gardiens</mark>" in page
    assert (
        '<span class="badge text-bg-secondary">Événement</span>'
        f' <span class="text-body-secondary">{event.date_range_label}</span>' in page
    )


def test_each_page_type_shows_its_label_date_and_text(client, home, agenda, catalogue):
    event = EventPageFactory(parent=agenda, title="Bailleur A", summary="Bailleur en atelier.")
    paper = WhitePaperPageFactory(parent=catalogue, title="Bailleur B", summary="Bailleur écrit.")
    page = StandardPageFactory(parent=home, title="Bailleur C", summary="Bailleur du club.")
    publish(page)
    page.refresh_from_db()

    cards = {
        card.title: card for card in client.get("/recherche/", {"q": "bailleur"}).context["cards"]
    }

    assert [(cards[title].label, cards[title].date) for title in ("Bailleur A", "Bailleur B")] == [
        ("Événement", event.date_range_label),
        ("Livre blanc", str(paper.publication_date.year)),
    ]
    assert cards["Bailleur C"].label == "Page"
    assert cards["Bailleur C"].date == short_date(page.last_published_at.date())
    assert "<mark>Bailleur</mark> du club." in cards["Bailleur C"].excerpt


def test_type_filters_with_their_counts(client, home, agenda, catalogue):
    for number in range(3):
        EventPageFactory(parent=agenda, title=f"Séminaire {number}", summary="Séminaire.")
    WhitePaperPageFactory(parent=catalogue, title="Séminaire en livre", summary="Séminaire.")
    StandardPageFactory(parent=home, title="Séminaires du club", summary="Séminaire.")

    response = client.get("/recherche/", {"q": "séminaire"})
    counts = {link["label"]: link["count"] for link in response.context["filter_links"]}
    assert counts == {"Tout": 5, "Événements": 3, "Livres blancs": 1, "Pages": 1}

    events_only = client.get("/recherche/", {"q": "séminaire", "type": "evenements"})
    assert sorted(result_titles(events_only)) == ["Séminaire 0", "Séminaire 1", "Séminaire 2"]
    assert events_only.context["results"].paginator.count == 3
    pages_only = client.get("/recherche/", {"q": "séminaire", "type": "pages"})
    assert result_titles(pages_only) == ["Séminaires du club"]
    papers_only = client.get("/recherche/", {"q": "séminaire", "type": "livres-blancs"})
    assert result_titles(papers_only) == ["Séminaire en livre"]


def test_results_are_paginated(client, home):
    for number in range(23):
        StandardPageFactory(parent=home, title=f"Gouvernance {number}", summary="Gouvernance.")

    first = client.get("/recherche/", {"q": "gouvernance"})
    last = client.get("/recherche/", {"q": "gouvernance", "page": 3})

    assert len(first.context["cards"]) == 10
    assert len(last.context["cards"]) == 3
    assert 'href="?q=gouvernance&amp;page=2"' in first.content.decode()


def test_the_header_search_box_on_every_page_leads_to_the_search(client, home, standard_page):
    for url in ("/", standard_page.url, "/recherche/?q=club"):
        page = client.get(url).content.decode()
        form = re.search(r'<form class="site-search[^>]*>', page).group(0)
        assert 'action="/recherche/"' in form and 'method="get"' in form
        assert 'data-suggestions="/recherche/suggestions/"' in page


def test_suggestions_while_typing(client, home, agenda):
    event = EventPageFactory(parent=agenda, title="Revisiter la proximité")
    StandardPageFactory(parent=home, title="Mentions légales")

    response = client.get("/recherche/suggestions/", {"q": "revis"})

    assert response.status_code == 200
    assert response.json()["results"] == [
        {"title": "Revisiter la proximité", "url": event.url, "type": "Événement"}
    ]
    assert client.get("/recherche/suggestions/", {"q": "r"}).json()["results"] == []


def test_editors_picks_come_first(client, home):
    from wagtail.contrib.search_promotions.models import Query, SearchPromotion

    StandardPageFactory(parent=home, title="Charte du club", summary="La charte du club.")
    picked = StandardPageFactory(parent=home, title="Adhérer", summary="Comment nous rejoindre.")
    SearchPromotion.objects.create(
        query=Query.get("charte"), page=picked, description="Rejoindre le club."
    )

    page = client.get("/recherche/", {"q": "charte"}).content.decode()

    assert page.index("Notre sélection") < page.index("Adhérer") < page.index("Charte du club")
    assert "Rejoindre le club." in page


def test_editors_see_the_popular_queries(client, admin_client, home):
    StandardPageFactory(parent=home, title="Habitat", summary="Habitat.")
    for _ in range(3):
        client.get("/recherche/", {"q": "Habitat"})
    client.get("/recherche/", {"q": "habitat", "page": 2})  # not counted: the same search

    report = admin_client.get(reverse("wagtailsearchpromotions:search_terms"))

    assert Query.get("habitat").hits == 3
    assert report.status_code == 200
    assert "habitat" in report.content.decode()


def test_each_search_is_counted_at_once(client, home):
    StandardPageFactory(parent=home, title="Habitat", summary="Habitat.")

    client.get("/recherche/", {"q": "habitat"})
    assert Query.get("habitat").hits == 1
    client.get("/recherche/", {"q": "  Habitat "})  # the same search, as Wagtail normalises it
    client.get("/recherche/", {"q": "habitat", "type": "pages"})
    assert Query.get("habitat").hits == 3


HOSTILE_QUERIES = [
    "habitat\x00social",
    "habitat \x1b[31m\x07\r\n\t social",
    "habitat " * 1250,  # 10 000 characters
    "İ" * 200 + " habitat",  # each "İ" is two characters in lower case
    "ﬁ ß ẞ Σ ς 🏠 \u202e habitat \u200b\ufeff",
    "e\u0301" * 150 + " habitat",
]


@pytest.mark.parametrize("query", HOSTILE_QUERIES, ids=range(len(HOSTILE_QUERIES)))
def test_a_hostile_query_is_counted_within_wagtail_s_column(client, home, query):
    StandardPageFactory(parent=home, title="Habitat", summary="Habitat.")

    assert client.get("/recherche/", {"q": query}).status_code == 200
    assert client.get("/recherche/", {"q": query}).status_code == 200

    counted = Query.objects.get()
    assert 0 < len(counted.query_string) <= Query._meta.get_field("query_string").max_length
    assert "\x00" not in counted.query_string
    assert counted.hits == 2


def test_a_search_whose_count_fails_still_gets_its_page(client, home):
    StandardPageFactory(parent=home, title="Habitat", summary="Habitat.")

    def counting_fails(execute, sql, params, many, context):
        if "querydailyhits" in sql.lower():
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counting_fails):
        response = client.get("/recherche/", {"q": "habitat"})
    client.get("/recherche/", {"q": "habitat"})  # the database is back

    assert response.status_code == 200
    assert result_titles(response) == ["Habitat"]
    assert Query.get("habitat").hits == 1


def test_a_search_served_from_the_page_cache_is_counted_too(client, home, settings):
    settings.PAGE_CACHE_SECONDS = 600
    StandardPageFactory(parent=home, title="Habitat", summary="Habitat.")
    SiteSettings.load()  # created on first use otherwise, which purges the cache once
    ContactSettings.load()

    served = [client.get("/recherche/", {"q": "habitat"})["X-Page-Cache"] for _ in range(3)]

    assert served == ["miss", "hit", "hit"]
    assert Query.get("habitat").hits == 3


def test_a_gated_pdf_and_lead_data_are_never_found(client, home, catalogue):
    paper = WhitePaperPageFactory(parent=catalogue, title="Un livre blanc")
    publish(paper)
    Lead.objects.create(
        email="zorglub@oph-exemple.fr",
        first_name="Zorglub",
        last_name="Quetzalcoatl",
        organisation="OPH Xylophone",
        organisation_type="oph",
        job_title="Directeur",
    )

    # "Texte." is the only paragraph of the factory's PDF: the file's text is not indexed.
    for query in ("Zorglub", "Quetzalcoatl", "Xylophone", "zorglub@oph-exemple.fr", "Texte"):
        response = client.get("/recherche/", {"q": query})
        assert response.context["results"].paginator.count == 0, query
        assert client.get("/recherche/suggestions/", {"q": query}).json()["results"] == []
    assert paper.pdf.name not in client.get("/recherche/", {"q": "livre"}).content.decode()


def test_a_private_page_is_never_found(client, home):
    StandardPageFactory(parent=home, title="Charte des gardiens", summary="Pour tous.")
    private = StandardPageFactory(parent=home, title="Gardiens : notes internes")
    client.get("/recherche/", {"q": "gardiens"})  # the site had no private page then

    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )

    assert result_titles(client.get("/recherche/", {"q": "gardiens"})) == ["Charte des gardiens"]
    suggestions = client.get(reverse("search_suggestions"), {"q": "gardiens"}).json()
    assert [found["title"] for found in suggestions["results"]] == ["Charte des gardiens"]


def test_what_a_result_shows_is_kept_until_the_page_is_published(client, home):
    SiteSettings.load()  # created on first use otherwise, which purges the cache once
    ContactSettings.load()
    page = StandardPageFactory(parent=home, title="Gardiens", summary="Le métier de gardien.")
    client.get("/recherche/", {"q": "gardiens"})

    # A change that publishes nothing (an edit saved as a draft would not reach the page).
    StandardPage.objects.filter(pk=page.pk).update(summary="Le métier de gardien, en douce.")
    kept = client.get("/recherche/", {"q": "gardiens"}).context["cards"][0].excerpt
    page.summary = "Le métier de gardien, revu."
    publish(page)
    published = client.get("/recherche/", {"q": "gardiens"}).context["cards"][0].excerpt

    assert "douce" not in kept and "revu" not in kept
    assert "revu" in published


@pytest.mark.parametrize("count", [5, 40])
def test_a_results_page_costs_a_fixed_number_of_queries(
    client, home, agenda, catalogue, count, django_assert_max_num_queries
):
    SiteSettings.load()  # created on first use otherwise, which purges the cache once
    ContactSettings.load()
    for number in range(count):
        EventPageFactory(parent=agenda, title=f"Bailleur {number}", summary="Bailleur social.")
        WhitePaperPageFactory(parent=catalogue, title=f"Bailleur {number}", summary="Bailleur.")
        StandardPageFactory(parent=home, title=f"Bailleur {number}", summary="Bailleur.")

    with django_assert_max_num_queries(FIRST_SEARCH_BUDGET):
        first = client.get("/recherche/", {"q": "bailleur"})
    with django_assert_max_num_queries(QUERY_BUDGET):
        again = client.get("/recherche/", {"q": "bailleur"})
    with django_assert_max_num_queries(QUERY_BUDGET):
        events = client.get("/recherche/", {"q": "bailleur", "type": "evenements", "page": 2})

    assert len(first.context["cards"]) == len(again.context["cards"]) == 10
    assert {card.label for card in first.context["cards"]} <= {"Événement", "Livre blanc", "Page"}
    assert {card.label for card in events.context["cards"]} == {"Événement"}


# The counts per type and the results with their rows (one query), the editors' picks, the
# popular-queries counter (Wagtail's query row, the day's row, its increment, in one transaction
# that does not wait for the disk on PostgreSQL), and what every page's header and footer need;
# what the cards show is kept until the next purge.
QUERY_BUDGET = 9
# The first search after a purge: also what every page reads once per purge, one query per page
# type on the page for what its cards show (and their index entries on PostgreSQL), and the
# query's and the day's rows that the counter creates.
FIRST_SEARCH_BUDGET = QUERY_BUDGET + 16
