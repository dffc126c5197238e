"""Listing cards: each rendered once per purge, and shared by every listing that shows it.

A listing (the catalogue, the agenda) asks the database only for the ids of its page of
results, in order: a narrow query, cheap to build and to run whatever the site holds. A card's
HTML depends only on its page and on rows whose saving purges the page cache, so it is kept
under the cache's generation (pagecache.store): a listing fetches, in one query, and renders
only the cards that no listing rendered since the last purge.
"""

from django.template.loader import get_template

from wagtail.models import Site

from . import store


def render_cards(request, ids, *, template, name, fetch, **context):
    """The HTML of the cards of the pages ``ids``, in that order: ``template`` rendered with
    each page as ``name`` and ``context`` (a heading level…). ``fetch(ids)`` gives the pages
    whose cards are not kept yet; one that it no longer gives (unpublished meanwhile) has none.
    """
    site = Site.find_for_request(request)
    variant = ",".join(f"{key}={value}" for key, value in sorted(context.items()))

    def render(missing):
        card = get_template(template)
        return {
            page.pk: card.render({name: page, "request": request, **context})
            for page in fetch(missing)
        }

    prefix = f"card:{template}:{site.pk if site else ''}:{variant}"
    found = store.versioned_many(prefix, ids, render)
    return [found[pk] for pk in ids if pk in found]
