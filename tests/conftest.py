import io

import pytest

from wagtail.models import Page, Site

from tests.factories.home import HomePageFactory, StandardPageFactory
from tests.factories.publications import WhitePaperIndexPageFactory, WhitePaperPageFactory
from tests.servers import Inbox, free_port
from tests.snapshot import media_files


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


class DemoDatabase:
    """The demo site, built once per test process and kept in an open transaction.

    ``load_demo_content`` builds about twenty pages, their revisions, a PDF and its cover: seconds
    per test. Built once, inside an outer transaction on the test database, each test that asks
    for ``demo_site`` runs in pytest-django's own transaction nested in it (a savepoint), so
    whatever the test changes is rolled back to the demo site, not to an empty database.

    Before any test that does not ask for the demo site, the outer transaction is rolled back
    (``pytest_runtest_setup`` below), so those tests, transactional ones included, see the
    database that migrations made, as before. The tests that use the demo site are run one after
    the other (``pytest_collection_modifyitems`` below), so each process builds it once.

    The files the demo wrote (the PDF, its cover) are not rolled back by the database: they are
    kept in memory and written again before a test if one of them has gone.
    """

    def __init__(self, blocker):
        self.blocker = blocker
        self.atomic = None
        self.files = {}

    @property
    def active(self):
        return self.atomic is not None

    def enter(self):
        from django.core.cache import caches
        from django.db import connection, transaction

        if self.active or connection.in_atomic_block:
            # Already there; or a test's own transaction was opened first (a django_db marker):
            # then demo_site builds the demo inside that transaction, as it always did.
            return
        with self.blocker.unblock():
            before = media_files()
            self.atomic = transaction.atomic()
            # A durable atomic block inside a test is allowed only under a test's transaction.
            self.atomic._from_testcase = True
            self.atomic.__enter__()
            load_demo_content()
            self.files = {path: path.read_bytes() for path in media_files() - before}
            # What the build put in the caches is not every test's starting point.
            for cache in caches.all():
                cache.clear()

    def leave(self):
        from django.db import transaction

        if not self.active:
            return
        atomic, self.atomic = self.atomic, None
        with self.blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)

    def restore_files(self):
        for path, content in self.files.items():
            if not path.exists():
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(content)


def load_demo_content():
    from django.core.management import call_command

    call_command("load_demo_content", stdout=io.StringIO())


def wants_demo_database(item):
    """A test that asks for the demo site and runs in a transaction that can be nested."""
    return "demo_site" in getattr(item, "fixturenames", ()) and not _transactional(item)


_demo_database = None


@pytest.fixture(scope="session")
def _demo_state(django_db_setup, django_db_blocker):
    global _demo_database  # noqa: PLW0603 (the hooks below have no fixtures)
    _demo_database = DemoDatabase(django_db_blocker)
    yield _demo_database
    _demo_database.leave()
    _demo_database = None


@pytest.fixture(autouse=True)
def _demo_transaction(request):
    """Opens the demo's outer transaction before the test's own (autouse fixtures come first)."""
    if wants_demo_database(request.node):
        request.getfixturevalue("_demo_state").enter()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Back to the migrated database, before any fixture, for a test that does not want the
    demo site (a transactional test must not run inside the demo's transaction)."""
    if _demo_database is not None and not wants_demo_database(item):
        _demo_database.leave()


def _in_a_transaction(item):
    """pytest-django's first group: tests run in a transaction that is rolled back."""
    if _transactional(item):
        return False
    return bool(item.get_closest_marker("django_db")) or "db" in getattr(item, "fixturenames", ())


def _transactional(item):
    fixtures = getattr(item, "fixturenames", ())
    if "transactional_db" in fixtures or "live_server" in fixtures:
        return True
    marker = item.get_closest_marker("django_db")
    return bool(marker and (marker.kwargs.get("transaction") or marker.args[:1] == (True,)))


def _serialized(item):
    if "django_db_serialized_rollback" in getattr(item, "fixturenames", ()):
        return True
    marker = item.get_closest_marker("django_db")
    return bool(marker and marker.kwargs.get("serialized_rollback"))


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """After pytest-django's order (tests in a transaction, then transactional ones, then those
    without a database), the demo site's tests go last in the first group: one build per
    process. With pytest-xdist each worker receives its tests in this order, so the same holds
    on each worker.

    The browser tests go last of all. Their flush runs Django's post-migrate handlers, which
    create the content types again under new ids: the serialized rollback of a transactional
    test after them would collide with those. Every other transactional test must ask for the
    serialized rollback, for the same reason.
    """
    wrong = [
        item.nodeid
        for item in items
        if _transactional(item) and not _serialized(item) and not item.get_closest_marker("e2e")
    ]
    if wrong:
        raise pytest.UsageError(
            "Transactional tests without serialized_rollback=True: " + ", ".join(wrong)
        )
    browser = [item for item in items if item.get_closest_marker("e2e")]
    items[:] = [item for item in items if not item.get_closest_marker("e2e")]
    demo = [item for item in items if wants_demo_database(item)]
    others = [item for item in items if not wants_demo_database(item)]
    split = next(
        (index for index, item in enumerate(others) if not _in_a_transaction(item)), len(others)
    )
    items[:] = others[:split] + demo + others[split:] + browser


@pytest.fixture
def demo_site(db, _demo_state):
    """The whole demo site, built by the command a newcomer runs (once per process: above)."""
    if not _demo_state.active:
        load_demo_content()
    _demo_state.restore_files()
    return Site.objects.get(is_default_site=True).root_page.specific


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate-limit counters and cached pages must not leak from one test to the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def smtp_inbox(settings):
    """A real SMTP server (aiosmtpd) on a free port, which the site's mail backend talks to;
    its ``Inbox`` keeps every message received (``received()`` parses them)."""
    from aiosmtpd.controller import Controller

    port = free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox
    controller.stop()
