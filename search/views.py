"""The site search: /recherche/ (results) and /recherche/suggestions/ (while typing).

Every live public page is searched, whatever its type; each type says what its result shows
(search.results). Pages are ranked by how many of the query's words they hold, then by where
(search.ranking); a word no page holds gets « Vouliez-vous dire … » (search.spelling), and the
suggestion's results when the query found nothing. A results page costs a fixed number of
queries whatever the site holds: the editors' picks, one query for the counts per type and the
page of results, one for its pages, one query per page type on it for what its cards show (none
until the next purge), the popular-queries counter, and for a word no page holds its suggestion
(and the suggestion's search).
"""

import re
from itertools import groupby

from django.core.paginator import Paginator
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from wagtail.contrib.search_promotions.models import SearchPromotion
from wagtail.models import Page
from wagtail.search.utils import normalise_query_string

import pagecache
from contacts import cleaning
from pagecache.serving import public

from . import ranking, spelling, title_words
from .excerpts import excerpt, excerpt_of_match
from .results import in_kind, kind_of, kinds, label_of, shown_for
from .words import query_words

MAX_QUERY_LENGTH = 200
RESULTS_PER_PAGE = 10
SUGGESTIONS = 6
MAX_PAGE = 10_000  # beyond: the last page (an offset stays within a 64-bit integer)


def clean_query(raw):
    """What the visitor typed, on one line, printable, at most MAX_QUERY_LENGTH characters,
    cleaned like any visitor text (it is shown back: it can never spell a page-cache slot)."""
    printable = "".join(char for char in raw if char.isprintable() or char.isspace())
    return cleaning.clean(printable, max_length=MAX_QUERY_LENGTH)


def search_terms(query):
    """Only words reach the backend: quotes, brackets or operators typed by a visitor would
    otherwise be read as full-text syntax (an unbalanced quote fails on SQLite)."""
    return " ".join(re.findall(r"\w+", query))


class Result:
    """A card of the results list: the page (not specific) and what its type says it shows
    (search.results)."""

    def __init__(self, page, shown, query):
        self.page = page
        self.label = label_of(page.content_type_id)
        self.shown = shown
        self.query = query

    @property
    def title(self):
        return self.page.title

    @property
    def date(self):
        return self.shown.date

    @property
    def upcoming(self):
        ends_on = self.shown.ends_on
        return ends_on is not None and ends_on >= timezone.localdate()

    @cached_property
    def excerpt(self):
        """From the text its page type gives; from the indexed text when the searched words
        are not in it but are there; else the start of the text."""
        text, indexed = self.shown.text, self.shown.indexed_text
        for candidate in (text, indexed):
            marked = excerpt_of_match(candidate, self.query)
            if marked is not None:
                return marked
        return excerpt(text, self.query)


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


class Hits:
    """One kind of results, as the paginator reads them: the page the search already fetched
    (search.ranking.search), another one by a query of its own (a page number out of range)."""

    def __init__(self, words, pages, count, offset, fetched):
        self.words, self.pages, self.count = words, pages, count
        self.offset, self.fetched = offset, fetched

    def __len__(self):
        return self.count

    def __getitem__(self, window):
        if window.start == self.offset:
            return self.fetched
        return ranking.page_of(self.words, self.pages, window.start, window.stop - window.start)


def page_number(raw):
    """The page asked for, as the search first fetches it (the paginator has the last word:
    a page out of range, or "last", costs a query of its own)."""
    try:
        return min(MAX_PAGE, max(1, int(raw or 1)))
    except (TypeError, ValueError):
        return 1


def find(terms, pages, kind_pages, offset):
    """(words, what they find, the page of results at ``offset``) for these terms."""
    words = query_words(terms)
    found, fetched = ranking.search(words, pages, kind_pages, offset, RESULTS_PER_PAGE)
    return words, found, fetched


def search(request):
    query = clean_query(request.GET.get("q", ""))
    terms = search_terms(query)
    kind = next((kind for kind in kinds() if kind.slug == request.GET.get("type")), None)
    context = {"query": query, "kind": kind, "kinds": kinds()}
    if terms:
        pages = public(Page.objects.live())
        kind_pages = in_kind(pages, kind) if kind else None
        offset = (page_number(request.GET.get("page")) - 1) * RESULTS_PER_PAGE
        words, found, fetched = find(terms, pages, kind_pages, offset)
        suggestion = spelling.corrected(terms, found.unknown()) if found.unknown() else None
        shown_query = query
        if suggestion and not found.total:
            # Nothing for what was typed: the suggestion's results, said so.
            suggested = find(suggestion, pages, kind_pages, offset)
            if suggested[1].total:
                (words, found, fetched), shown_query = suggested, suggestion
                context["showing_suggestion"] = True
        counts = {}
        for content_type_id, count in found.counts.items():
            slug = kind_of(content_type_id).slug
            counts[slug] = counts.get(slug, 0) + count
        count = counts.get(kind.slug, 0) if kind else found.total
        paginator = CountedPaginator(
            Hits(words, in_kind(pages, kind), count, offset, fetched), RESULTS_PER_PAGE, count
        )
        results = paginator.get_page(request.GET.get("page"))
        shown = shown_for(results.object_list)
        first_page = results.number == 1
        picks = promotions(query) if first_page and kind is None else []
        picked = {pick.page_id for pick in picks}
        cards = [
            Result(page, shown[page.pk], shown_query)
            for page in results.object_list
            if page.pk not in picked and page.pk in shown
        ]
        # Upcoming events before past ones of equal relevance, the ranking's order otherwise.
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
            suggestion=suggestion,
            suggestion_url="?" + urlencode({"q": suggestion}) if suggestion else "",
            shown_query=shown_query,
            partial=bool(found.total) and len(words) > 1 and not found.every_word_met,
            filter_links=_filter_links(query, kind, counts),
            base_query="?" + urlencode({"q": query, **({"type": kind.slug} if kind else {})}),
        )
    elif query:
        context["nothing_to_search"] = True
    pagecache.reads(
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
    for kind in kinds():
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
        pages = public(Page.objects.live())
        if connection.vendor == "postgresql":
            pages = title_words.suggest(terms.split(), pages, SUGGESTIONS)
        else:  # SQLite serves development: Wagtail's autocomplete, the same words
            pages = pages.autocomplete(terms)[:SUGGESTIONS]
        found = [
            {
                "title": page.title,
                "url": page.get_url(request),
                "type": label_of(page.content_type_id),
            }
            for page in pages
        ]
    return JsonResponse({"query": terms, "results": found})
