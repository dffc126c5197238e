"""The page cache: fast for anonymous visitors, never stale; editors always see fresh pages.

The pages with a form (a white paper's) are tested in tests/publications/test_page_cache.py."""

import threading
import time

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

import pytest

from wagtail.contrib.frontend_cache.backends import BaseBackend

from contacts.models import ContactSettings
from home.models import SiteSettings
from pagecache import keys


@pytest.fixture(autouse=True)
def page_cache_on(settings, db):
    settings.PAGE_CACHE_SECONDS = 600
    SiteSettings.load()  # created on first use otherwise, which purges the cache once
    ContactSettings.load()


def test_a_second_anonymous_visit_is_served_from_the_cache(client, demo_site):
    first = client.get("/le-club/")
    second = client.get("/le-club/")

    assert first["X-Page-Cache"] == "miss" and second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert second["X-Frame-Options"] == "DENY"  # headers of inner middleware are kept


def test_publishing_a_changed_title_shows_at_once(client, demo_site):
    client.get("/le-club/")
    page = demo_site.get_children().get(slug="le-club").specific
    page.title = "Le club, nouvelle version"
    page.save_revision().publish()

    response = client.get("/le-club/")

    assert response["X-Page-Cache"] == "miss"
    assert "Le club, nouvelle version" in response.content.decode()


def test_publishing_a_paper_purges_the_home_page_and_the_catalogue(client, catalogue, paper):
    client.get("/")
    client.get(catalogue.url)
    paper.title = "Un titre tout neuf"
    paper.save_revision().publish()

    assert "Un titre tout neuf" in client.get("/").content.decode()
    assert "Un titre tout neuf" in client.get(catalogue.url).content.decode()


def test_unpublishing_removes_the_page_at_once(client, paper):
    assert client.get(paper.url).status_code == 200
    url = paper.url
    paper.unpublish()

    assert client.get(url).status_code == 404


def test_changing_a_site_setting_purges_every_page(client, demo_site):
    client.get("/")
    settings_row = ContactSettings.load()
    settings_row.organisation_name = "Club renommé"
    settings_row.save()

    assert "Club renommé" in client.get("/").content.decode()


def test_editors_always_get_a_fresh_page(client, demo_site, django_user_model):
    Client().get("/le-club/")  # cached for anonymous visitors
    editor = django_user_model.objects.create_superuser("editrice", password="x" * 12)
    client.force_login(editor)

    response = client.get("/le-club/")

    assert "X-Page-Cache" not in response
    assert "ETag" not in response


def test_a_repeat_visit_gets_a_304(client, demo_site):
    first = client.get("/le-club/")
    again = client.get("/le-club/", headers={"if-none-match": first["ETag"]})

    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]


def test_searches_are_cached_by_their_whole_query(client, demo_site):
    client.get("/recherche/?q=service")

    assert client.get("/recherche/?q=service")["X-Page-Cache"] == "hit"
    other = client.get("/recherche/?q=proximite")
    assert other["X-Page-Cache"] == "miss"
    assert 'value="proximite"' in other.content.decode()


def test_html_is_compressed(client, demo_site):
    response = client.get("/", headers={"accept-encoding": "gzip"})

    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]


def test_the_admin_is_never_cached(client, demo_site):
    client.get("/admin/login/")
    response = client.get("/admin/login/")

    assert response.status_code == 200
    assert "X-Page-Cache" not in response


class RecordingBackend(BaseBackend):
    """A CDN that only writes down what it was asked to purge."""

    purged = []

    def purge(self, url):
        self.purged.append(url)


def test_publishing_purges_the_page_and_its_ancestors_from_the_cdn(
    settings, catalogue, paper, django_capture_on_commit_callbacks
):
    settings.WAGTAILFRONTENDCACHE = {
        "test": {"BACKEND": f"{__name__}.RecordingBackend", "HOSTNAMES": ["localhost"]}
    }
    RecordingBackend.purged.clear()
    paper.title = "Un titre tout neuf"

    with django_capture_on_commit_callbacks(execute=True):
        paper.save_revision().publish()

    paths = {url.removeprefix("http://localhost") for url in RecordingBackend.purged}
    assert {paper.url, catalogue.url, "/"} <= paths


def test_pages_without_a_form_may_be_kept_by_a_cdn(client, settings, demo_site):
    settings.FRONTEND_CACHE_MAX_AGE = 300
    response = client.get("/le-club/")

    assert "public" in response["Cache-Control"]
    assert "s-maxage=300" in response["Cache-Control"]


# --- One render per page after a purge ----------------------------------------------------------


def cached_entry(client, path):
    """The page's cache key and entry, once a visit stored it."""
    assert client.get(path)["X-Page-Cache"] == "miss"
    key = keys.page_key(RequestFactory().get(path))
    entry = caches[settings.PAGE_CACHE_ALIAS].get(key)
    assert entry is not None
    return key, entry


def another_visitor_renders(key, then, after=0.1):
    """Holds the page's render lock as a concurrent request would, and runs ``then`` after."""
    cache = caches[settings.PAGE_CACHE_ALIAS]
    assert cache.add(f"{key}:rendering", 1)
    timer = threading.Timer(after, then, args=(cache, f"{key}:rendering"))
    timer.start()
    return timer


def forget(key):
    """The page as a worker that has never seen it finds it: in neither cache."""
    caches[settings.PAGE_CACHE_ALIAS].delete(key)
    caches[settings.PAGE_CACHE_LOCAL_ALIAS].delete(key)


def test_a_visitor_who_misses_a_page_being_rendered_waits_for_that_render(client, demo_site):
    key, entry = cached_entry(client, "/le-club/")
    forget(key)  # purged; another visitor is rendering it
    rendered = {**entry, "content": entry["content"].replace(b"</body>", b"<!--rendu--></body>")}

    def stored(cache, lock):
        cache.set(key, rendered)
        cache.delete(lock)

    timer = another_visitor_renders(key, stored)
    with CaptureQueriesContext(connection) as queries:
        response = Client().get("/le-club/")
    timer.join()

    assert response["X-Page-Cache"] == "hit"
    assert b"<!--rendu-->" in response.content
    assert len(queries) == 0  # served the other visitor's render, did not render it again


def test_a_render_that_stores_nothing_lets_the_waiting_visitors_render(client, demo_site):
    key, _ = cached_entry(client, "/le-club/")
    forget(key)

    timer = another_visitor_renders(key, lambda cache, lock: cache.delete(lock))
    response = Client().get("/le-club/")
    timer.join()

    assert response.status_code == 200
    assert response["X-Page-Cache"] == "miss"


def test_a_render_that_takes_too_long_is_not_waited_for(client, demo_site, settings):
    settings.PAGE_CACHE_WAIT_SECONDS = 0.05
    key, _ = cached_entry(client, "/le-club/")
    forget(key)

    timer = another_visitor_renders(key, lambda cache, lock: cache.delete(lock), after=1)
    started = time.monotonic()
    response = Client().get("/le-club/")
    waited = time.monotonic() - started
    timer.join()

    assert response.status_code == 200
    assert response["X-Page-Cache"] == "miss"
    assert waited < 0.9


# --- What rendering keeps between purges, whatever PAGE_CACHE_SECONDS ------------------------


def queries_of(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    return response.status_code, len(context.captured_queries)


def test_a_page_seen_once_routes_with_no_query(client, settings, demo_site):
    settings.PAGE_CACHE_SECONDS = 0  # every request renders
    client.get("/le-club/")

    assert queries_of(client, "/le-club/") == (200, 0)


def test_a_renamed_page_is_routed_afresh(client, settings, demo_site):
    settings.PAGE_CACHE_SECONDS = 0
    client.get("/le-club/")
    page = demo_site.get_children().get(slug="le-club").specific
    page.slug = "notre-club"
    page.save_revision().publish()

    assert client.get("/le-club/").status_code == 404
    assert client.get("/notre-club/").status_code == 200


def test_a_path_that_finds_no_page_is_never_kept(client, settings, demo_site):
    settings.PAGE_CACHE_SECONDS = 0
    client.get("/le-club/autre-chose/")  # warms what every 404 reads (site, menu…)
    first = queries_of(client, "/le-club/pas-une-page/")
    again = queries_of(client, "/le-club/pas-une-page/")

    assert first[0] == again[0] == 404
    assert again[1] == first[1] > 0  # looked up in the database each time


def test_what_a_paper_shows_of_other_pages_follows_their_publishing(
    client, settings, paper, home, django_assert_max_num_queries
):
    from tests.factories.events import EventIndexPageFactory, EventPageFactory

    settings.PAGE_CACHE_SECONDS = 0
    event = EventPageFactory(parent=EventIndexPageFactory(parent=home), title="Journée liée")
    assert "Journée liée" not in client.get(paper.url).content.decode()

    event.related_papers.create(paper=paper)
    event.save_revision().publish()

    assert "Journée liée" in client.get(paper.url).content.decode()
    # Nothing read once seen: only its view is counted (written at once in tests).
    with django_assert_max_num_queries(1):
        assert client.get(paper.url).status_code == 200


def test_a_card_is_rendered_once_per_purge_for_every_listing(
    client, settings, catalogue, paper, django_assert_max_num_queries
):
    settings.PAGE_CACHE_SECONDS = 0
    client.get(catalogue.url)  # renders the paper's card (and reads the filters' choices)
    by_year = f"{catalogue.url}?annee={paper.publication_date.year}"

    # The filtered list's ids and its count at most: the card is the one the catalogue rendered.
    with django_assert_max_num_queries(2):
        response = client.get(by_year)

    assert "Un livre blanc" in response.content.decode()

    paper.title = "Un titre revu"
    paper.save_revision().publish()
    assert "Un titre revu" in client.get(by_year).content.decode()


def test_a_worker_serves_a_page_it_has_seen_from_its_own_memory(client, demo_site):
    key, _ = cached_entry(client, "/le-club/")
    caches[settings.PAGE_CACHE_ALIAS].delete(key)  # only the worker's own copy is left

    response = client.get("/le-club/")

    assert response["X-Page-Cache"] == "hit"


def test_a_purge_is_seen_by_a_worker_that_kept_the_page_in_its_memory(client, demo_site):
    cached_entry(client, "/le-club/")
    page = demo_site.get_children().get(slug="le-club").specific
    page.title = "Le club, revu"
    page.save_revision().publish()

    response = client.get("/le-club/")

    assert response["X-Page-Cache"] == "miss"
    assert "Le club, revu" in response.content.decode()


def test_a_release_reads_nothing_the_previous_one_kept(client, demo_site):
    from django.core.management import call_command

    client.get("/le-club/")

    call_command("migrate", verbosity=0)  # what every release runs

    assert client.get("/le-club/")["X-Page-Cache"] == "miss"
