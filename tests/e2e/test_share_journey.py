"""What a shared link shows, on the demo content: each public page type names an og:image that
the site serves, a 1200×630 PNG, as a social network's scraper would fetch it."""

import io

from PIL import Image

PAGES = {
    "accueil": "/",
    "agenda": "/agenda/",
    "événement": "/agenda/quel-projet-de-proximite-pour-les-territoires/",
    "cycle": "/agenda/revisiter-la-proximite/",
    "livres blancs": "/livres-blancs/",
    "livre blanc": "/livres-blancs/la-culture-de-service/",
    "recherche": "/recherche/?q=service",
    "page de contenu": "/le-club/",
    "page introuvable": "/cette-page-n-existe-pas/",
}


def test_each_page_type_names_a_share_image_that_exists(page, site_url, settings):
    settings.ROOT_URLCONF = "tests.e2e.media_urls"
    images = {}
    for label, path in PAGES.items():
        page.goto(site_url + path)
        meta = page.locator('meta[property="og:image"]')
        url = meta.get_attribute("content")
        assert url.startswith(site_url + "/media/share-images/"), (label, url)
        width = page.locator('meta[property="og:image:width"]').get_attribute("content")
        height = page.locator('meta[property="og:image:height"]').get_attribute("content")
        assert (width, height) == ("1200", "630"), label
        assert page.locator('meta[name="twitter:card"]').get_attribute("content") == (
            "summary_large_image"
        )

        response = page.request.get(url)
        assert response.status == 200, (label, url)
        assert response.headers["content-type"] == "image/png"
        assert Image.open(io.BytesIO(response.body())).size == (1200, 630), label
        images[label] = url

    # Events and papers their own, the other pages the site's.
    assert len({images["événement"], images["cycle"], images["livre blanc"]}) == 3
    assert images["accueil"] == images["recherche"] == images["page introuvable"]
