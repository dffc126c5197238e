import io

from django.core.management import call_command

import pytest

from contacts.demo import PEOPLE as DEMO_PEOPLE
from contacts.models import Lead
from home.models import StandardPage
from publications.models import DownloadRequest, WhitePaperPage


def generate():
    call_command("generate_content", pages=3, papers=5, leads=7, stdout=io.StringIO())


def counts():
    return {
        "pages": StandardPage.objects.filter(slug__startswith="genere-").count(),
        "papers": WhitePaperPage.objects.filter(slug__startswith="genere-").count(),
        # Beside the demo's own people (the member organisations' staff).
        "leads": Lead.objects.exclude(email__in=[person[1] for person in DEMO_PEOPLE]).count(),
        "requests": DownloadRequest.objects.count(),
    }


@pytest.mark.django_db
def test_generate_content_adds_the_requested_content_once(client):
    generate()

    assert counts() == {"pages": 3, "papers": 5, "leads": 7, "requests": 7}
    # The demo content came first: its pages and its seed paper are there too.
    assert StandardPage.objects.filter(slug="le-club").exists()
    assert WhitePaperPage.objects.count() == 6
    papers = WhitePaperPage.objects.filter(slug__startswith="genere-")
    assert all(paper.live and paper.first_published_at for paper in papers)
    assert {paper.pdf.name for paper in papers} == {"livres-blancs/genere-commun.pdf"}
    assert all(paper.pdf_pages > 0 and paper.pdf_size > 0 for paper in papers)
    for url in ["/genere-1/", "/livres-blancs/genere-1/", "/livres-blancs/?page=1"]:
        assert client.get(url).status_code == 200

    generate()

    assert counts() == {"pages": 3, "papers": 5, "leads": 7, "requests": 7}
