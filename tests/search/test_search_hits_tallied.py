"""Without Redis, a process tallies its searches for a moment and then writes them, one query's
hits in one go (search.hits): a search waits for no database write of its hit, none is lost,
and the « Termes de recherche » report and the command write them first."""

from django.core.management import call_command
from django.urls import reverse

import pytest

from wagtail.contrib.search_promotions.models import Query

from search.hits import hits as search_hits
from tests.factories.home import StandardPageFactory


@pytest.fixture
def searchable(home):
    StandardPageFactory(parent=home, title="Habitat", summary="Habitat.")


@pytest.fixture
def tallied(settings):
    settings.SEARCH_HITS_TALLY_SECONDS = 3600
    yield
    search_hits.flush_tally()


def search(client, query):
    response = client.get("/recherche/", {"q": query})
    assert response.status_code == 200


def test_searches_wait_in_the_tally_then_are_all_written(client, searchable, tallied):
    for _ in range(4):
        search(client, "habitat")
    search(client, "logement")

    assert Query.get("habitat").hits == 0  # no database write per search

    call_command("flush_search_hits")

    assert (Query.get("habitat").hits, Query.get("logement").hits) == (4, 1)


def test_the_report_writes_the_tally_first(client, searchable, tallied, admin_client):
    search(client, "habitat")
    search(client, "habitat")

    report = admin_client.get(reverse("wagtailsearchpromotions:search_terms"))

    assert report.status_code == 200
    assert "habitat" in report.content.decode()
    assert Query.get("habitat").hits == 2


def test_the_tally_is_written_once_its_time_is_up(client, searchable, settings):
    settings.SEARCH_HITS_TALLY_SECONDS = 0.000001
    search(client, "habitat")
    search(client, "habitat")  # the second finds the tally old enough: both are written

    assert Query.get("habitat").hits == 2
