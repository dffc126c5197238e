"""The catalogue, the home page and a white-paper page run the same number of queries, 10 or
fewer, with 10 papers or with 1 000."""

import itertools

from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail_factories import ImageFactory

from publications.models import WhitePaperPage
from tests.factories.home import ThemeFactory
from tests.factories.publications import WhitePaperPageFactory

BUDGET = 10


def add_papers(catalogue, count, pdf_name, covers):
    """Papers with a theme and a cover each, so that a query per card would show."""
    theme = ThemeFactory()
    for _, cover in zip(range(count), itertools.cycle(covers), strict=False):
        paper = WhitePaperPageFactory(parent=catalogue, pdf=pdf_name, cover_image=cover)
        paper.themes.add(theme)


def queries(client, url):
    # Warm the caches as a running server has them: the first request may create the site
    # settings' row (which purges), the second fills what pages share.
    client.get(url)
    client.get(url)
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200, url
    return len(context.captured_queries)


def test_listings_and_papers_do_not_grow_with_the_number_of_papers(client, catalogue, paper):
    covers = [ImageFactory() for _ in range(10)]
    add_papers(catalogue, 9, paper.pdf.name, covers)
    urls = ["/", "/livres-blancs/", "/livres-blancs/?theme=x", paper.url]
    few = {url: queries(client, url) for url in urls}

    # Twenty times as many: a query per card, per theme or per page of the catalogue would show.
    add_papers(catalogue, 190, paper.pdf.name, covers)
    urls.append("/livres-blancs/?page=16")
    many = {url: queries(client, url) for url in urls}

    assert WhitePaperPage.objects.count() == 200
    assert all(many[url] == few[url] for url in few), (few, many)
    assert max(many.values()) <= BUDGET, many


# A lead's POST: the page (2), the lead (insert-or-nothing, then locked), the recent request
# check, the request, the lead's request count, the paper's totals, the mail; after the commit,
# the mail read and marked sent. On PostgreSQL BEGIN and COMMIT are counted too.
POST_BUDGET = 15


def test_a_lead_post_costs_a_fixed_number_of_queries(
    client, paper, form_data, django_capture_on_commit_callbacks
):
    client.post(paper.url, form_data(email="premiere@oph-exemple.fr"))  # warms what pages share
    data = form_data(email="nouvelle@oph-exemple.fr")

    with (
        CaptureQueriesContext(connection) as context,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(paper.url, data)

    assert response.status_code == 302
    assert len(context.captured_queries) <= POST_BUDGET, [
        query["sql"][:80] for query in context.captured_queries
    ]
