"""Editing a white paper in the admin: the edit form shows what the site read from the PDF, and
saving or autosaving again (Wagtail 8 posts the whole form, file included, as JSON) never
leaves a second copy of the PDF nor a second cover."""

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

import pytest

from wagtail.images import get_image_model

from publications.models import WhitePaperPage
from tests.factories.home import OrganisationFactory
from tests.factories.publications import pdf_file

from .test_admin import add_url, page_form

AUTOSAVE = {"Accept": "application/json"}


PDF_BYTES = {}


def upload(pages):
    """The same file each time for a number of pages, as a browser sends the one chosen."""
    if pages not in PDF_BYTES:
        PDF_BYTES[pages] = pdf_file(pages=pages).read()
    return SimpleUploadedFile("rapport.pdf", PDF_BYTES[pages], content_type="application/pdf")


def draft_form(publisher, pdf, **extra):
    data = page_form(publisher, pdf)
    del data["action-publish"]
    return {**data, **extra}


def stored_pdfs():
    folder = settings.PRIVATE_MEDIA_ROOT / "livres-blancs"
    return sorted(path.name for path in folder.iterdir()) if folder.exists() else []


@pytest.fixture
def clean_private_storage():
    for name in stored_pdfs():
        (settings.PRIVATE_MEDIA_ROOT / "livres-blancs" / name).unlink()


def autosave(client, url, data):
    response = client.post(url, data, headers=AUTOSAVE)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["success"], body
    return body


def test_autosaves_keep_one_pdf_and_one_cover_and_the_form_shows_the_facts(
    editor_client, catalogue, clean_private_storage, django_capture_on_commit_callbacks
):
    publisher = OrganisationFactory()
    images_before = get_image_model().objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        created = autosave(editor_client, add_url(catalogue), draft_form(publisher, upload(7)))
        edit_url = f"/admin/pages/{created['pk']}/edit/"
        for _ in range(3):  # the browser sends the chosen file again with each autosave
            body = autosave(
                editor_client,
                edit_url,
                draft_form(publisher, upload(7), overwrite_revision_id=created["revision_id"]),
            )
        # A plain "save draft" with the file again, as a form without JavaScript would.
        response = editor_client.post(edit_url, draft_form(publisher, upload(7)))

    assert response.status_code == 302
    assert created["field_updates"]["pdf"] == ""  # the file input is emptied after it is kept
    assert "pdf" not in body["field_updates"]
    assert len(stored_pdfs()) == 1
    assert get_image_model().objects.count() == images_before + 1
    paper = WhitePaperPage.objects.get(pk=created["pk"]).get_latest_revision_as_object()
    assert paper.pdf.name == f"livres-blancs/{stored_pdfs()[0]}"
    form_html = editor_client.get(edit_url).content.decode()
    assert "PDF de 7 pages, " in form_html
    assert f"PDF de 7 pages, {round(paper.pdf_size / 1024)} Ko" in form_html


def test_a_replaced_pdf_and_its_cover_are_removed(
    editor_client, catalogue, clean_private_storage, django_capture_on_commit_callbacks
):
    publisher = OrganisationFactory()
    with django_capture_on_commit_callbacks(execute=True):
        created = autosave(editor_client, add_url(catalogue), draft_form(publisher, upload(7)))
        first_cover = WhitePaperPage.objects.get(pk=created["pk"]).generated_cover_id
        response = editor_client.post(
            f"/admin/pages/{created['pk']}/edit/", draft_form(publisher, upload(12))
        )

    assert response.status_code == 302
    assert len(stored_pdfs()) == 1
    paper = WhitePaperPage.objects.get(pk=created["pk"])
    assert paper.pdf_pages == 12
    assert paper.generated_cover_id != first_cover
    assert not get_image_model().objects.filter(pk=first_cover).exists()
    assert "PDF de 12 pages" in editor_client.get(f"/admin/pages/{paper.pk}/edit/").content.decode()


def test_a_new_pdf_on_a_live_paper_is_stored_with_the_draft_and_served_once_published(
    editor_client, catalogue, clean_private_storage, django_capture_on_commit_callbacks
):
    publisher = OrganisationFactory()
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(add_url(catalogue), page_form(publisher, upload(7)))
        paper = WhitePaperPage.objects.get(slug="numerique-proximite")
        live_file = paper.pdf.name
        editor_client.post(f"/admin/pages/{paper.pk}/edit/", draft_form(publisher, upload(12)))

    paper.refresh_from_db()
    assert paper.pdf.name == live_file  # visitors still get the published file
    assert paper.pdf.storage.exists(live_file)
    draft = paper.get_latest_revision_as_object()
    assert draft.pdf_pages == 12
    assert draft.pdf.storage.exists(draft.pdf.name)  # stored, not only named in the revision
    assert "PDF de 12 pages" in editor_client.get(f"/admin/pages/{paper.pk}/edit/").content.decode()


@pytest.mark.parametrize(
    ("size", "shown"), [(1_258_291, "1,2 Mo"), (480 * 1024, "480 Ko"), (10, "1 Ko")]
)
def test_the_size_reads_as_in_french(editor_client, paper, size, shown):
    WhitePaperPage.objects.filter(pk=paper.pk).update(pdf_pages=32, pdf_size=size)
    paper.refresh_from_db()
    paper.save_revision()

    html = editor_client.get(f"/admin/pages/{paper.pk}/edit/").content.decode()

    assert f"PDF de 32 pages, {shown}" in html
