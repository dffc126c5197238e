"""The words of each page's title on PostgreSQL, for the suggestions while typing.

Wagtail's autocomplete ranks every entry whose title holds a word starting like the typed one,
reading the wide index rows: about 13 ms over 10 000 pages for "prox". ``search_title_word``
(search/migrations/0005) holds the same words as Wagtail's autocomplete vector (the titles
through ``simple_unaccent``: lower case, no accents, no stemming), one row per word and page
with how often the title holds it, in the C collation so that a prefix is a range of its btree.
Kept in step by search.backends on indexing, like the postings (search/postings.py).

``suggest`` answers as Wagtail's autocomplete does: every typed word in the title, the last one
as the start of a word; titles holding the typed words most often first, then the newest.
"""

from django.conf import settings
from django.db import connection

from modelsearch.conf import get_app_config
from wagtail.models import Page

TABLE = "search_title_word"
# The last code point: every word that starts with w is in [w, w + LAST), a whole word in
# [w, w + FIRST) (C collation, byte order).
LAST, FIRST = "chr(1114111)", "chr(1)"


def fill_sql(entries_table, pages_table, condition="TRUE"):
    """INSERT the title words of the page entries that meet ``condition`` (SQL on ``e``)."""
    # Only table names and SQL of ours are interpolated; values are always parameters.
    return (
        f"INSERT INTO {TABLE} (word, page_id, occurrences)"  # noqa: S608  # nosec B608
        " SELECT l.lexeme, p.id, cardinality(l.positions)"
        f" FROM {entries_table} e"
        f" JOIN {pages_table} p ON e.object_id = p.id::varchar(50)"
        " AND e.content_type_id = p.content_type_id"
        " CROSS JOIN LATERAL unnest(e.autocomplete) AS l"
        f" WHERE {condition}"
        " ON CONFLICT (word, page_id) DO UPDATE SET occurrences = EXCLUDED.occurrences"
    )


def refresh(content_type_id, page_ids):
    """The title words of these pages (of this type), written again from their index entries."""
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


def suggest(terms, pages, limit):
    """The pages (not specific) among ``pages`` whose title holds every word of ``terms`` (a
    list), the last as a prefix: one query, the pages' rows included."""
    config = settings.WAGTAILSEARCH_BACKENDS["default"].get("AUTOCOMPLETE_CONFIG", "simple")
    last = len(terms) - 1
    values = ", ".join(
        f"({i}, %s::text, {'TRUE' if i == last else 'FALSE'})" for i in range(len(terms))
    )
    pages_sql, pages_params = pages.order_by().values("pk").query.sql_with_params()
    sql = (
        f"WITH typed AS (SELECT row_number() OVER () AS n, t.lexeme, v.prefix"  # noqa: S608  # nosec B608
        f" FROM (VALUES {values}) AS v(i, w, prefix)"
        " CROSS JOIN LATERAL unnest(to_tsvector(%s::regconfig, v.w)) AS t),"
        " held AS (SELECT w.page_id, COUNT(DISTINCT typed.n) AS words,"
        " SUM(w.occurrences) AS occurrences"
        f' FROM typed JOIN {TABLE} w ON w.word >= typed.lexeme COLLATE "C"'
        f" AND w.word < (typed.lexeme || CASE WHEN typed.prefix THEN {LAST} ELSE {FIRST} END)"
        ' COLLATE "C"'
        " GROUP BY w.page_id),"
        " best AS (SELECT held.page_id, held.occurrences FROM held"
        f" WHERE held.words = (SELECT COUNT(*) FROM typed) AND held.page_id IN ({pages_sql})"
        " ORDER BY held.occurrences DESC, held.page_id DESC LIMIT %s)"
        f" SELECT p.* FROM best JOIN {Page._meta.db_table} p ON p.id = best.page_id"
        " ORDER BY best.occurrences DESC, best.page_id DESC"
    )
    return list(Page.objects.raw(sql, [*terms, config, *pages_params, limit]))
