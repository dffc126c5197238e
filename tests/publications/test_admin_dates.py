"""A white paper's date typed the French way is kept; staff read every time in Paris time."""

import datetime
import html
import re

from django.contrib.auth.models import Group

import pytest

from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from contacts.models import Lead
from publications.models import DownloadRequest, WhitePaperPage
from tests.factories.publications import DownloadRequestFactory, LeadFactory


@pytest.fixture
def manager_client(client, django_user_model):
    manager = django_user_model.objects.create_user("gestionnaire", password="mot de passe long")
    manager.groups.add(Group.objects.get(name="Gestionnaires de leads"))
    client.force_login(manager)
    return client


def edit_paper(editor_client, paper, publication_date):
    data = nested_form_data(
        {
            "title": paper.title,
            "slug": paper.slug,
            "summary": paper.summary,
            "introduction": rich_text("<p>Une introduction.</p>"),
            "table_of_contents": rich_text(""),
            "publisher": paper.publisher_id,
            "authors": inline_formset([]),
            "publication_date": publication_date,
            "language": "fr",
            "cta_label": "Obtenir le livre blanc",
            "thank_you_text": rich_text("<p>Merci !</p>"),
            "action-publish": "publish",
        }
    )
    return editor_client.post(f"/admin/pages/{paper.pk}/edit/", data)


def visible_text(response):
    content = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", content)).split())


def test_the_publication_date_typed_the_french_way_is_kept(editor_client, paper):
    response = edit_paper(editor_client, paper, "15/11/2026")

    assert response.status_code == 302
    assert WhitePaperPage.objects.get(pk=paper.pk).publication_date == datetime.date(2026, 11, 15)
    form = editor_client.get(f"/admin/pages/{paper.pk}/edit/").content.decode()
    assert 'value="15/11/2026"' in form
    assert "Par exemple : 13/10/2022" in html.unescape(form)


@pytest.mark.parametrize("typed", ["2026-13-45", "15/11/2026 ?", "\u202e15/11/2026", "x" * 5000])
def test_an_unreadable_publication_date_gets_a_french_error(editor_client, paper, typed):
    before = paper.publication_date

    response = edit_paper(editor_client, paper, typed)

    assert response.status_code == 200
    assert "Saisissez une date valide." in html.unescape(response.content.decode())
    assert WhitePaperPage.objects.get(pk=paper.pk).publication_date == before


def test_a_leads_page_shows_every_time_in_paris(manager_client, paper):
    lead = LeadFactory(email="marie@oph-exemple.fr")
    DownloadRequestFactory(lead=lead, paper=paper)
    utc = datetime.datetime(2026, 6, 1, 7, 24, tzinfo=datetime.UTC)  # 09:24 in Paris (summer)
    Lead.objects.filter(pk=lead.pk).update(created_at=utc, updated_at=utc)
    DownloadRequest.objects.filter(lead=lead).update(created_at=utc)

    text = visible_text(manager_client.get(f"/admin/leads/inspect/{lead.pk}/"))
    listing = visible_text(manager_client.get("/admin/demandes/"))

    assert "Créé le 1 juin 2026 09:24" in text
    assert "Mis à jour le 1 juin 2026 09:24" in text
    assert "01/06/2026 09:24" in text
    assert "07:24" not in text
    assert "1 juin 2026 09:24" in listing
    assert "07:24" not in listing
