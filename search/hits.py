"""The popular-queries counter, batched per worker process.

Every first page of results counts a hit, from the page cache or not (search.views.search).
Written one by one, each hit is a database commit: a cached search ran at a third of the
speed of another cached page. Here hits are added up in the process and written together,
one UPDATE per distinct query, once SEARCH_HITS_BATCH hits are pending or
SEARCH_HITS_FLUSH_SECONDS have passed since the last write, and when the process exits
(atexit: a gunicorn worker ends with sys.exit). A worker killed outright loses at most that
many hits: a popularity report can afford it, a request cannot afford a commit.
"""

import atexit
import logging
import threading
import time
from collections import Counter

from django.conf import settings
from django.db import DatabaseError
from django.db.models import F
from django.utils import timezone

from wagtail.contrib.search_promotions.models import Query, QueryDailyHits
from wagtail.search.utils import normalise_query_string

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_pending = Counter()  # (normalised query, day) → hits not yet written
_last_flush = time.monotonic()


def record_hit(query):
    """Counts one search for ``query`` (run by the page cache on every serve)."""
    key = (normalise_query_string(query), timezone.localdate())
    with _lock:
        _pending[key] += 1
        due = (
            sum(_pending.values()) >= settings.SEARCH_HITS_BATCH
            or time.monotonic() - _last_flush >= settings.SEARCH_HITS_FLUSH_SECONDS
        )
    if due:
        flush()


def flush():
    """Writes the pending hits: one UPDATE per query and day once its row exists."""
    global _last_flush
    with _lock:
        pending = dict(_pending)
        _pending.clear()
        _last_flush = time.monotonic()
    items = list(pending.items())
    for index, ((query_string, day), hits) in enumerate(items):
        try:
            _write(query_string, day, hits)
        except DatabaseError:
            # The database is away: the visitor still gets their page, and the hits not
            # written yet wait for the next flush.
            logger.warning("Search hits not written yet", exc_info=True)
            with _lock:
                _pending.update(dict(items[index:]))
            return


def _write(query_string, day, hits):
    rows = QueryDailyHits.objects.filter(query__query_string=query_string, date=day)
    if not rows.update(hits=F("hits") + hits):
        # The day's first: get_or_create copes with another worker creating it meanwhile.
        daily, created = QueryDailyHits.objects.get_or_create(
            query=Query.get(query_string), date=day, defaults={"hits": hits}
        )
        if not created:
            rows.update(hits=F("hits") + hits)


atexit.register(flush)
