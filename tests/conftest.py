import pytest

from wagtail.models import Page, Site

from tests.factories.home import HomePageFactory, StandardPageFactory
from tests.factories.publications import WhitePaperIndexPageFactory, WhitePaperPageFactory


@pytest.fixture
def home(db):
    """A HomePage as the default site's root, as load_demo_content makes it."""
    root = Page.get_first_root_node()
    home = HomePageFactory(parent=root, slug="accueil")
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home},
    )
    return home


@pytest.fixture
def standard_page(home):
    return StandardPageFactory(parent=home, slug="le-club", title="Le club")


@pytest.fixture
def catalogue(home):
    return WhitePaperIndexPageFactory(parent=home)


@pytest.fixture
def paper(catalogue):
    return WhitePaperPageFactory(parent=catalogue, slug="un-livre-blanc", title="Un livre blanc")


@pytest.fixture
def editor_client(client, django_user_model):
    """An editor signed in to the admin (a superuser: every page type and snippet)."""
    user = django_user_model.objects.create_superuser("editrice", password="mot de passe long")
    client.force_login(user)
    return client


@pytest.fixture
def demo_site(db):
    """The whole demo site, built by the command a newcomer runs."""
    from django.core.management import call_command

    call_command("load_demo_content", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return Site.objects.get(is_default_site=True).root_page.specific


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate-limit counters and cached pages must not leak from one test to the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
