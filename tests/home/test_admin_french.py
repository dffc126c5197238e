"""What editors read in the admin is French: the login, the workflow, the status panel, the slug
help, yes/no values, and a Help menu that leads to our own French guide."""

import json
import re

from django.contrib.auth.models import Group

import pytest

from wagtail.models import Task, Workflow

from tests.factories.publications import DownloadRequestFactory, LeadFactory
from tests.home.test_admin_crawl import english_in, read_page

PASSWORD = "un mot de passe assez long"


def text_of(response):
    return read_page(response.content.decode())[0]


def sidebar_menu(response):
    """The sidebar's menu as the script that draws it reads it (JSON in the page)."""
    html = response.content.decode()
    props = re.search(r'<script id="wagtail-sidebar-props"[^>]*>(.*?)</script>', html, re.S)[1]
    return json.dumps(json.loads(props), ensure_ascii=False)


@pytest.fixture
def superuser_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("admin", password=PASSWORD))
    return client


def test_the_login_page_is_french(client, db):
    text = text_of(client.get("/admin/login/"))

    assert "Mot de passe" in text
    assert english_in(text) == []


def test_a_wrong_password_is_refused_in_french(client, django_user_model):
    django_user_model.objects.create_user("editrice", password=PASSWORD)

    response = client.post("/admin/login/", {"username": "editrice", "password": "faux"})

    assert response.status_code == 200
    assert "Mot de passe" in text_of(response)
    assert english_in(text_of(response)) == []


def test_the_default_workflow_and_groups_have_french_names(db):
    assert Workflow.objects.filter(name="Validation par les modérateurs").exists()
    assert Task.objects.filter(name="Validation par les modérateurs").exists()
    assert not Workflow.objects.filter(name__contains="Moderators").exists()
    assert set(Group.objects.values_list("name", flat=True)) >= {"Modérateurs", "Éditeurs"}
    assert not Group.objects.filter(name__in=["Moderators", "Editors"]).exists()


def test_an_edit_form_offers_the_french_workflow_status_and_slug_help(superuser_client, paper):
    text = text_of(superuser_client.get(f"/admin/pages/{paper.pk}/edit/"))

    assert "Soumettre à Validation par les modérateurs" in text
    assert "Statut :" in text
    assert "par exemple https://www.exemple.fr/agenda/[mon-slug]/" in text
    assert english_in(text) == []


def test_yes_no_columns_and_filter_chips_read_oui_non(superuser_client, paper):
    DownloadRequestFactory(lead=LeadFactory(news_opt_in=True), paper=paper)

    listing = superuser_client.get("/admin/demandes/")
    chip = superuser_client.get("/admin/demandes/?news_opt_in=true")
    leads_chip = superuser_client.get("/admin/leads/?news_opt_in=false")

    assert 'title="Oui"' in listing.content.decode() or ">Oui<" in listing.content.decode()
    assert "Actualités acceptées : Oui" in text_of(chip)
    assert ": Non" in text_of(leads_chip)
    for response in (listing, chip, leads_chip):
        assert english_in(text_of(response)) == []


def test_the_help_menu_leads_to_the_french_guide(superuser_client):
    dashboard = sidebar_menu(superuser_client.get("/admin/"))

    assert "/admin/guide/" in dashboard
    assert "Guide des éditeurs" in dashboard
    assert "docs.wagtail.org" not in dashboard and "guide.wagtail.org" not in dashboard

    guide = text_of(superuser_client.get("/admin/guide/"))
    for topic in (
        "Publier un événement",
        "Publier un cycle d'ateliers",
        "Publier un livre blanc",
        "Les leads et les demandes",
        "Les exports",
    ):
        assert topic in guide
    assert english_in(guide) == []


def test_the_guide_is_for_staff_only(client, django_user_model):
    assert client.get("/admin/guide/").status_code == 302  # to the login

    client.force_login(django_user_model.objects.create_user("visiteur", password=PASSWORD))
    assert client.get("/admin/guide/").status_code in (302, 403)

    lead_manager = django_user_model.objects.create_user("gestionnaire", password=PASSWORD)
    lead_manager.groups.add(Group.objects.get(name="Gestionnaires de leads"))
    client.force_login(lead_manager)
    assert client.get("/admin/guide/").status_code == 200


def test_permission_names_are_french_after_migrate(superuser_client):
    from django.contrib.auth.models import Permission

    assert not Permission.objects.filter(name__startswith="Can ").exists()
    assert Permission.objects.get(codename="publish_page").name == "Publier toute page"
    assert Permission.objects.get(codename="add_eventpage").name.startswith("Peut ajouter : ")
    group = Group.objects.get(name="Éditeurs")
    page = superuser_client.get(f"/admin/groups/edit/{group.pk}/").content.decode()
    assert "Publish any page" not in page
    assert "Can access" not in page
