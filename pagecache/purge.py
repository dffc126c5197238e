"""Purges the page cache, and a CDN's if one is configured, when what pages show changes.

Our cache is purged whole: one generation bumped (pagecache.store). A page shows others (the
home page the latest papers and next events, the catalogue its count, the agenda its events,
every page the menu and footer), so working out which of our entries a change touches would be
fragile; a bump is one cache write and can never leave a stale page behind.

A CDN is purged per URL (wagtail.contrib.frontend_cache), and for that each model shown on
pages declares which pages show it, with ``shown_on_pages(rule)`` (a class decorator, or a
call in its app's ``ready()`` for a model that is not ours):

- ``its_page``: a page itself, or a row of one (a session, a price, a session's speaker): that
  page, and its ancestors, whose listings show it;
- ``pages_using_it``: a snippet or an image (an event's venue, a paper's cover): the pages that
  use it (Wagtail's reference index) and their ancestors;
- ``every_page``: a setting or a site, which every page's header and footer show.

A model that declares nothing is shown on no page and purges nothing: what visitors do (a
lead, a download request, a registration, a mail in the outbox) never purges.
"""

import logging

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_migrate, post_save

from wagtail.contrib.frontend_cache.utils import PurgeBatch
from wagtail.signals import page_published, page_unpublished, post_page_move

from .store import purge_all

logger = logging.getLogger(__name__)

# model class → rule (instance → the pages that show it, or None for every page)
_rules = {}


def every_page(instance):
    return None


def its_page(instance):
    """The page a row belongs to (through its ParentalKeys, up to three levels), itself for a
    page; nothing when the row is not attached to a saved page yet."""
    from modelcluster.fields import ParentalKey

    from wagtail.models import Page

    for _level in range(3):
        if isinstance(instance, Page):
            return [instance] if instance.pk else []
        keys = [f for f in instance._meta.get_fields() if isinstance(f, ParentalKey)]
        if not keys:
            return []
        instance = getattr(instance, keys[0].name, None)
        if instance is None:
            return []
    return [instance] if isinstance(instance, Page) and instance.pk else []


def pages_using_it(instance):
    """The live pages that use ``instance`` (Wagtail's reference index)."""
    from django.contrib.contenttypes.models import ContentType

    from wagtail.models import Page, ReferenceIndex

    if instance.pk is None:
        return []
    ids = (
        ReferenceIndex.get_references_to(instance)
        .filter(base_content_type=ContentType.objects.get_for_model(Page))
        .values_list("object_id", flat=True)
    )
    return list(Page.objects.live().filter(pk__in=[int(pk) for pk in ids]).specific())


def shown_on_pages(rule=pages_using_it, model=None):
    """Declares that saving or deleting a ``model`` (or one of its subclasses) changes what the
    pages ``rule(instance)`` gives show (None: every page). As a class decorator,
    ``@shown_on_pages(its_page)``; for a model that is not ours,
    ``shown_on_pages(every_page, model=Site)``."""

    def register(model):
        _rules[model] = rule
        return model

    return register if model is None else register(model)


def rule_for(model):
    for klass in model.__mro__:
        if klass in _rules:
            return _rules[klass]
    return None


def purge(pages=None):
    """Purges our cache now and once more after the commit (a page rendered in between, from
    the old rows, is not kept); then the CDN's, for ``pages`` and their ancestors, or all."""
    purge_all()

    def after_commit():
        purge_all()
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
    if kwargs.get("raw"):
        return
    rule = rule_for(sender)
    if rule is not None:
        purge(rule(instance))


def _migrated(sender, **kwargs):
    """A release runs ``migrate``: what the previous code kept (its pages, and data in shapes
    it chose) is never read by the new code."""
    try:
        purge_all()
    except Exception:  # a cache that is away must not stop a release
        logger.warning("Could not purge the page cache after migrate", exc_info=True)


def connect():
    """The signals, and the rules of Wagtail's own models that pages show."""
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import Page, PageViewRestriction, Site

    shown_on_pages(its_page, model=Page)
    shown_on_pages(pages_using_it, model=get_image_model())
    shown_on_pages(pages_using_it, model=get_document_model())
    for model in (Site, PageViewRestriction):
        shown_on_pages(every_page, model=model)

    post_migrate.connect(_migrated, dispatch_uid="page_cache_migrated")
    page_published.connect(_page_changed, dispatch_uid="page_cache_published")
    page_unpublished.connect(_page_changed, dispatch_uid="page_cache_unpublished")
    post_page_move.connect(_page_changed, dispatch_uid="page_cache_moved")
    post_save.connect(_saved_or_deleted, dispatch_uid="page_cache_saved")
    post_delete.connect(_saved_or_deleted, dispatch_uid="page_cache_deleted")
