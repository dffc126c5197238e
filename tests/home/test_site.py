import pytest

from wagtail.models import Page

from contacts.models import ContactSettings
from home.models import HomePage, StandardPage


def test_home_page_is_french_with_skip_link_menu_and_search(client, demo_site):
    html = client.get("/").content.decode()

    assert '<html lang="fr">' in html
    assert 'href="#contenu"' in html and 'id="contenu"' in html
    assert 'action="/recherche/"' in html
    assert 'href="/le-club/"' in html  # from the page tree: show_in_menus
    assert "Politique de confidentialité" in html  # footer legal links


def test_standard_page_renders_its_body(client, demo_site):
    response = client.get("/le-club/")

    assert response.status_code == 200
    assert "Les ateliers du club visent à faciliter la mise en réseau" in response.content.decode()


def test_not_found_page_is_french(client, demo_site):
    response = client.get("/rien-ici/")

    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_sitemap_lists_public_pages(client, demo_site):
    body = client.get("/sitemap.xml").content.decode()

    assert "/le-club/" in body
    assert "/livres-blancs/la-culture-de-service/" in body


def test_robots_txt_points_to_the_sitemap(client, demo_site):
    response = client.get("/robots.txt")

    assert response["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in response.content.decode()
    assert "Disallow: /admin/" in response.content.decode()


def test_admin_is_in_french(client, demo_site):
    response = client.get("/admin/login/")

    assert response.status_code == 200
    assert "Connexion" in response.content.decode() or "Se connecter" in response.content.decode()


@pytest.mark.django_db
def test_demo_content_is_idempotent(capsys):
    from django.core.management import call_command

    call_command("load_demo_content")
    first_pages = Page.objects.count()
    call_command("load_demo_content")

    assert "rien n'a changé" in capsys.readouterr().out
    assert Page.objects.count() == first_pages
    assert HomePage.objects.count() == 1
    assert StandardPage.objects.filter(slug="politique-de-confidentialite").exists()
    settings = ContactSettings.load()
    assert settings.privacy_page.slug == "politique-de-confidentialite"
    assert settings.lead_retention_months == 36


@pytest.mark.django_db
def test_ensure_admin_creates_one_admin_once(capsys, settings):
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    settings.SUPERUSER_USERNAME = "admin"
    settings.SUPERUSER_PASSWORD = ""
    call_command("ensure_admin")
    out = capsys.readouterr().out
    password = out.split("notez-le) : ")[1].split()[0]
    call_command("ensure_admin")

    assert "existe déjà" in capsys.readouterr().out
    user = get_user_model().objects.get(username="admin")
    assert user.is_superuser and user.check_password(password)


@pytest.mark.django_db
def test_ensure_admin_reads_the_variables(settings):
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    settings.SUPERUSER_USERNAME = "claire"
    settings.SUPERUSER_PASSWORD = "un mot de passe solide"
    call_command("ensure_admin")

    assert get_user_model().objects.get(username="claire").check_password("un mot de passe solide")


# Every public page type in 10 queries or fewer (issue #8); the listings are also tested with
# 10 and 1 000 items in tests/publications/test_queries.py and tests/events/test_queries.py.
QUERY_BUDGETS = {
    "/": 10,
    "/le-club/": 10,
    "/livres-blancs/": 10,
    "/livres-blancs/la-culture-de-service/": 10,
    "/agenda/": 10,
    "/agenda/revisiter-la-proximite/": 10,
    "/recherche/?q=service": 10,
}


@pytest.mark.parametrize(("url", "budget"), QUERY_BUDGETS.items())
def test_public_pages_stay_within_their_query_budget(
    client, demo_site, django_assert_max_num_queries, url, budget
):
    client.get(url)  # warm the caches as a running server has them (the first request may
    client.get(url)  # create the site settings' row, which purges)
    with django_assert_max_num_queries(budget):
        assert client.get(url).status_code == 200
