"""A visitor types a word in the header's search box, sees suggestions, opens one; without
choosing a suggestion, the results page lists the matches with the word marked."""

import re

from playwright.sync_api import expect

from .a11y import assert_no_axe_violations
from .conftest import DESKTOP, PHONE

CYCLE_TITLE = "Revisiter la proximité à l'aune des enjeux d'aujourd'hui"
CYCLE_PATH = "/agenda/revisiter-la-proximite/"


def test_a_visitor_picks_a_suggestion_from_the_header(page, site_url):
    page.set_viewport_size(DESKTOP)
    page.goto(site_url + "/le-club/")
    box = page.get_by_role("combobox", name="Rechercher sur le site")

    box.press_sequentially("proxi", delay=40)

    suggestions = page.get_by_role("listbox", name="Suggestions")
    expect(suggestions).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    option = suggestions.get_by_role("option", name=re.compile("^Revisiter la proximité"))
    expect(option).to_be_visible()
    assert_no_axe_violations(page, "the header's suggestions")

    # With the keyboard: down to the cycle, Enter opens it.
    box.press("ArrowDown")
    while box.get_attribute("aria-activedescendant") != option.get_attribute("id"):
        box.press("ArrowDown")
    box.press("Enter")

    expect(page).to_have_url(site_url + CYCLE_PATH)
    expect(page.get_by_role("heading", level=1)).to_have_text(CYCLE_TITLE)


def test_a_visitor_searches_without_accents_on_a_phone(page, site_url):
    page.set_viewport_size(PHONE)
    page.goto(site_url + "/")
    page.get_by_role("button", name="Menu").click()
    box = page.get_by_role("combobox", name="Rechercher sur le site")
    box.fill("proximite")
    box.press("Enter")  # no suggestion chosen: the form is sent as it is

    expect(page).to_have_url(re.compile(r"/recherche/\?q=proximite$"))
    expect(page.get_by_role("status").filter(has_text="résultat")).to_contain_text(
        "pour « proximite »"
    )
    results = page.locator("ol.search-results")
    expect(results.get_by_role("link", name=CYCLE_TITLE)).to_be_visible()
    assert_no_axe_violations(page, "the results page")

    page.get_by_role("link", name=re.compile(r"^Événements \(\d+\)")).click()
    expect(page).to_have_url(re.compile(r"type=evenements"))
    results.get_by_role("link", name=CYCLE_TITLE).click()
    expect(page).to_have_url(site_url + CYCLE_PATH)
