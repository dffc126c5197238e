"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

Every test in this folder is marked ``e2e`` (``make test-fast`` leaves them out) and is skipped,
with the reason shown, when /usr/bin/chromium is missing (``make chromium`` installs it).
Playwright never downloads a browser here: it launches the system's Chromium.
"""

import contextlib
import io
import os
from pathlib import Path

from django.core.management import call_command

import pytest
from playwright.sync_api import Error as PlaywrightError

from tests.snapshot import DatabaseSnapshot, media_files

# Playwright's sync API runs an event loop in the main thread; Django refuses ORM calls (the
# test's own, and the live server's database setup) while one runs, unless told it is safe.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
E2E_DIR = Path(__file__).resolve().parent


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Marks this folder's tests ``e2e`` before ``-m`` selects, and skips them without Chromium."""
    skip = pytest.mark.skip(
        reason=f"{CHROMIUM} is missing: browser tests skipped (install it with `make chromium`)"
    )
    for item in items:
        if E2E_DIR in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.e2e)
            if not CHROMIUM.exists():
                item.add_marker(skip)


@pytest.fixture(scope="session")
def _serialized_migrations(django_db_setup):
    """What migrations created, as the test database's setup serialized it, read before
    Playwright starts (see ``_migrated_state``)."""
    from django.db import connection

    return getattr(connection, "_test_serialized_contents", None)


@pytest.fixture(scope="session")
def browser(_serialized_migrations):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, site_url):
    """A fresh context (no cookie, no cache) per test, at phone width unless resized.

    It asks for ``site_url`` so that it is closed before the database is flushed: a request the
    browser still has in flight (a page's last asset, an admin's background fetch) must not
    write to the live server's database while the flush empties it.
    """
    context = browser.new_context(viewport=PHONE, locale="fr-FR", accept_downloads=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    # Still busy after 5 s: closing the context cancels what is left.
    with contextlib.suppress(PlaywrightError):
        page.wait_for_load_state("networkidle", timeout=5_000)
    context.close()


@pytest.fixture(scope="session")
def _migrated_state(browser, _serialized_migrations, django_db_blocker):
    """What migrations created, for the first demo build and for the serialized rollback of the
    transactional tests that follow.

    Once Playwright runs, its event loop is the "running loop" of this thread, and Django then
    keeps its database connections in a per-context storage instead of the thread's: the
    connection the tests see is not the one the test database was set up (and serialized) on.
    This gives the connection seen now what the setup serialized (read before Playwright
    started: the database itself may have been emptied by a transactional test since).
    """
    from django.db import connection

    with django_db_blocker.unblock():
        state = _serialized_migrations or connection.creation.serialize_db_to_string()
        if not hasattr(connection, "_test_serialized_contents"):
            connection._test_serialized_contents = state
    return state


_demo = DatabaseSnapshot()


@pytest.fixture
def site_url(_migrated_state, transactional_db, live_server):
    """The live server's address, serving the demo site built by ``load_demo_content``.

    The live server runs in another thread, so the data must be committed: transactional_db.
    Its flush after each test wipes everything (and runs Django's post-migrate handlers: the
    browser tests run last, tests/conftest.py says why). The first test of a process starts
    from what migrations made, builds the demo site and keeps a copy of the whole database
    (tests/snapshot.py); each following test starts from that copy.
    """
    if _demo.taken:
        _demo.restore()
    else:
        from django.db import connection

        # Sequences kept: the ids put back must not be handed out again.
        call_command(
            "flush",
            interactive=False,
            inhibit_post_migrate=True,
            reset_sequences=False,
            verbosity=0,
        )
        connection.creation.deserialize_db_from_string(_migrated_state)
        before = media_files()
        call_command("load_demo_content", stdout=io.StringIO())
        _demo.take(before)
    return live_server.url


def visitor_leads():
    """The leads the test's visitors made: the demo site has its own people (contacts.demo)."""
    from contacts.demo import PEOPLE
    from contacts.models import Lead

    return Lead.objects.exclude(email__in=[person[1] for person in PEOPLE])
