"""The first paint on a phone and at desktop: the font files it draws with are asked for with
the page (preloaded), none found late in the stylesheet, none for a character the preloaded
ones hold; and a white paper's cover takes its room before its file arrives, so that nothing
moves when it shows (no layout shift)."""

import pytest
from playwright.sync_api import expect
from wagtail_factories import ImageFactory

from publications.models import WhitePaperIndexPage
from tests.factories.publications import WhitePaperPageFactory

from .a11y import assert_no_axe_violations
from .conftest import DESKTOP, PHONE
from .test_identity_journey import PAGE_TYPES

VIEWPORTS = pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
COVER_PAGES = {name: PAGE_TYPES[name] for name in ("home", "catalogue", "paper")}

# Each cover's box, the top of what follows it (its card's text, or the paper's title) and,
# once its file is in, the file's proportions.
COVERS = """() => [...document.querySelectorAll("img.paper-cover")].map(img => {
    const box = img.getBoundingClientRect();
    const next = img.closest("article").querySelector(".card-body, h1");
    return {
        width: Math.round(box.width), height: Math.round(box.height),
        next: Math.round(next.getBoundingClientRect().top + window.scrollY),
        ratio: img.complete && img.naturalWidth ? img.naturalWidth / img.naturalHeight : null,
    };
})"""


def covers_held_then_loaded(page, url):
    """The covers' boxes while their files are on their way (held back), then once in."""
    held_back = []

    def hold_images(route):
        if route.request.resource_type == "image" and held_back is not None:
            held_back.append(route)
        else:
            route.continue_()

    page.route("**/*", hold_images)
    page.goto(url, wait_until="domcontentloaded")
    page.evaluate("document.fonts.ready")
    held = page.evaluate(COVERS)
    for route in held_back:
        route.continue_()
    held_back = None

    for cover in page.locator("img.paper-cover").all():
        cover.scroll_into_view_if_needed()
        expect(cover).to_have_js_property("complete", True)
    page.evaluate("window.scrollTo(0, 0)")
    return held, page.evaluate(COVERS)


def assert_covers_keep_their_room(held, loaded):
    assert loaded, "no cover on the page"
    assert all(cover["ratio"] for cover in loaded), loaded
    assert [{**cover, "ratio": None} for cover in loaded] == held
    for cover in loaded:  # the room kept is the cover's own proportions, not a blank box
        assert abs(cover["width"] / cover["height"] - cover["ratio"]) < 0.02, cover


@VIEWPORTS
@pytest.mark.parametrize("path", PAGE_TYPES.values(), ids=PAGE_TYPES.keys())
def test_the_fonts_the_page_draws_with_are_the_preloaded_ones(page, site_url, path, viewport):
    fetched = []
    page.on("request", lambda request: request.resource_type == "font" and fetched.append(request))
    page.set_viewport_size(viewport)
    page.goto(site_url + path)
    page.wait_for_load_state("networkidle")

    preloaded = page.eval_on_selector_all(
        "link[rel=preload][as=font]", "links => links.map(link => link.href)"
    )
    used = page.evaluate(
        """async () => { await document.fonts.ready;
        return [...document.fonts].filter(face => face.family === "Source Sans 3"
            && face.status === "loaded").length; }"""
    )
    assert sorted({request.url for request in fetched}) == sorted(preloaded)
    assert used == len(preloaded), "a preloaded file the page does not draw with"


@VIEWPORTS
@pytest.mark.parametrize("path", COVER_PAGES.values(), ids=COVER_PAGES.keys())
def test_a_cover_takes_its_room_before_its_file_arrives(page, site_url, path, viewport):
    page.set_viewport_size(viewport)

    held, loaded = covers_held_then_loaded(page, site_url + path)

    assert_covers_keep_their_room(held, loaded)


@VIEWPORTS
def test_a_wide_cover_keeps_its_proportions_and_its_room(page, site_url, viewport):
    wide = WhitePaperPageFactory(
        parent=WhitePaperIndexPage.objects.get(),
        title="Un livre blanc à l'italienne",
        slug="a-l-italienne",
        publication_date="2030-01-01",
        cover_image=ImageFactory(file__width=900, file__height=500),
    )
    page.set_viewport_size(viewport)

    for path in [PAGE_TYPES["catalogue"], wide.url]:
        held, loaded = covers_held_then_loaded(page, site_url + path)

        assert_covers_keep_their_room(held, loaded)
        assert loaded[0]["ratio"] == pytest.approx(1.8, abs=0.02)
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    assert_no_axe_violations(page, "a paper with a wide cover")
