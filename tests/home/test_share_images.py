"""Shares that show (issue #24): Open Graph and Twitter card metadata on every page, with a
1200×630 image drawn when the page is published, and a favicon set."""

import io
import json
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

from django.contrib.staticfiles import finders
from django.core.files.images import ImageFile
from django.core.files.storage import default_storage
from django.core.management import call_command

import pytest
from PIL import Image

from wagtail.images import get_image_model

from events.models import EventPage
from home import share_images
from home.models import ShareImage
from publications.models import WhitePaperPage
from tests.factories.events import EventIndexPageFactory, EventPageFactory

PAGE_TYPES = {
    "/": "website",
    "/le-club/": "article",
    "/livres-blancs/": "website",
    "/livres-blancs/la-culture-de-service/": "article",
    "/agenda/": "website",
    "/agenda/revisiter-la-proximite/": "article",
    "/recherche/?q=service": "website",
}
EVENT_PATH = "/agenda/revisiter-la-proximite/"
PAPER_PATH = "/livres-blancs/la-culture-de-service/"
HOSTILE_TITLES = [
    "Atelier " * 400,  # very long, many lines
    "x" * 3000,  # one word longer than any line
    "Journée 🎉🏠 des ateliers 👩🏽‍💼 du club",  # emoji, a ZWJ sequence, a skin tone
    "يوم النادي للإسكان الاجتماعي",  # Arabic, right to left, no glyph in the font
    "שלום Club HLM עולם",  # Hebrew mixed with Latin
    "Titre\x07 avec\x1b[31m des\u202e contrôles\u200f\ufeff",  # control, bidi override, BOM
    "e\u0301\u0301\u0301\u0301 Z\u0336a\u0336l\u0336g\u0336o\u0336",  # stacked combining marks
    "\U0010fffd\ue000 privé \U0001d54f\ufb01n",  # private use, math letters, a ligature
    "   ",  # nothing to draw
]


class Head(HTMLParser):
    """The ``<meta>`` and ``<link>`` of a page's head, as a browser or a scraper reads them."""

    def __init__(self):
        super().__init__()
        self.meta = {}
        self.links = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta":
            key = attrs.get("property") or attrs.get("name")
            if key:
                self.meta[key] = attrs.get("content")
        elif tag == "link":
            self.links.append(attrs)


@pytest.fixture(autouse=True)
def drawn_on_publish(settings):
    """As in production: each publish draws the page's image (the test settings do not)."""
    settings.SHARE_IMAGES_ON_PUBLISH = True


def head_of(response):
    parser = Head()
    parser.feed(response.content.decode())
    return parser


def stored_image(url):
    """The image an og:image address names, read from the default storage (where it lives)."""
    path = urlsplit(url).path
    assert path.startswith("/media/"), url
    name = path.removeprefix("/media/")
    assert default_storage.exists(name), name
    with default_storage.open(name) as file:
        image = Image.open(file)
        image.load()
    return image


def og_image(client, path):
    response = client.get(path)
    return head_of(response).meta["og:image"]


@pytest.mark.parametrize(("path", "og_type"), PAGE_TYPES.items())
def test_every_page_type_says_what_a_share_shows(client, demo_site, path, og_type):
    response = client.get(path)
    assert response.status_code == 200
    meta = head_of(response).meta

    assert meta["og:type"] == og_type
    assert meta["og:locale"] == "fr_FR"
    assert meta["og:site_name"] == "Club Management HLM"
    assert meta["og:title"]
    assert meta["og:description"]
    assert meta["og:url"].startswith("http://testserver/")
    assert meta["twitter:card"] == "summary_large_image"
    assert meta["og:image"].startswith("http://testserver/media/share-images/")
    assert (meta["og:image:width"], meta["og:image:height"]) == ("1200", "630")
    assert meta["og:image:alt"]
    assert stored_image(meta["og:image"]).size == (1200, 630)


def test_the_not_found_page_shares_the_site_image(client, demo_site):
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    meta = head_of(response).meta

    assert meta["og:title"] == "Club Management HLM"
    assert meta["og:type"] == "website"
    assert meta["og:url"] == "http://testserver/cette-page-n-existe-pas/"
    assert stored_image(meta["og:image"]).size == (1200, 630)
    assert meta["og:image"] == og_image(client, "/le-club/")  # the default one


def test_pages_keep_their_canonical_link_and_search_its_own_words(client, demo_site):
    page = head_of(client.get("/le-club/"))
    canonical = [link["href"] for link in page.links if link.get("rel") == "canonical"]
    assert canonical == ["http://testserver/le-club/"] == [page.meta["og:url"]]

    search = head_of(client.get("/recherche/?q=service"))
    assert search.meta["robots"] == "noindex"
    assert search.meta["og:title"] == "Rechercher"
    assert search.meta["description"].startswith("Rechercher un événement")
    assert not any(link.get("rel") == "canonical" for link in search.links)


def test_events_and_papers_have_their_own_image_the_others_the_default(client, demo_site):
    event, paper = og_image(client, EVENT_PATH), og_image(client, PAPER_PATH)
    default = og_image(client, "/")
    event_page = EventPage.objects.get(slug="revisiter-la-proximite")
    paper_page = WhitePaperPage.objects.get(slug="la-culture-de-service")

    assert f"/page-{event_page.pk}-" in event
    assert f"/page-{paper_page.pk}-" in paper
    assert "/site-" in default
    assert len({event, paper, default}) == 3
    assert og_image(client, "/agenda/") == default


def test_a_paper_s_image_shows_its_cover(client, demo_site):
    """The demo paper's cover (its PDF's first page, white) on the left of the dark canvas."""
    image = stored_image(og_image(client, PAPER_PATH)).convert("RGB")
    background = Image.new("RGB", (1, 1), share_images.BACKGROUND).getpixel((0, 0))

    assert image.getpixel((1100, 315)) == background  # beside the title
    assert image.getpixel((200, 315)) != background  # on the cover


def test_publishing_a_new_title_draws_a_new_image(client, demo_site):
    event = EventPage.objects.get(slug="revisiter-la-proximite")
    before = og_image(client, EVENT_PATH)

    event.title = "Revisiter la proximité, saison 2"
    event.save_revision().publish()

    after = og_image(client, EVENT_PATH)
    assert after != before
    assert stored_image(after).size == (1200, 630)
    assert stored_image(before).size == (1200, 630)  # links already shared still show it
    assert ShareImage.objects.get(page=event).alt.startswith("Revisiter la proximité, saison 2")

    # Published again unchanged: the same image, at the same address.
    event.save_revision().publish()
    assert og_image(client, EVENT_PATH) == after


def test_a_page_published_before_gets_its_image_on_its_next_publish(client, home):
    agenda = EventIndexPageFactory(parent=home)
    event = EventPageFactory(parent=agenda, slug="avant", title="Un atelier d'avant")
    assert not ShareImage.objects.filter(page=event).exists()

    # Served meanwhile: nothing is drawn by a visit, the icon stands in.
    meta = head_of(client.get(event.url)).meta
    assert meta["og:image"] == "http://testserver/static/favicons/icon-512.png"
    assert (meta["og:image:width"], meta["twitter:card"]) == ("512", "summary")
    assert not ShareImage.objects.exists()

    event.save_revision().publish()

    meta = head_of(client.get(event.url)).meta
    assert f"/page-{event.pk}-" in meta["og:image"]
    assert stored_image(meta["og:image"]).size == (1200, 630)
    assert meta["og:image:alt"].startswith("Un atelier d'avant – ")
    assert ShareImage.objects.filter(page__isnull=True).count() == 1  # and the default


def test_the_command_draws_every_page_s_image_in_chunks(client, demo_site, settings, monkeypatch):
    monkeypatch.setattr(share_images, "CHUNK", 2)
    ShareImage.objects.all().delete()
    out = io.StringIO()

    call_command("make_share_images", stdout=out)

    live = EventPage.objects.live().count() + WhitePaperPage.objects.live().count()
    assert ShareImage.objects.filter(page__isnull=False).count() == live
    assert ShareImage.objects.filter(page__isnull=True).count() == 1
    assert f"{live + 1} dessinée(s) ou changée(s)" in out.getvalue()
    assert stored_image(og_image(client, EVENT_PATH)).size == (1200, 630)

    call_command("make_share_images", stdout=(again := io.StringIO()))
    assert "0 dessinée(s) ou changée(s)" in again.getvalue()


def test_the_demo_content_has_its_images(demo_site):
    live = EventPage.objects.live().count() + WhitePaperPage.objects.live().count()
    assert ShareImage.objects.filter(page__isnull=False).count() == live
    for row in ShareImage.objects.all():
        assert default_storage.exists(row.file)


@pytest.mark.parametrize("title", HOSTILE_TITLES)
def test_hostile_titles_draw(title):
    for image in (
        share_images.draw_event(title, title, title, title, title),
        share_images.draw_paper(title, Image.new("RGB", (600, 850), "white"), title),
        share_images.draw_paper(title, None, title),
        share_images.draw_default(title),
    ):
        assert image.size == (1200, 630)
        assert share_images.png_bytes(image).startswith(b"\x89PNG")


def test_a_hostile_title_is_published_and_drawn(client, home):
    agenda = EventIndexPageFactory(parent=home)
    event = EventPageFactory(parent=agenda, slug="hostile", title=HOSTILE_TITLES[2])
    event.title = "".join(HOSTILE_TITLES[:8])[:255]
    event.save_revision().publish()

    assert stored_image(og_image(client, event.url)).size == (1200, 630)


def test_an_unreadable_cover_draws_the_title_alone(client, paper):
    image_model = get_image_model()
    picture = io.BytesIO()
    Image.new("RGB", (60, 80), "red").save(picture, format="PNG")
    cover = image_model.objects.create(
        title="Couverture", file=ImageFile(picture, name="couverture.png")
    )
    paper.cover_image = cover
    paper.save_revision().publish()
    drawn = stored_image(og_image(client, paper.url)).convert("RGB")
    assert drawn.getpixel((100, 315)) == (255, 0, 0)  # the cover, fitted

    default_storage.delete(cover.file.name)  # gone from the bucket
    paper.title = "Un livre blanc sans couverture lisible"
    paper.save_revision().publish()

    drawn = stored_image(og_image(client, paper.url)).convert("RGB")
    assert drawn.getpixel((100, 315)) != (255, 0, 0)


def test_long_titles_shrink_then_end_with_an_ellipsis():
    short = share_images.fit("Un atelier", 1000, 300)
    long = share_images.fit("Un atelier du club " * 30, 1000, 300)

    assert short[0].size > long[0].size
    assert long[1][-1].endswith("…")
    assert len(long[1]) * long[2] <= 300
    assert all(long[0].getlength(line) <= 1000 for line in long[1])


def test_the_favicon_set_is_linked_and_sized(client, standard_page):
    links = head_of(client.get(standard_page.url)).links
    hrefs = {(link["rel"], link.get("sizes")): link["href"] for link in links}

    assert hrefs[("icon", None)] == "/static/img/favicon.svg"
    assert hrefs[("icon", "32x32")] == "/static/favicons/icon-32.png"
    assert hrefs[("apple-touch-icon", None)] == "/static/favicons/apple-touch-icon.png"
    assert hrefs[("manifest", None)] == "/static/favicons/site.webmanifest"
    for name, size in [("icon-32", 32), ("apple-touch-icon", 180)]:
        assert Image.open(finders.find(f"favicons/{name}.png")).size == (size, size)

    manifest = json.loads(Path(finders.find("favicons/site.webmanifest")).read_text("utf-8"))
    assert manifest["lang"] == "fr"
    assert manifest["name"] == "Club Management HLM"
    for icon in manifest["icons"]:
        size = int(icon["sizes"].split("x")[0])
        assert Image.open(finders.find(f"favicons/{icon['src']}")).size == (size, size)
    assert {icon["sizes"] for icon in manifest["icons"]} == {"192x192", "512x512"}
