"""The site search: /recherche/ (results) and /recherche/suggestions/ (while typing).

A results page costs a fixed number of queries whatever the site holds: the editors' picks, one
facet query for the counts per type, the page of results, one query for the details its cards
show (dates, summaries), and the popular-queries counter.
"""

import html
import re
from dataclasses import dataclass
from itertools import groupby
from types import SimpleNamespace

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import CharField, OuterRef, Subquery, TextField
from django.db.models.functions import Cast, Coalesce
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import strip_tags
from django.utils.http import urlencode
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from modelsearch.conf import get_app_config
from wagtail.contrib.search_promotions.models import SearchPromotion
from wagtail.models import Page
from wagtail.search.utils import normalise_query_string

from config import page_cache
from contacts import cleaning
from events.dates import date_range, short_date
from events.models import EventIndexPage, EventPage
from home.models import HomePage, StandardPage
from home.serving import public
from publications.models import WhitePaperIndexPage, WhitePaperPage

from .excerpts import contains_match, excerpt

MAX_QUERY_LENGTH = 200
RESULTS_PER_PAGE = 10
IndexEntry = get_app_config().get_model("IndexEntry")
SUGGESTIONS = 6


@dataclass(frozen=True)
class Kind:
    slug: str
    label: str  # the filter's label
    name: str  # one result's label
    models: tuple = ()  # empty: every page that is not of another kind


KINDS = (
    Kind("evenements", "Événements", "Événement", (EventPage,)),
    Kind("livres-blancs", "Livres blancs", "Livre blanc", (WhitePaperPage,)),
    Kind("pages", "Pages", "Page"),
)
OTHER_PAGES = KINDS[-1]


def clean_query(raw):
    """What the visitor typed, on one line, printable, at most MAX_QUERY_LENGTH characters,
    cleaned like any visitor text (it is shown back: it can never spell a page-cache slot)."""
    printable = "".join(char for char in raw if char.isprintable() or char.isspace())
    return cleaning.clean(printable, max_length=MAX_QUERY_LENGTH)


def search_terms(query):
    """Only words reach the backend: quotes, brackets or operators typed by a visitor would
    otherwise be read as full-text syntax (an unbalanced quote fails on SQLite)."""
    return " ".join(re.findall(r"\w+", query))


def kind_of(content_type_id):
    for kind in KINDS:
        for model in kind.models:
            if ContentType.objects.get_for_model(model).pk == content_type_id:
                return kind
    return OTHER_PAGES


def in_kind(queryset, kind):
    if kind is None:
        return queryset
    if kind.models:
        return queryset.type(*kind.models)
    return queryset.not_type(*(model for other in KINDS for model in other.models))


class Result:
    """A card of the results list: the page (not specific) with its details."""

    def __init__(self, page, details, query):
        self.page = page
        self.kind = kind_of(page.content_type_id)
        self.details = details
        self.query = query

    @property
    def title(self):
        return self.page.title

    @property
    def upcoming(self):
        last = self.details.event_last
        return last is not None and last >= timezone.localdate()

    @property
    def date(self):
        details = self.details
        if details.event_first:
            return date_range(details.event_first, details.event_last, details.event_sessions)
        if details.paper_date:
            return short_date(details.paper_date)
        if self.page.last_published_at:
            return short_date(self.page.last_published_at.date())
        return ""

    @cached_property
    def excerpt(self):
        """From the summary (or introduction); from the indexed text when the searched words
        are not in it but are there."""
        details = self.details
        text = details.summary_text or details.search_description
        if not text and details.intro_text:
            text = html.unescape(strip_tags(details.intro_text))
        indexed = details.indexed_text
        if indexed and not contains_match(text or "", self.query):
            text = indexed if contains_match(indexed, self.query) else text
        return excerpt(" ".join(text.split()), self.query) if text else ""


DETAILS = (
    "event_first",
    "event_last",
    "event_sessions",
    "paper_date",
    "summary_text",
    "intro_text",
    "search_description",
    "indexed_text",
)


def _details(pages):
    """The summary, intro and dates of these pages, whatever their types: what a result shows
    of its page changes only when the page is published, so it is kept until the next purge
    (config.page_cache), and only the pages no search showed since then are read, in one
    query."""
    return page_cache.versioned_many("search-details", [page.pk for page in pages], _read_details)


def _read_details(pks):
    def field(model, name):
        return Subquery(model.objects.filter(pk=OuterRef("pk")).values(name)[:1])

    rows = Page.objects.filter(pk__in=pks).annotate(
        event_first=field(EventPage, "first_date"),
        event_last=field(EventPage, "last_date"),
        event_sessions=field(EventPage, "session_count"),
        paper_date=field(WhitePaperPage, "publication_date"),
        summary_text=Coalesce(
            field(EventPage, "summary"),
            field(WhitePaperPage, "summary"),
            field(StandardPage, "summary"),
            output_field=TextField(),
        ),
        intro_text=Coalesce(
            field(HomePage, "intro"),
            field(WhitePaperIndexPage, "intro"),
            field(EventIndexPage, "intro"),
            output_field=TextField(),
        ),
    )
    if connection.vendor == "postgresql":
        # Everything the backend indexed of the page, for an excerpt around a match that is not
        # in the summary (a session title, a speaker, the body).
        entries = IndexEntry.objects.filter(
            content_type_id=OuterRef("content_type_id"),
            object_id=Cast(OuterRef("pk"), output_field=CharField()),
        )
        rows = rows.annotate(indexed_text=Subquery(entries.values("body_text")[:1]))
    return {
        row.pk: SimpleNamespace(**{name: getattr(row, name, "") for name in DETAILS})
        for row in rows.only("pk", "search_description")
    }


class CountedPaginator(Paginator):
    """A paginator told its count: the facet query already gave it, no COUNT query needed."""

    def __init__(self, object_list, per_page, count):
        super().__init__(object_list, per_page)
        self.count = count


def promotions(query):
    """The editors' picks for this query, in their order: live pages or external links."""
    picks = (
        SearchPromotion.objects.filter(query__query_string=normalise_query_string(query))
        .select_related("page")
        .order_by("sort_order")
    )
    return [pick for pick in picks if pick.page_id is None or pick.page.live]


def search(request):
    query = clean_query(request.GET.get("q", ""))
    terms = search_terms(query)
    kind = next((kind for kind in KINDS if kind.slug == request.GET.get("type")), None)
    context = {"query": query, "kind": kind, "kinds": KINDS}
    if terms:
        pages = public(Page.objects.live())
        counts = {}
        for content_type_id, count in pages.search(terms).facet("content_type_id").items():
            slug = kind_of(content_type_id).slug
            counts[slug] = counts.get(slug, 0) + count
        paginator = CountedPaginator(
            in_kind(pages, kind).search(terms).annotate_score("score"),
            RESULTS_PER_PAGE,
            counts.get(kind.slug, 0) if kind else sum(counts.values()),
        )
        results = paginator.get_page(request.GET.get("page"))
        details = _details(results.object_list)
        first_page = results.number == 1
        picks = promotions(query) if first_page and kind is None else []
        picked = {pick.page_id for pick in picks}
        cards = [
            Result(page, details[page.pk], query)
            for page in results.object_list
            if page.pk not in picked and page.pk in details
        ]
        # Upcoming events before past ones of equal relevance, the backend's order otherwise.
        # Done here, not in SQL: a second sort key there made PostgreSQL 20 times slower over
        # 10 000 pages. Ties across two pages of results are left as they are.
        cards = [
            card
            for _score, tied in groupby(cards, key=lambda card: card.page.score)
            for card in sorted(tied, key=lambda card: not card.upcoming)
        ]
        context.update(
            results=results,
            cards=cards,
            picks=picks,
            filter_links=_filter_links(query, kind, counts),
            base_query="?" + urlencode({"q": query, **({"type": kind.slug} if kind else {})}),
        )
    elif query:
        context["nothing_to_search"] = True
    page_cache.reads(
        request,
        q=query,
        type=kind.slug if kind else "",
        page=context["results"].number if terms and "page" in request.GET else "",
    )
    response = render(request, "search/search.html", context)
    if terms and request.GET.get("page", "1") == "1":  # a search, not a visitor turning pages
        # Counted by the page cache on every serve: a search answered from the cache counts.
        response.page_cache_hooks = [("search.hits.record_hit", (query,))]
    return response


def _filter_links(query, chosen, counts):
    links = [
        {
            "label": "Tout",
            "count": sum(counts.values()),
            "url": "?" + urlencode({"q": query}),
            "active": chosen is None,
        }
    ]
    for kind in KINDS:
        links.append(
            {
                "label": kind.label,
                "count": counts.get(kind.slug, 0),
                "url": "?" + urlencode({"q": query, "type": kind.slug}),
                "active": kind == chosen,
            }
        )
    return links


@require_GET
@cache_control(public=True, max_age=60)
def suggestions(request):
    """Titles that start like what is being typed, for the header's search box (JSON)."""
    terms = search_terms(clean_query(request.GET.get("q", "")))
    found = []
    if len(terms) >= 2:
        pages = public(Page.objects.live()).autocomplete(terms)[:SUGGESTIONS]
        found = [
            {
                "title": page.title,
                "url": page.get_url(request),
                "type": kind_of(page.content_type_id).name,
            }
            for page in pages
        ]
    return JsonResponse({"query": terms, "results": found})
