"""The page cache on a white paper's page: its form works for every visitor, and no visitor
ever gets another's CSRF token, start time, referrer or pre-filled details."""

from django.test import Client
from django.utils import timezone

import pytest

from contacts.models import ContactSettings
from home.models import SiteSettings
from publications.models import DownloadRequest, PaperDailyViews

from .conftest import VALID_FORM, hidden


@pytest.fixture(autouse=True)
def page_cache_on(settings, db):
    settings.PAGE_CACHE_SECONDS = 600
    SiteSettings.load()  # created on first use otherwise, which purges the cache once
    ContactSettings.load()


def token_of(response):
    return hidden(response.content.decode(), "csrfmiddlewaretoken")


def test_a_lead_post_does_not_purge_the_cache(client, paper, submit):
    client.get("/")
    submit()

    assert Client().get("/")["X-Page-Cache"] == "hit"


def test_two_visitors_never_share_a_csrf_token(paper):
    first, second = Client(), Client()
    page_a = first.get(paper.url)
    page_b = second.get(paper.url)

    assert page_b["X-Page-Cache"] == "hit"
    assert "__page_slot_" not in page_b.content.decode()
    assert token_of(page_a) != token_of(page_b)
    assert first.cookies["csrftoken"].value != second.cookies["csrftoken"].value
    assert "private" in page_b["Cache-Control"]  # a CDN never keeps a page with a token


def test_a_post_with_the_token_of_a_cached_page_works(paper, django_capture_on_commit_callbacks):
    Client().get(paper.url)  # the page is now cached
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get(paper.url)
    html = page.content.decode()
    data = {
        **VALID_FORM,
        "csrfmiddlewaretoken": token_of(page),
        "started": hidden(html, "started"),
    }

    with django_capture_on_commit_callbacks(execute=True):
        response = visitor.post(paper.url, data)

    assert page["X-Page-Cache"] == "hit"
    assert response.status_code == 302
    assert DownloadRequest.objects.count() == 1


def test_a_returning_visitor_is_never_shown_to_another(paper, submit, client):
    submit()  # client is now a returning visitor, remembered by a cookie
    known = client.get(paper.url)
    stranger = Client().get(paper.url)

    assert "Marie Dupont" in known.content.decode()
    assert "X-Page-Cache" not in known  # never cached, never served from the cache
    assert "Marie" not in stranger.content.decode()
    assert "marie.dupont" not in stranger.content.decode()


def test_each_visitor_gets_their_own_referrer_and_start_time(paper):
    first = Client().get(paper.url, headers={"referer": "https://lettre.exemple.fr/"})
    second = Client().get(paper.url, headers={"referer": "https://autre.exemple.fr/?a=1&b=<2>"})
    html = second.content.decode()

    assert hidden(first.content.decode(), "referrer") == "https://lettre.exemple.fr/"
    assert hidden(html, "referrer") == "https://autre.exemple.fr/?a=1&amp;b=&lt;2&gt;"
    assert hidden(html, "started") != hidden(first.content.decode(), "started")


def test_a_page_with_a_form_gets_a_304_only_with_the_same_csrf_cookie(client, paper):
    first = client.get(paper.url)
    again = client.get(paper.url, headers={"if-none-match": first["ETag"]})
    stranger = Client().get(paper.url, headers={"if-none-match": first["ETag"]})

    assert again.status_code == 304
    assert stranger.status_code == 200


def test_views_of_a_cached_paper_are_counted(client, paper):
    for _ in range(3):
        client.get(paper.url)

    assert PaperDailyViews.objects.get(paper=paper).views == 3


def test_batched_views_reach_the_database_by_batch_and_by_the_report(
    client, paper, settings, admin_client
):
    settings.PAGE_VIEWS_BATCH = 4
    for _ in range(6):
        client.get(paper.url)

    assert PaperDailyViews.objects.get(paper=paper).views == 4  # one write for the batch
    assert admin_client.get("/admin/rapport-leads/").status_code == 200
    assert PaperDailyViews.objects.get(paper=paper, day=timezone.localdate()).views == 6


def test_flush_page_views_writes_what_the_cache_counted(client, paper, settings):
    from django.core.management import call_command

    settings.PAGE_VIEWS_BATCH = 100
    for _ in range(3):
        client.get(paper.url)
    assert not PaperDailyViews.objects.exists()

    call_command("flush_page_views", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert PaperDailyViews.objects.get(paper=paper).views == 3


# The database checks the paper at the commit: a transaction that commits.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_views_still_counted_for_a_paper_deleted_since_are_dropped(paper, settings):
    from publications.services import flush_all_page_views, record_page_view

    settings.PAGE_VIEWS_BATCH = 2
    paper_id = paper.pk
    record_page_view(paper_id)
    paper.delete()

    record_page_view(paper_id)  # reaches the batch: its write finds no paper
    flush_all_page_views()

    assert not PaperDailyViews.objects.exists()


def test_a_paper_seen_once_renders_its_cover_without_asking_for_it(
    client, paper, settings, django_assert_max_num_queries
):
    from wagtail_factories import ImageFactory

    settings.PAGE_CACHE_SECONDS = 0  # every request renders
    paper.cover_image = ImageFactory()
    paper.save_revision().publish()
    client.get(paper.url)  # routes it, and keeps it with its cover's renditions

    with django_assert_max_num_queries(1):  # its view, counted
        response = client.get(paper.url)

    assert response.status_code == 200
    assert response.content.decode().count('type="image/avif"') == 1
