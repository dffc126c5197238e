"""The popular searches: Wagtail's own query logging, one hit per first page of results.

Every first page of results counts (search.views.search), served from the page cache or not:
the page cache runs ``record_hit`` on every serve, by this dotted path, which pages already in
the cache hold (keep it). Each hit is written at once with ``Query.get(q).add_hit()``, into the
tables Wagtail's "Termes de recherche" report and the editors' picks read.
"""

import logging

from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from wagtail.contrib.search_promotions.models import Query
from wagtail.search.utils import MAX_QUERY_STRING_LENGTH, normalise_query_string

logger = logging.getLogger(__name__)


def query_string(query):
    """The query as Wagtail stores it, and never longer than its column: lower case can make a
    text longer ("İ" becomes two characters), after Wagtail's own cut to the column's length."""
    return normalise_query_string(normalise_query_string(query)[:MAX_QUERY_STRING_LENGTH])


def record_hit(query):
    """Counts one search for ``query``. A database that fails here costs the hit, never the
    visitor's page (it may come from the page cache)."""
    normalised = query_string(query)
    if not normalised:
        return
    try:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                # A hit may be lost if the server crashes in the next split second; the visitor
                # does not wait for the disk to flush it.
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL synchronous_commit = off")
            Query.get(normalised).add_hit(date=timezone.localdate())  # the club's day
    except DatabaseError:
        logger.warning("Search hit not counted", exc_info=True)
