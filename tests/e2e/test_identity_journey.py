"""The identity's pages in a browser: the home page shows events and papers on the demo
content, the next event as its hero once one is announced, the agenda and an event page at a
phone's width with the call to register in sight, without violations, sideways scrolling or
hidden content."""

import pytest
from playwright.sync_api import expect

from events.models import EventIndexPage, EventKind
from tests.factories.events import EventPageFactory, session

from .a11y import assert_no_axe_violations
from .conftest import DESKTOP, PHONE

PAGE_TYPES = {
    "home": "/",
    "standard": "/le-club/",
    "agenda": "/agenda/",
    "event": "/agenda/revisiter-la-proximite/",
    "catalogue": "/livres-blancs/",
    "paper": "/livres-blancs/la-culture-de-service/",
    "search": "/recherche/?q=culture",
}


def announce(title="Atelier de printemps", **fields):
    """An upcoming event registered on the site, in the demo's agenda."""
    return EventPageFactory(
        parent=EventIndexPage.objects.get(),
        title=title,
        slug="atelier-de-printemps",
        kind=EventKind.objects.first(),
        registration_mode="site",
        capacity=25,
        sessions=[session(12, title="Diagnostic"), session(26, title="Plan d'action")],
        **fields,
    )


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_demo_home_page_shows_events_and_papers(page, site_url, viewport):
    page.set_viewport_size(viewport)
    page.goto(site_url + "/")

    # Every seed event is past: the latest ones, and the agenda to subscribe to.
    events = page.locator("section[aria-labelledby=derniers-evenements]")
    expect(events.get_by_role("heading", name="Derniers événements")).to_be_visible()
    expect(events.locator("article.event-card")).to_have_count(3)
    expect(events.get_by_role("link", name="S'abonner à l'agenda")).to_be_visible()
    papers = page.locator("section[aria-labelledby=derniers-livres-blancs]")
    expect(papers.locator("article.paper-card")).not_to_have_count(0)
    cover = papers.locator("article.paper-card img").first
    expect(cover).to_be_visible()
    # A real cover, at its own proportions: loaded, and as tall as its image is.
    cover.scroll_into_view_if_needed()
    size = cover.evaluate(
        "img => img.complete && [img.naturalWidth, img.naturalHeight, img.width, img.height]"
    )
    assert size and size[0] > 0
    assert abs(size[0] / size[1] - size[2] / size[3]) < 0.02, size
    assert_no_axe_violations(page, "the demo home page")


def test_an_announced_event_becomes_the_hero_with_its_register_button(page, site_url):
    announce()
    page.set_viewport_size(DESKTOP)
    page.goto(site_url + "/")

    hero = page.locator("article.hero-event")
    expect(hero.get_by_role("heading", name="Atelier de printemps")).to_be_visible()
    expect(hero).to_contain_text("2 séances")
    expect(hero).to_contain_text("25 places restantes")
    expect(page.get_by_role("heading", name="Derniers événements")).to_have_count(0)
    assert_no_axe_violations(page, "the home page with its hero")

    hero.get_by_role("link", name="S'inscrire à « Atelier de printemps »").click()
    expect(page).to_have_url(site_url + "/agenda/atelier-de-printemps/inscription/")


def test_on_a_phone_the_register_bar_stays_in_sight_and_hides_nothing(page, site_url):
    announce()
    page.goto(site_url + "/agenda/atelier-de-printemps/")

    bar = page.get_by_role("complementary", name="Inscription rapide")
    expect(bar).to_be_visible()
    expect(bar).to_contain_text("25 places restantes")
    assert_no_axe_violations(page, "an open event on a phone")

    # At the very bottom, the footer's last line is above the bar, not under it.
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    bar_top = bar.bounding_box()["y"]
    last = page.locator("footer a").last.bounding_box()
    assert last["y"] + last["height"] <= bar_top + 1

    bar.get_by_role("link", name="S'inscrire à « Atelier de printemps »").click()
    expect(page).to_have_url(site_url + "/agenda/atelier-de-printemps/inscription/")


def test_at_desktop_the_summary_box_sits_beside_the_presentation(page, site_url):
    page.set_viewport_size(DESKTOP)
    page.goto(site_url + PAGE_TYPES["event"])

    summary = page.get_by_role("region", name="Dates et lieu").bounding_box()
    presentation = page.get_by_role("heading", name="Présentation de l'événement").bounding_box()
    assert summary["x"] > presentation["x"] + presentation["width"] / 2
    assert abs(summary["y"] - presentation["y"]) < 80
    expect(page.get_by_role("complementary", name="Inscription rapide")).to_be_hidden()


def test_at_desktop_the_request_form_sits_beside_the_paper(page, site_url):
    page.set_viewport_size(DESKTOP)
    page.goto(site_url + PAGE_TYPES["paper"])

    form = page.locator("#demande").bounding_box()
    title = page.get_by_role("heading", level=1).bounding_box()
    assert form["x"] > title["x"] + title["width"]
    assert form["y"] < title["y"] + title["height"]
    facts = page.locator("dl.paper-facts")
    for label in ["Éditeur", "Année", "Pages", "Langue", "Format"]:
        expect(facts.get_by_text(label, exact=True)).to_be_visible()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("path", ["/agenda/", "/agenda/atelier-de-printemps/"])
def test_no_axe_violation_with_an_upcoming_event(page, site_url, path, viewport):
    announce()
    page.set_viewport_size(viewport)
    page.goto(site_url + path)

    assert_no_axe_violations(page, path)


@pytest.mark.parametrize("path", PAGE_TYPES.values(), ids=PAGE_TYPES.keys())
def test_nothing_overflows_at_320_px_nor_at_200_percent(page, site_url, path):
    """WCAG 1.4.10: no sideways scrolling at 320 CSS pixels, which is also a 640 px window at
    200 % zoom (RGAA 10.4: text readable without loss)."""
    for width, height in [(320, 640), (640, 400)]:
        page.set_viewport_size({"width": width, "height": height})
        page.goto(site_url + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, (width, path)


def test_the_print_stylesheet_gives_a_clean_programme(page, site_url):
    page.goto(site_url + PAGE_TYPES["event"])
    page.emulate_media(media="print")

    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Programme")).to_be_visible()
    expect(page.get_by_role("region", name="Dates et lieu")).to_be_visible()
    for hidden in ["header.site-header", "footer.site-footer", "#inscription", "nav"]:
        expect(page.locator(hidden).first).to_be_hidden()
