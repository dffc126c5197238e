"""The postings table on PostgreSQL: for each lexeme, the pages holding it and where.

Wagtail's index keeps one row per page with its tsvectors; ranking every matching page there
means reading and comparing those wide rows for each search, about 200 ms over 10 000 pages for
"logement social". ``search_posting`` (search/migrations/0004) holds (lexeme, page id, where:
4 title, 2 summary or another boosted field (weights A to C of the body: Wagtail spreads the
site's boosts over them), 1 rest of the body (weight D)), filled from those tsvectors,
so that search.ranking reads a narrow btree only. Kept in step by search.backends on indexing.
"""

from django.db import connection

from modelsearch.conf import get_app_config
from wagtail.models import Page

TABLE = "search_posting"


def fill_sql(entries_table, pages_table, condition="TRUE"):
    """INSERT the postings of the page entries that meet ``condition`` (SQL on ``e``)."""
    # Only table names and SQL of ours are interpolated; values are always parameters.
    return (
        f"INSERT INTO {TABLE} (lexeme, page_id, fields)"  # noqa: S608  # nosec B608
        " SELECT l.lexeme, p.id, bit_or(l.flag)::smallint"
        f" FROM {entries_table} e"
        f" JOIN {pages_table} p ON e.object_id = p.id::varchar(50)"
        " AND e.content_type_id = p.content_type_id"
        " CROSS JOIN LATERAL ("
        "  SELECT lexeme, 4 AS flag FROM unnest(e.title)"
        "  UNION ALL SELECT lexeme, CASE WHEN cardinality(weights) > 0 AND weights <@ '{A,B,C}'"
        "   THEN 2 WHEN weights && '{A,B,C}' THEN 3 ELSE 1 END FROM unnest(e.body)"
        " ) AS l"
        f" WHERE {condition}"
        " GROUP BY l.lexeme, p.id"
        " ON CONFLICT (lexeme, page_id) DO UPDATE SET fields = EXCLUDED.fields"
    )


def refresh(content_type_id, page_ids):
    """The postings of these pages (of this type), written again from their index entries."""
    entries = get_app_config().get_model("IndexEntry")._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE page_id = ANY(%s)", [page_ids])  # noqa: S608  # nosec B608
        cursor.execute(
            fill_sql(entries, Page._meta.db_table, "e.content_type_id = %s AND p.id = ANY(%s)"),
            [content_type_id, page_ids],
        )


def forget(page_id):
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE page_id = %s", [page_id])  # noqa: S608  # nosec B608
