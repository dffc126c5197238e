"""Rule 1: a gated PDF's bytes are served by one view only, through a signed link that expires.
Each test tries one way around the gate."""

import io
import time
from pathlib import Path
from unittest import mock

from django.core import mail

import pytest
from pypdf import PdfReader

from publications import services
from publications.models import DownloadRequest

from .conftest import VALID_FORM


@pytest.fixture
def link(client, paper, submit):
    """The thank-you page's download link after a valid request."""
    thank_you = client.get(submit()["Location"])
    return thank_you.context["download_url"]


def test_the_thank_you_page_starts_the_download_and_offers_a_link(client, paper, submit):
    response = client.get(submit()["Location"])

    html = response.content.decode()
    assert response.status_code == 200
    assert '<meta http-equiv="refresh" content="0;url=/telechargement/' in html
    assert "Télécharger le PDF" in html
    assert "no-store" in response["Cache-Control"]


def test_the_link_serves_the_pdf_and_counts_it(client, link, paper):
    response = client.get(link)

    body = b"".join(response.streaming_content)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="un-livre-blanc.pdf"'
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert body.startswith(b"%PDF")
    assert len(PdfReader(io.BytesIO(body)).pages) == 3
    assert DownloadRequest.objects.get().download_count == 1


def test_the_file_is_streamed_not_loaded(client, link):
    response = client.get(link)

    assert response.streaming
    response.close()


def test_the_pdf_has_no_public_url_and_lives_outside_media(paper, settings):
    with pytest.raises(ValueError):
        paper.pdf.url  # noqa: B018
    assert not Path(paper.pdf.path).is_relative_to(Path(settings.MEDIA_ROOT))
    assert Path(paper.pdf.path).is_relative_to(Path(settings.PRIVATE_MEDIA_ROOT))


def test_no_media_url_reaches_the_pdf(client, paper):
    name = paper.pdf.name
    for url in (
        f"/media/{name}",
        f"/media/../private/{name}",
        f"/media/%2e%2e/private/{name}",
        f"/private/{name}",
    ):
        assert client.get(url).status_code == 404, url


def test_wagtail_document_urls_do_not_serve_it(client, paper):
    for url in (
        f"/documents/{paper.pk}/{paper.slug}.pdf",
        "/documents/1/livre-blanc.pdf",
        f"/documents/{paper.pk}/",
        "/api/v2/documents/",
    ):
        assert client.get(url).status_code == 404, url


def test_an_altered_link_is_refused_in_french(client, link):
    altered = link[:-3] + ("a" if link[-3] != "a" else "b") + link[-2:]

    response = client.get(altered)

    assert response.status_code == 403
    assert "n'est pas valable" in response.content.decode()
    assert DownloadRequest.objects.get().download_count == 0


def test_a_made_up_link_is_refused(client, paper):
    assert client.get("/telechargement/bonjour/").status_code == 403


def test_an_expired_link_offers_a_fresh_one_by_mail(
    client, paper, submit, django_capture_on_commit_callbacks
):
    client.get(submit()["Location"])
    download_request = DownloadRequest.objects.get()
    eight_days_ago = time.time() - 8 * 24 * 3600
    with mock.patch("django.core.signing.time.time", return_value=eight_days_ago):
        old_link = services.download_url(download_request)
    mail.outbox.clear()

    response = client.get(old_link)

    assert response.status_code == 410
    html = response.content.decode()
    assert "a expiré" in html
    assert "m•••@oph-exemple.fr" in html
    assert b"%PDF" not in response.content

    with django_capture_on_commit_callbacks(execute=True):
        resend = client.post(f"{old_link}nouveau-lien/")
    assert resend.status_code == 200
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [VALID_FORM["email"]]


def test_the_link_lifetime_is_a_setting(client, link, settings):
    settings.DOWNLOAD_LINK_MAX_AGE = -1

    assert client.get(link).status_code == 410


def test_another_papers_link_does_not_open_this_thank_you_page(client, catalogue, paper, submit):
    from tests.factories.publications import WhitePaperPageFactory

    other = WhitePaperPageFactory(parent=catalogue, slug="autre")
    token = submit()["Location"].split("lien=")[1]

    response = client.get(f"{other.url}merci/?lien={token}")

    assert response.status_code == 403


def test_an_unpublished_paper_is_not_served(client, link, paper):
    paper.unpublish()

    assert client.get(link).status_code == 404


def test_a_deleted_paper_is_not_served(client, link, paper):
    paper.delete()

    assert client.get(link).status_code == 404


def test_an_erased_lead_has_no_link(client, link):
    DownloadRequest.objects.update(lead=None)

    assert client.get(link).status_code == 403


def test_sitemap_and_search_never_expose_the_file(client, paper, link):
    sitemap = client.get("/sitemap.xml").content.decode()
    results = client.get("/recherche/?q=livre").content.decode()

    for body in (sitemap, results):
        assert "/telechargement/" not in body
        assert ".pdf" not in body
        assert paper.pdf.name not in body
