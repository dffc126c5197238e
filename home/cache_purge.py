"""Purges the page cache, and a CDN's if one is configured, when content changes.

Our cache is purged whole: one generation number bumped (config.page_cache). A page shows
others (the home page the latest papers and next events, the catalogue its count, the agenda
its events, every page the menu and footer), so working out which pages a change touches
would be fragile; a bump is one cache write and can never leave a stale page behind.

A CDN is purged per URL (wagtail.contrib.frontend_cache): a page and its ancestors (a paper,
the catalogue, the home page) when a page changes or a row of it (a session, a price); the
pages that use a snippet or an image (Wagtail's reference index: an event's venue, a paper's
cover) and their ancestors, whose listings show them, when it changes; every live page when a
setting or a site changes, since every page's header and footer show them.

What visitors do purges nothing: a lead, a download request, a registration, a cancellation, a
promotion from the waiting list (NOT_SHOWN). An event page's seats are not kept in any cache:
they are filled in on every serve (events.seats).
"""

import logging
from functools import cache

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_migrate, post_save

from wagtail.contrib.frontend_cache.utils import PurgeBatch
from wagtail.signals import page_published, page_unpublished, post_page_move

from config import page_cache

logger = logging.getLogger(__name__)

# Models of our apps that no public page shows: saving one (a lead's POST) purges nothing.
NOT_SHOWN = {
    "contacts.lead",
    "contacts.exportlog",
    "contacts.outboundemail",
    "publications.downloadrequest",
    "publications.paperdailyviews",
    # The seats it takes are counted live on the event's page (events.seats).
    "events.registration",
}


@cache
def _shown_on_pages(model):
    """Whether saving or deleting a ``model`` can change what a public page shows."""
    from wagtail.images import get_image_model
    from wagtail.models import Page, PageViewRestriction, Site

    if issubclass(model, (Page, Site, PageViewRestriction, get_image_model())):
        return True
    label = model._meta.label_lower
    our_apps = {"home", "events", "publications", "contacts"}
    return model._meta.app_label in our_apps and label not in NOT_SHOWN


def purge(pages=None):
    """Purges our cache now and once more after the commit (a page rendered in between, from
    the old rows, is not kept); then the CDN's, for ``pages`` and their ancestors, or all."""
    page_cache.purge_all()

    def after_commit():
        page_cache.purge_all()
        if settings.WAGTAILFRONTENDCACHE:
            _purge_frontend_cache(pages)

    transaction.on_commit(after_commit)


def _purge_frontend_cache(pages):
    from wagtail.models import Page

    batch = PurgeBatch()
    if pages is None:
        batch.add_pages(Page.objects.live().specific())
    else:
        for page in pages:
            batch.add_page(page)
            batch.add_pages(page.get_ancestors().live().specific())
    try:
        batch.purge()
    except Exception:  # a CDN that is down must not fail an editor's publish
        logger.exception("Could not purge the CDN's cache")


def _page_changed(sender, instance, **kwargs):
    purge([instance])


def _saved_or_deleted(sender, instance, **kwargs):
    if kwargs.get("raw") or not _shown_on_pages(sender):
        return
    purge(_pages_showing(instance))


def _pages_showing(instance):
    """The pages that show ``instance`` (their ancestors are purged with them), or None for
    every page."""
    from django.contrib.contenttypes.models import ContentType

    from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
    from wagtail.models import Page, PageViewRestriction, ReferenceIndex, Site

    if isinstance(instance, (BaseGenericSetting, BaseSiteSetting, Site, PageViewRestriction)):
        return None
    parent = _parent_page(instance)
    if parent is not None:
        return [parent] if parent.pk else []
    if instance.pk is None:
        return []
    ids = (
        ReferenceIndex.get_references_to(instance)
        .filter(base_content_type=ContentType.objects.get_for_model(Page))
        .values_list("object_id", flat=True)
    )
    return list(Page.objects.live().filter(pk__in=[int(pk) for pk in ids]).specific())


def _parent_page(instance):
    """The page a page's row belongs to (a session, a price, a session's speaker), itself for
    a page, or None."""
    from modelcluster.fields import ParentalKey

    from wagtail.models import Page

    for _level in range(3):
        if isinstance(instance, Page):
            return instance
        keys = [f for f in instance._meta.get_fields() if isinstance(f, ParentalKey)]
        if not keys:
            return None
        instance = getattr(instance, keys[0].name, None)
        if instance is None:
            return None
    return instance if isinstance(instance, Page) else None


def _migrated(sender, **kwargs):
    """A release runs ``migrate``: what the previous code kept (its pages, and data in shapes
    it chose) is never read by the new code."""
    try:
        page_cache.purge_all()
    except Exception:  # a cache that is away must not stop a release
        logger.warning("Could not purge the page cache after migrate", exc_info=True)


def connect():
    post_migrate.connect(_migrated, dispatch_uid="page_cache_migrated")
    page_published.connect(_page_changed, dispatch_uid="page_cache_published")
    page_unpublished.connect(_page_changed, dispatch_uid="page_cache_unpublished")
    post_page_move.connect(_page_changed, dispatch_uid="page_cache_moved")
    post_save.connect(_saved_or_deleted, dispatch_uid="page_cache_saved")
    post_delete.connect(_saved_or_deleted, dispatch_uid="page_cache_deleted")
