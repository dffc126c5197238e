"""Editors publish white papers in the admin; the PDF's facts come from the file."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.html import escape

import pytest

from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from publications.models import WhitePaperPage
from tests.factories.home import OrganisationFactory
from tests.factories.publications import pdf_file


def page_form(publisher, upload):
    return nested_form_data(
        {
            "title": "Le numérique au service de la proximité",
            "slug": "numerique-proximite",
            "summary": "Un résumé.",
            "introduction": rich_text("<p>Une introduction.</p>"),
            "table_of_contents": rich_text(""),
            "publisher": publisher.pk,
            "authors": inline_formset([]),
            "publication_date": "2021-06-01",
            "language": "fr",
            "cta_label": "Obtenir le livre blanc",
            "thank_you_text": rich_text("<p>Merci !</p>"),
            "pdf": upload,
            "action-publish": "publish",
        }
    )


def add_url(catalogue):
    return f"/admin/pages/add/publications/whitepaperpage/{catalogue.pk}/"


def test_pages_size_and_cover_come_from_the_pdf(editor_client, catalogue):
    content = pdf_file(pages=7).read()
    upload = SimpleUploadedFile("rapport.pdf", content, content_type="application/pdf")

    response = editor_client.post(add_url(catalogue), page_form(OrganisationFactory(), upload))

    assert response.status_code == 302, response.context["form"].errors
    paper = WhitePaperPage.objects.get(slug="numerique-proximite")
    assert paper.live
    assert paper.pdf_pages == 7
    assert paper.pdf_size == len(content)
    assert paper.generated_cover is not None
    assert paper.format_line == "Version PDF - 7 pages - 2021 - Français"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("rapport.pdf", b"Ceci n'est pas un PDF", "n'est pas un PDF lisible"),
        ("rapport.pdf", b"%PDF-1.7\n garbage without pages", "n'est pas un PDF lisible"),
        ("rapport.docx", b"PK\x03\x04", "n'est pas un PDF lisible"),
    ],
)
def test_a_file_that_is_not_a_readable_pdf_is_refused_in_french(
    editor_client, catalogue, name, content, message
):
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")

    response = editor_client.post(add_url(catalogue), page_form(OrganisationFactory(), upload))

    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors["pdf"])
    assert escape(message) in response.content.decode()
    assert not WhitePaperPage.objects.filter(slug="numerique-proximite").exists()


def test_the_edit_form_names_the_file_without_linking_it(editor_client, paper):
    response = editor_client.get(f"/admin/pages/{paper.pk}/edit/")

    html = response.content.decode()
    assert response.status_code == 200
    assert paper.pdf.name in html
    assert "(non public)" in html
