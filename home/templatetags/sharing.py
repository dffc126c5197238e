"""What a shared link shows: the Open Graph and Twitter card values of the page in hand."""

from django import template
from django.templatetags.static import static

from wagtail.models import Page

from events.models import EventPage
from publications.models import WhitePaperPage

from .. import share_images
from ..models import StandardPage

register = template.Library()

# A page that is an article for a reader; the others (home, listings, search) are the website.
ARTICLES = (EventPage, WhitePaperPage, StandardPage)
# Before any image is drawn (a fresh deploy before make_share_images): the largest icon.
FALLBACK_ICON = ("favicons/icon-512.png", 512, 512)


@register.simple_tag(takes_context=True)
def share_meta(context, site_name):
    """The values of base.html's metadata. A page's title and description are its own; a
    template without a page object names them in ``share_title`` and ``share_description``
    (``{% with %}`` around ``{{ block.super }}``). The image is the page's (drawn when it was
    published), else the site's default: read, never drawn, once per purge."""
    request = context.get("request")
    page = context.get("page")
    if not isinstance(page, Page):
        page = None
    title = context.get("share_title") or (page and (page.seo_title or page.title)) or site_name
    description = context.get("share_description") or ""
    if not description and page is not None and hasattr(page, "get_meta_description"):
        description = page.get_meta_description() or ""
    canonical = page.get_full_url(request) if page is not None and page.url_path else None
    image = share_images.shown_image(page.pk if page is not None else None)
    if not image:
        path, width, height = FALLBACK_ICON
        image = {"url": static(path), "width": width, "height": height, "alt": site_name}
    url = canonical or (request.build_absolute_uri() if request is not None else "")
    image_url = request.build_absolute_uri(image["url"]) if request is not None else image["url"]
    return {
        "title": title,
        "description": description,
        "canonical": canonical,
        "url": url,
        "type": "article" if isinstance(page, ARTICLES) else "website",
        "site_name": site_name,
        "image": {**image, "url": image_url},
        "card": "summary_large_image" if image["width"] >= share_images.WIDTH else "summary",
    }
