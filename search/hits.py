"""The popular searches: Wagtail's own query logging, one hit per first page of results.

Every first page of results counts (search.views.search), served from the page cache or not:
the page cache runs ``record_hit`` on every serve, by this dotted path, which pages already in
the cache hold (keep it). The hits land in the tables Wagtail's "Termes de recherche" report
and the editors' picks read (``Query``, ``QueryDailyHits``).

With Redis, hits are counted there and written in batches (pagecache.counters): written one
by one, each would cost a search served from the cache five queries and a commit. The report,
and the worker every minute, write what is pending. Without Redis, each process tallies its
hits for SEARCH_HITS_TALLY_SECONDS and then writes them, one query's hits at a time.
"""

import logging

from django.conf import settings
from django.db import DatabaseError
from django.db.models import F

from wagtail.contrib.search_promotions.models import Query, QueryDailyHits
from wagtail.search.utils import MAX_QUERY_STRING_LENGTH, normalise_query_string

from pagecache.counters import BatchedCounter, counting_transaction

logger = logging.getLogger(__name__)


def query_string(query):
    """The query as Wagtail stores it, and never longer than its column: lower case can make a
    text longer ("İ" becomes two characters), after Wagtail's own cut to the column's length."""
    return normalise_query_string(normalise_query_string(query)[:MAX_QUERY_STRING_LENGTH])


def write_hits(query, day, count):
    """``count`` more searches for ``query`` (normalised) on ``day``, in Wagtail's tables."""
    with counting_transaction():
        daily, _ = QueryDailyHits.objects.get_or_create(query=Query.get(query), date=day)
        QueryDailyHits.objects.filter(pk=daily.pk).update(hits=F("hits") + count)


hits = BatchedCounter(
    "search-hits",
    write_hits,
    batch=lambda: settings.SEARCH_HITS_BATCH,
    keep_seconds=lambda: settings.SEARCH_HITS_KEEP_SECONDS,
    tally_seconds=lambda: settings.SEARCH_HITS_TALLY_SECONDS,
)


def record_hit(query):
    """Counts one search for ``query``. A database that fails here costs the hit, never the
    visitor's page (it may come from the page cache)."""
    normalised = query_string(query)
    if not normalised:
        return
    try:
        hits.add(normalised)
    except DatabaseError:
        logger.warning("Search hit not counted", exc_info=True)


def flush_hits(days=3):
    """The searches of the last ``days`` days still counted in the cache, written."""
    hits.flush_recent(days)
