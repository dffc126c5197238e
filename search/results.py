"""What a search result shows of its page, asked of the page's type.

The search searches every page generically (``Page.objects``) and knows no page type. Each type
may say, beside its fields, how it is shown among results; what it leaves unsaid has a default:

- ``search_result_label`` (class attribute): one result's badge, "Événement"; "Page" otherwise.
- ``search_filter_label`` (class attribute): the filter of its own on the results page,
  "Événements", at ``?type=evenements``; types that declare none are counted under "Pages".
  Filters come in alphabetical order, "Pages" last.
- ``search_result_date()``: the date line, or a date that the search writes "13 oct. 2022";
  otherwise the day of the last publication.
- ``search_result_text()``: the plain text an excerpt is cut from; otherwise the page's search
  description.
- ``search_result_ends_on()``: the day after which what the page announces is past (results of
  equal relevance still to come are listed first); otherwise None.
- ``search_result_pages(pages)`` (class method): its queryset refined for a list of results
  (``defer_streamfields()``, ``select_related()`` for what the methods above read), so that a
  page of results costs one query per page type on it, whatever the number of results.
"""

import datetime
from dataclasses import dataclass
from functools import cache
from types import SimpleNamespace

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils.text import slugify

from modelsearch.conf import get_app_config
from wagtail.models import Page, get_page_models

import pagecache
from events.dates import short_date

from .excerpts import fold

IndexEntry = get_app_config().get_model("IndexEntry")
DEFAULT_LABEL = "Page"


@dataclass(frozen=True)
class Kind:
    """A filter of the results page: the page types that declare its label."""

    slug: str
    label: str
    models: tuple = ()  # empty: every page type without a filter of its own


OTHER_PAGES = Kind("pages", "Pages")


@cache
def kinds():
    """The filters, from the page types' own ``search_filter_label`` (set once models load)."""
    by_label = {}
    for model in get_page_models():
        label = getattr(model, "search_filter_label", None)
        if label:
            by_label.setdefault(label, []).append(model)
    ordered = sorted(by_label.items(), key=lambda item: fold(item[0]))
    return (*(Kind(slugify(label), label, tuple(models)) for label, models in ordered), OTHER_PAGES)


def model_of(content_type_id):
    """The page type of this content type (Django keeps content types in memory)."""
    return ContentType.objects.get_for_id(content_type_id).model_class() or Page


def kind_of(content_type_id):
    model = model_of(content_type_id)
    return next((kind for kind in kinds() if issubclass(model, kind.models)), OTHER_PAGES)


def label_of(content_type_id):
    return getattr(model_of(content_type_id), "search_result_label", DEFAULT_LABEL)


def in_kind(pages, kind):
    if kind is None:
        return pages
    if kind.models:
        return pages.type(*kind.models)
    return pages.not_type(*(model for other in kinds() for model in other.models))


def shown(page):
    """What a result shows of this (specific) page, kept in the cache until the next purge."""

    def ask(name, default):
        """The page type's answer; the default when it has none, or none for this page."""
        method = getattr(page, name, None)
        return (method() if method else None) or default

    published = page.last_published_at
    date = ask("search_result_date", published.date() if published else "")
    return SimpleNamespace(
        date=short_date(date) if isinstance(date, datetime.date) else date,
        text=ask("search_result_text", page.search_description) or "",
        ends_on=ask("search_result_ends_on", None),
        indexed_text="",
    )


def shown_for(pages):
    """{pk: what its result shows} for these (not specific) pages, whatever their types: read
    once per purge (pagecache), and then only for the pages no search showed since."""
    types = {page.pk: page.content_type_id for page in pages}

    def read(pks):
        by_model = {}
        for pk in pks:
            by_model.setdefault(model_of(types[pk]), []).append(pk)
        found = {}
        for model, model_pks in by_model.items():
            specific = model.objects.filter(pk__in=model_pks)
            refine = getattr(model, "search_result_pages", None)
            for page in refine(specific) if refine else specific:
                found[page.pk] = shown(page)
        if connection.vendor == "postgresql":
            # Everything the backend indexed of the page, for an excerpt around a match that is
            # not in the text above (a session title, a speaker, the body).
            entries = IndexEntry.objects.filter(
                content_type_id__in=set(types.values()), object_id__in=[str(pk) for pk in pks]
            ).values_list("content_type_id", "object_id", "body_text")
            for content_type_id, object_id, body_text in entries:
                pk = int(object_id)
                if pk in found and types[pk] == content_type_id:
                    found[pk].indexed_text = body_text
        return found

    return pagecache.versioned_many("search-result", list(types), read)
