"""Rule 2 under concurrency: simultaneous submissions, each thread on its own connection."""

import threading

from django.db import connection, connections

import pytest

from contacts.models import Lead
from publications import services
from publications.models import DownloadRequest, PaperTotals
from tests.factories.publications import WhitePaperPageFactory

from .conftest import VALID_FORM

pytestmark = [
    pytest.mark.postgres,
    # Real transactions (threads must see each other's commits); Wagtail's root page and locale,
    # made by migrations, are restored after each test.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL) for real locks"
    ),
]

THREADS = 50


def run_together(target, count):
    barrier = threading.Barrier(count)
    errors = []

    def worker(index):
        try:
            barrier.wait(timeout=30)
            target(index)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors


@pytest.fixture
def live_paper(catalogue_for_threads):
    return WhitePaperPageFactory(parent=catalogue_for_threads, slug="concurrence")


@pytest.fixture
def catalogue_for_threads():
    from wagtail.models import Page

    from tests.factories.home import HomePageFactory
    from tests.factories.publications import WhitePaperIndexPageFactory

    home = HomePageFactory(parent=Page.get_first_root_node(), slug="accueil-concurrence")
    return WhitePaperIndexPageFactory(parent=home, slug="catalogue-concurrence")


def capture(paper, email):
    details = {**VALID_FORM, "email": email, "news_opt_in": False}
    provenance = services.Provenance(page_url="http://testserver/", referrer="", utm={})
    services.capture_request(paper, provenance=provenance, consent_text="oui", details=details)


def test_fifty_submissions_for_one_email_and_paper_give_one_lead_and_one_request(live_paper):
    run_together(lambda n: capture(live_paper, "Meme.Personne@oph-exemple.fr"), THREADS)

    assert Lead.objects.count() == 1
    assert DownloadRequest.objects.count() == 1


def test_fifty_submissions_for_fifty_emails_give_fifty_of_each(live_paper):
    run_together(lambda n: capture(live_paper, f"personne{n}@oph-exemple.fr"), THREADS)

    assert Lead.objects.count() == THREADS
    assert DownloadRequest.objects.count() == THREADS


def test_requests_and_downloads_at_once_are_all_in_the_papers_totals(live_paper):
    run_together(lambda n: capture(live_paper, f"personne{n}@oph-exemple.fr"), THREADS)
    requests = list(DownloadRequest.objects.order_by("pk")[:10])

    # Thirty downloads at once, three of each of ten requests (each one's first among them).
    run_together(lambda n: services.count_download(requests[n % 10]), 30)

    totals = PaperTotals.objects.get(paper=live_paper)
    assert (totals.requests, totals.downloads, totals.downloaded_requests) == (THREADS, 30, 10)
    assert sorted(DownloadRequest.objects.values_list("download_count", flat=True)) == (
        [0] * (THREADS - 10) + [3] * 10
    )
