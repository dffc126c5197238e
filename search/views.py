import re

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.http import urlencode

from wagtail.models import Page

MAX_QUERY_LENGTH = 200


def search(request):
    """Searches every live, public page. Ranking, filters and French stemming: see issue #6."""
    query = " ".join(request.GET.get("q", "").split())[:MAX_QUERY_LENGTH]
    query = "".join(char for char in query if char.isprintable())
    # Only words reach the search backend: quotes, brackets or operators typed by a visitor
    # would otherwise be read as full-text syntax (an unbalanced quote fails on SQLite).
    terms = " ".join(re.findall(r"\w+", query))
    results = None
    if query:
        pages = (
            Page.objects.live().public().specific().search(terms) if terms else Page.objects.none()
        )
        results = Paginator(pages, 10).get_page(request.GET.get("page"))
    return render(
        request,
        "search/search.html",
        {"query": query, "results": results, "base_query": "?" + urlencode({"q": query})},
    )
