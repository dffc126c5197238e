"""The frame every page shares: title and language, skip link, header search, accessibility."""

import re

import pytest
from playwright.sync_api import expect

from .a11y import assert_no_axe_violations
from .conftest import DESKTOP, PHONE


def test_home_page_loads_in_french(page, site_url):
    response = page.goto(site_url + "/")

    assert response.status == 200
    expect(page).to_have_title("Club Management HLM")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=1)).to_have_text("Club Management HLM")


def test_skip_link_is_the_first_stop_and_moves_focus_to_the_content(page, site_url):
    page.goto(site_url + "/")

    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Aller au contenu")
    expect(skip_link).to_be_focused()
    box = skip_link.bounding_box()
    assert box is not None and box["y"] >= 0, "the focused skip link must be on screen"

    page.keyboard.press("Enter")
    expect(page.locator("#contenu")).to_be_focused()
    expect(page).to_have_url(re.compile(r"#contenu$"))


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_header_search_leads_to_the_results(page, site_url, viewport):
    page.set_viewport_size(viewport)
    page.goto(site_url + "/")
    if viewport is PHONE:
        # On a phone the search box sits in the collapsed menu.
        page.get_by_role("button", name="Menu").click()

    search_box = page.get_by_role("search").get_by_label("Rechercher sur le site")
    expect(search_box).to_be_visible()
    search_box.fill("culture de service")
    search_box.press("Enter")

    expect(page).to_have_url(re.compile(r"/recherche/\?q=culture\+de\+service$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Rechercher")
    results_status = page.get_by_role("status").filter(has_text="résultat")
    expect(results_status).to_contain_text("pour « culture de service »")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("path", ["/", "/le-club/"], ids=["home", "standard-page"])
def test_no_axe_violation(page, site_url, path, viewport):
    page.set_viewport_size(viewport)
    response = page.goto(site_url + path)

    assert response.status == 200
    assert_no_axe_violations(page, path)


FOCUS_STYLE = """() => {
    const el = document.activeElement;
    const style = getComputedStyle(el);
    return {
        element: el.outerHTML.slice(0, 120),
        outline: style.outlineStyle === "none" ? 0 : parseFloat(style.outlineWidth),
    };
}"""


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize(
    "path", ["/", "/livres-blancs/la-culture-de-service/"], ids=["home", "paper-with-form"]
)
def test_every_keyboard_stop_shows_a_focus_outline(page, site_url, path, viewport):
    """RGAA 10.7: Bootstrap sets outline: 0 on buttons, fields and the menu button; the site's
    stylesheet must win everywhere."""
    page.set_viewport_size(viewport)
    page.goto(site_url + path)
    seen, missing = set(), []
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement === document.body"):
            break
        focus = page.evaluate(FOCUS_STYLE)
        if focus["element"] in seen:
            break
        seen.add(focus["element"])
        if focus["outline"] < 2:
            missing.append(focus["element"])
    assert len(seen) > 5, f"too few keyboard stops: {seen}"
    assert not missing, "no visible focus outline on:\n" + "\n".join(missing)


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/le-club/",
        "/livres-blancs/",
        "/livres-blancs/la-culture-de-service/",
        "/recherche/?q=culture",
    ],
)
def test_nothing_overflows_at_320_px(page, site_url, path):
    """WCAG 1.4.10 (reflow): no horizontal scrolling at 320 CSS pixels."""
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(site_url + path)

    assert page.evaluate("document.documentElement.scrollWidth") <= 320
