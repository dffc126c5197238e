"""An editor types a session's date the French way, as a person does, and the event keeps it;
the preview side panel shows the page being edited."""

import urllib.request

from django.utils import timezone

import pytest
from playwright.sync_api import expect

from events.models import EventIndexPage, EventPage
from tests.e2e.admin import log_in
from tests.factories.events import EventPageFactory, session

from .conftest import DESKTOP

PASSWORD = "un mot de passe assez long"
TITLE = "Atelier d'hiver sur la proximité"


@pytest.fixture
def event(site_url):
    agenda = EventIndexPage.objects.get()
    return EventPageFactory(
        parent=agenda, title=TITLE, slug="atelier-d-hiver", sessions=[session()]
    )


@pytest.fixture
def admin_page(page, site_url, django_user_model):
    django_user_model.objects.create_superuser("editrice", password=PASSWORD)
    page.set_viewport_size(DESKTOP)
    log_in(page, site_url, "editrice", PASSWORD)
    return page


def type_into(page, selector, text):
    """Types as a person does: clears the field, types each key, leaves with Tab."""
    field = page.locator(selector)
    field.click()
    field.press("ControlOrMeta+a")
    field.press("Backspace")
    field.press_sequentially(text, delay=20)
    field.press("Tab")
    return field


def test_a_session_date_typed_the_french_way_is_kept(admin_page, site_url, event):
    page = admin_page
    page.goto(f"{site_url}/admin/pages/{event.pk}/edit/")
    page.get_by_role("tab", name="Programme").click()

    date = type_into(page, "#id_sessions-0-date", "19/01/2027")
    expect(date).to_have_value("19/01/2027")
    start = type_into(page, "#id_sessions-0-start_time", "09:30")
    expect(start).to_have_value("09:30")
    page.keyboard.press("Escape")
    page.locator("footer .w-dropdown__toggle").first.click()
    page.get_by_role("button", name="Publier").click()

    expect(page.locator(".messages")).to_contain_text("publiée")
    event = EventPage.objects.get(pk=event.pk)
    assert str(event.first_date) == "2027-01-19"
    page.goto(site_url + event.url)
    expect(page.get_by_text("mardi 19 janvier 2027, 9\u00a0h 30 – 12\u00a0h")).to_be_visible()


def test_an_unreadable_date_is_refused_not_replaced(admin_page, site_url, event):
    page = admin_page
    before = event.sessions.get().date
    page.goto(f"{site_url}/admin/pages/{event.pk}/edit/")
    page.get_by_role("tab", name="Programme").click()

    date = type_into(page, "#id_sessions-0-date", "19 janvier")
    expect(date).to_have_value("19 janvier")
    page.keyboard.press("Escape")
    page.locator("footer .w-dropdown__toggle").first.click()
    page.get_by_role("button", name="Publier").click()

    expect(page.locator(".messages")).to_contain_text("erreurs de validation")
    page.get_by_role("tab", name="Programme").click()
    expect(page.get_by_text("Saisissez une date valide.")).to_be_visible()
    expect(page.locator("#id_sessions-0-date")).to_have_value("19 janvier")
    assert event.sessions.get().date == before != timezone.localdate()


def test_the_preview_side_panel_shows_the_page(admin_page, site_url, event):
    page = admin_page
    page.goto(f"{site_url}/admin/pages/{event.pk}/edit/")
    page.locator("#id_title").fill("Titre vu dans l'aperçu")

    page.locator('[data-side-panel-toggle="preview"]').click()

    frame = page.frame_locator("#w-preview-iframe")
    expect(frame.locator("h1")).to_have_text("Titre vu dans l'aperçu", timeout=15_000)

    with urllib.request.urlopen(site_url + event.url) as response:  # noqa: S310  (live server)
        policy = response.headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in policy
        assert response.headers["X-Frame-Options"] == "DENY"
