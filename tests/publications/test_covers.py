"""The catalogue's covers: the first one, above the fold (on a phone the largest thing on the
screen), is not lazy, so the browser fetches it as it reads the page; the others wait until
they near the screen.
Every cover says its width and height, from which the page reserves its room."""

from html.parser import HTMLParser

from wagtail_factories import ImageFactory

from tests.factories.publications import WhitePaperPageFactory


class Covers(HTMLParser):
    """The attributes of each cover's <img>, in the page's order."""

    def __init__(self):
        super().__init__()
        self.images = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "img" and "paper-cover" in attrs.get("class", "").split():
            self.images.append(attrs)


def covers_of(response):
    parser = Covers()
    parser.feed(response.content.decode())
    return parser.images


def test_the_first_cover_is_not_lazy_and_the_others_are(client, catalogue):
    cover = ImageFactory()
    for _ in range(4):
        WhitePaperPageFactory(parent=catalogue, cover_image=cover)

    for _ in range(2):  # the second time from the cards kept in the cache
        covers = covers_of(client.get(catalogue.url))

        assert len(covers) == 4
        first, *others = covers
        assert first["loading"] == "eager"
        assert all(img["loading"] == "lazy" for img in others)
        assert all(int(img["width"]) > 0 and int(img["height"]) > 0 for img in covers)


def test_each_page_of_the_catalogue_has_its_own_first_cover_not_lazy(client, catalogue):
    cover = ImageFactory()
    for _ in range(catalogue.papers_per_page + 2):
        WhitePaperPageFactory(parent=catalogue, cover_image=cover)

    first_page = covers_of(client.get(catalogue.url))
    second_page = covers_of(client.get(catalogue.url, {"page": 2}))

    assert [img["loading"] for img in first_page].count("eager") == 1
    assert [img["loading"] for img in second_page] == ["eager", "lazy"]


def test_the_home_page_and_a_paper_s_related_cards_stay_lazy(client, catalogue, home):
    """Below the fold there: the first card is the catalogue's alone."""
    WhitePaperPageFactory(parent=catalogue, cover_image=ImageFactory())

    covers = covers_of(client.get(home.url))

    assert covers
    assert all(img["loading"] == "lazy" for img in covers)
