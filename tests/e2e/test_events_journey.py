"""A visitor finds the 2022/2023 cycle in the agenda and puts its four séances in a calendar;
an editor publishes an event with two sessions and finds it in the agenda."""

import datetime
import re

from django.utils import timezone

import icalendar
import pytest
from playwright.sync_api import expect

from events.models import EventIndexPage, EventPage
from tests.e2e.admin import log_in

from .a11y import assert_no_axe_violations
from .conftest import DESKTOP

CYCLE_TITLE = "Revisiter la proximité à l'aune des enjeux d'aujourd'hui"
CYCLE_PATH = "/agenda/revisiter-la-proximite/"
PASSWORD = "un mot de passe assez long"


def test_a_visitor_adds_the_cycle_to_their_calendar(page, site_url):
    page.goto(site_url + "/")
    page.get_by_role("link", name="Tout l'agenda").click()

    expect(page).to_have_url(site_url + "/agenda/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Agenda")
    expect(page.get_by_role("heading", name="Événements passés")).to_be_visible()
    assert_no_axe_violations(page, "the agenda")

    page.get_by_role("link", name="Cycle d'ateliers").click()

    expect(page).to_have_url(site_url + "/agenda/?type=cycle-d-ateliers")
    cards = page.locator("article.event-card")
    expect(cards).to_have_count(1)
    expect(cards).to_contain_text("13 oct. 2022 → 9 févr. 2023 · 4 séances")
    page.get_by_role("link", name=CYCLE_TITLE).click()

    expect(page).to_have_url(site_url + CYCLE_PATH)
    expect(page.get_by_role("heading", level=1)).to_have_text(CYCLE_TITLE)
    expect(page.get_by_text("jeudi 1er décembre 2022, 9\u00a0h – 12\u00a0h")).to_be_visible()
    assert_no_axe_violations(page, "the cycle's page")

    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile(r"^Ajouter à mon agenda")).click()
    download = download_info.value
    assert download.suggested_filename == "revisiter-la-proximite.ics"
    calendar = icalendar.Calendar.from_ical(download.path().read_bytes())
    starts = sorted(vevent.decoded("DTSTART") for vevent in calendar.walk("VEVENT"))
    assert [start.date() for start in starts] == [
        datetime.date(2022, 10, 13),
        datetime.date(2022, 12, 1),
        datetime.date(2023, 1, 10),
        datetime.date(2023, 2, 9),
    ]
    assert {start.time() for start in starts} == {datetime.time(9)}
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]


@pytest.fixture
def editor(site_url, django_user_model):
    return django_user_model.objects.create_superuser("editrice", password=PASSWORD)


SET_VALUE = """(field, value) => {
    field.value = value;
    field.dispatchEvent(new Event("change", {bubbles: true}));
}"""


def fill_session(page, index, title, date, start, end):
    page.locator(f"#id_sessions-{index}-title").fill(title)
    # The date and time fields take typed values, but their pop-up pickers then stay open over
    # the buttons below, at random: the values are set as typing would leave them.
    for name, value in [("date", date.isoformat()), ("start_time", start), ("end_time", end)]:
        page.locator(f"#id_sessions-{index}-{name}").evaluate(SET_VALUE, value)


def test_an_editor_publishes_an_event_with_two_sessions(page, site_url, editor):
    page.set_viewport_size(DESKTOP)
    agenda = EventIndexPage.objects.get()
    first = timezone.localdate() + datetime.timedelta(days=30)
    second = first + datetime.timedelta(days=14)

    log_in(page, site_url, "editrice", PASSWORD)
    page.goto(f"{site_url}/admin/pages/add/events/eventpage/{agenda.pk}/")

    page.locator("#id_title").fill("Atelier de printemps sur la proximité")
    page.locator("#id_kind").select_option(label="Atelier du club")
    page.get_by_role("tab", name="Programme").click()
    fill_session(page, 0, "Diagnostic", first, "09:00", "12:00")
    page.locator("#id_sessions-ADD").click()
    fill_session(page, 1, "Plan d'action", second, "14:00", "17:30")
    page.locator("footer .w-dropdown__toggle").first.click()
    page.get_by_role("button", name="Publier").click()

    expect(page.locator(".messages")).to_contain_text("publiée")
    event = EventPage.objects.get(title="Atelier de printemps sur la proximité")
    assert event.live and event.session_count == 2
    assert (event.first_date, event.last_date) == (first, second)

    page.goto(site_url + "/agenda/")
    upcoming = page.locator("section[aria-labelledby=a-venir]")
    new_event = upcoming.get_by_role("link", name="Atelier de printemps sur la proximité")
    expect(new_event).to_be_visible()
    expect(upcoming).to_contain_text("2 séances")
