"""With Redis, searches are counted there and written in batches (search.hits): a cached search
costs no query, the report shows every search, and Redis going away loses none that follow.

Each test starts its own ``redis-server`` on a free port (tests/servers.py)."""

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest

from wagtail.contrib.search_promotions.models import Query

from contacts.models import ContactSettings
from home.models import SiteSettings
from tests.factories.home import StandardPageFactory
from tests.servers import REDIS_SERVER, PrivateRedis, cached_by, free_port

pytestmark = pytest.mark.skipif(REDIS_SERVER is None, reason="redis-server is not installed")


@pytest.fixture
def redis_server(settings):
    server = PrivateRedis(free_port())
    server.start()
    cached_by(settings, server)
    yield server
    server.stop()


@pytest.fixture
def searchable(home):
    StandardPageFactory(parent=home, title="Habitat", summary="Habitat.")
    SiteSettings.load()  # created on first use otherwise, which purges the cache once
    ContactSettings.load()


def search(client, query):
    response = client.get("/recherche/", {"q": query})
    assert response.status_code == 200
    return response


def hits(query):
    return Query.get(query).hits


def test_cached_searches_cost_no_query_and_the_report_shows_them_all(
    redis_server, searchable, client, admin_client
):
    search(client, "habitat")  # rendered and kept
    with CaptureQueriesContext(connection) as served:
        for _ in range(9):
            assert search(client, "habitat")["X-Page-Cache"] == "hit"
    for _ in range(3):
        search(client, "logement")

    assert len(served) == 0
    assert hits("habitat") == 0  # pending in Redis, below the batch of 20

    report = admin_client.get(reverse("wagtailsearchpromotions:search_terms"))

    assert report.status_code == 200
    assert "habitat" in report.content.decode()
    assert (hits("habitat"), hits("logement")) == (10, 3)
    admin_client.get(reverse("wagtailsearchpromotions:search_terms"))
    assert (hits("habitat"), hits("logement")) == (10, 3)  # nothing counted twice


def test_a_full_batch_is_written_by_the_search_that_fills_it(redis_server, searchable, client):
    for _ in range(20):
        search(client, "habitat")
    assert hits("habitat") == 20
    search(client, "habitat")
    assert hits("habitat") == 20


def test_the_worker_s_command_writes_what_is_pending(redis_server, searchable, client):
    queries = ["habitat", "a:b*[c]?\\", "2026-12-01", "logement:2026-11-30"]
    for query in queries:
        search(client, query)
        search(client, query)

    call_command("flush_search_hits", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert {query: hits(query) for query in queries} == dict.fromkeys(queries, 2)


def test_searches_made_while_redis_is_away_are_counted_at_once(redis_server, searchable, client):
    search(client, "habitat")
    redis_server.stop()

    for _ in range(3):
        search(client, "habitat")

    # The one counted in Redis went with it; the three made without it are in the database.
    assert hits("habitat") == 3
