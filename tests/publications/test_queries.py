"""The catalogue and a white-paper page run the same number of queries with 5 or 200 papers."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest
from wagtail_factories import ImageFactory

from publications.models import WhitePaperPage
from tests.factories.home import ThemeFactory
from tests.factories.publications import WhitePaperPageFactory


def add_papers(catalogue, count, pdf_name):
    """Papers with a theme and a cover each, so that a query per card would show."""
    theme = ThemeFactory()
    for _ in range(count):
        paper = WhitePaperPageFactory(parent=catalogue, pdf=pdf_name, cover_image=ImageFactory())
        paper.themes.add(theme)


def queries(client, url):
    client.get(url)  # warm per-process caches (site root paths), as a running server has
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("url", ["/livres-blancs/", "/livres-blancs/?page=2", "/"])
def test_listings_do_not_grow_with_the_number_of_papers(client, catalogue, paper, url):
    add_papers(catalogue, 4, paper.pdf.name)
    few = queries(client, url if "page=2" not in url else "/livres-blancs/")

    add_papers(catalogue, 195, paper.pdf.name)
    many = queries(client, url)

    assert WhitePaperPage.objects.count() == 200
    assert many == few
    assert many <= 20


def test_a_white_paper_page_does_not_grow_with_the_number_of_papers(client, catalogue, paper):
    add_papers(catalogue, 4, paper.pdf.name)
    few = queries(client, paper.url)

    add_papers(catalogue, 195, paper.pdf.name)
    many = queries(client, paper.url)

    assert many == few
    assert many <= 20
