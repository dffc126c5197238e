"""Pages ranked by how much of the query they match, on the index search.backends writes.

A page is found when it holds at least one of the query's words (search.words). Pages holding
every word come first, then those holding most of them; among equals, by where the words are:
- PostgreSQL: from the postings (search/postings.py), each word weighs 4 in a title, 2 in a
  summary (a boosted field), 1 in the rest of the body; newer pages first among equals;
- SQLite: FTS5's bm25, the title weighing ten times the body, the summary indexed twice there.
A query whose words never all meet in one page still finds the closest pages (``Found.best``
says how many words the best page holds).

``search`` answers a page of results in one query whatever the site holds: the matching pages
ranked once, then counted (per page type, per word, the most words a page holds) and cut to the
page asked for, with the rows of its pages. The pages searched are a
queryset (live, public, of a type), kept in SQL. ``count`` and ``page_of`` do each half alone.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection

from modelsearch.conf import get_app_config
from wagtail.models import Page

from .words import stem

POSTINGS = "search_posting"
# A word's weight on PostgreSQL by where the page holds it: title 4, summary 2, rest of body 1.
FIELD_WEIGHTS = "({0} & 4 > 0)::int * 4 + ({0} & 2 > 0)::int * 2 + ({0} & 1 > 0)::int"
# bm25() weights of the columns of the SQLite full-text table: autocomplete, body, title.
BM25_WEIGHTS_SQLITE = "0.0, 1.0, 10.0"
# A page's columns, and the names its queryset's values() gives them.
PAGE_COLUMNS = [field.column for field in Page._meta.concrete_fields]
PAGE_FIELDS = [field.attname for field in Page._meta.concrete_fields]
# What the ranking reads of each page searched (see _parts).
SEARCHED_COLUMNS = ("id", "content_type_id")


@dataclass
class Found:
    words: list
    counts: dict = field(default_factory=dict)  # {content type id: pages}
    per_word: dict = field(default_factory=dict)  # {word: pages holding it}
    best: int = 0  # the most query words a page holds

    @property
    def total(self):
        return sum(self.counts.values())

    @property
    def every_word_met(self):
        return self.best >= len(self.words)

    def unknown(self):
        """The query's words that no page holds."""
        return [word for word in self.words if not self.per_word.get(word)]


@dataclass
class Matches:
    """The SQL pieces of the pages matching some words: ``SELECT <columns> FROM <source>``, the
    columns built from ``holds`` (SQL of "holds word i", 0 or 1) and ``rank``. The source joins
    the pages searched as ``p`` where it says ``{pages}``, their params before its own."""

    source: str
    source_params: list
    holds: list
    holds_params: list
    rank: str
    prefix: str = ""  # a WITH clause
    prefix_params: list = field(default_factory=list)


def _matches_postgresql(words):
    """On the postings (search/migrations/0004): each word's lexemes, the pages holding them
    and where (flags: 4 title, 2 summary, 1 rest of the body), from a narrow btree alone, in
    one pass: per page, where it holds each word (NULL: not at all)."""
    config = settings.WAGTAILSEARCH_BACKENDS["default"].get("SEARCH_CONFIG", "french")
    values = ", ".join(f"({i}, %s::text)" for i in range(len(words)))
    where = ", ".join(
        f"bit_or(po.fields) FILTER (WHERE query.i = {i}) AS f{i}" for i in range(len(words))
    )
    prefix = (
        f"WITH query AS (SELECT v.i, t.lexeme FROM (VALUES {values}) AS v(i, w)"  # noqa: S608  # nosec B608
        " CROSS JOIN LATERAL unnest(to_tsvector(%s::regconfig, v.w)) AS t),"
        f" found AS (SELECT po.page_id, {where} FROM query"
        f" JOIN {POSTINGS} po ON po.lexeme = query.lexeme GROUP BY po.page_id) "
    )
    return Matches(
        source="found JOIN ({pages}) p ON p.id = found.page_id",
        source_params=[],
        holds=[f"(found.f{i} IS NOT NULL)::int" for i in range(len(words))],
        holds_params=[],
        rank=" + ".join(
            "(" + FIELD_WEIGHTS.format(f"COALESCE(found.f{i}, 0)") + ")" for i in range(len(words))
        ),
        prefix=prefix,
        prefix_params=[*words, config],
    )


def _matches_sqlite(words):
    """On the FTS5 table: one MATCH for every word, one per word for what each page holds."""
    entries = get_app_config().get_model("IndexEntry")._meta.db_table
    fts = get_app_config().get_model("SQLiteFTSIndexEntry")._meta.db_table
    stems = [stem(word) for word in words]
    any_match = "{title body} : (" + " OR ".join(f'"{word}"' for word in stems) + ")"
    held = f"({fts}.rowid IN (SELECT rowid FROM {fts} WHERE {fts} MATCH %s))"  # noqa: S608  # nosec B608
    return Matches(
        source=(
            f"{fts} JOIN {entries} e ON e.id = {fts}.rowid"
            " JOIN ({pages}) p ON p.id = CAST(e.object_id AS INTEGER)"
            f" AND p.content_type_id = e.content_type_id WHERE {fts} MATCH %s"
        ),
        source_params=[any_match],
        holds=[held] * len(stems),
        holds_params=["{title body} : " + f'"{word}"' for word in stems],
        rank=f"-bm25({fts}, {BM25_WEIGHTS_SQLITE})",
    )


def _parts(words, pages, columns, column_params=(), page_columns=SEARCHED_COLUMNS):
    """(WITH clause or "", SELECT of the matching pages of ``pages``, params in order): the
    columns are a function of the "holds word i" SQL and the rank SQL; ``column_params`` are the
    params of the columns' own SQL, after those of the holds. ``pages`` is read once, as the
    table ``p`` of its ``page_columns``: on PostgreSQL an index-only scan of the live pages
    (search/migrations/0006), where a join to the page table and a ``p.id IN (pages)`` read
    the whole table twice (10 ms of a 24 ms search over 10 000 pages)."""
    if connection.vendor == "postgresql":
        matches = _matches_postgresql(words)
    else:
        matches = _matches_sqlite(words)
    pages_sql, pages_params = pages.order_by().values(*page_columns).query.sql_with_params()
    body = (
        f"SELECT {columns(matches.holds, matches.rank)}"  # noqa: S608  # nosec B608
        f" FROM {matches.source.format(pages=pages_sql)}"
    )
    params = [
        *matches.prefix_params,
        *matches.holds_params,
        *column_params,
        *pages_params,
        *matches.source_params,
    ]
    return matches.prefix.strip(), body, params


def _select(words, pages, columns, page_columns=SEARCHED_COLUMNS):
    prefix, body, params = _parts(words, pages, columns, page_columns=page_columns)
    return f"{prefix} {body}".strip(), params


def count_sql(words, pages):
    """The SQL and params of ``count``."""

    def columns(holds, rank):
        held = (f"{held} AS m{i}" for i, held in enumerate(holds))
        return ", ".join(["p.content_type_id", *held])

    inner, params = _select(words, pages, columns)
    held = " + ".join(f"m{i}" for i in range(len(words)))
    sums = ", ".join(f"SUM(m{i})" for i in range(len(words)))
    sql = (
        f"SELECT content_type_id, COUNT(*), MAX({held}), {sums}"  # noqa: S608  # nosec B608
        f" FROM ({inner}) AS matched GROUP BY content_type_id"
    )
    return sql, params


def count(words, pages):
    """What ``words`` find among ``pages``: one query."""
    found = Found(words=list(words))
    if not words:
        return found
    with connection.cursor() as cursor:
        cursor.execute(*count_sql(words, pages))
        rows = cursor.fetchall()
    for content_type_id, pages_found, best, *per_word in rows:
        found.counts[content_type_id] = pages_found
        found.best = max(found.best, best or 0)
        for word, holding in zip(words, per_word, strict=True):
            found.per_word[word] = found.per_word.get(word, 0) + (holding or 0)
    return found


def page_of(words, pages, offset, limit):
    """One page of results: pages (not specific), most words first, then by rank; each with
    ``matched`` (how many words it holds) and ``score`` ((matched, relevance), for ties)."""
    if not words:
        return []

    def columns(holds, rank):
        return f"p.*, ({' + '.join(holds)}) AS matched, {rank} AS relevance"

    sql, params = _select(words, pages, columns, page_columns=PAGE_FIELDS)
    sql += " ORDER BY matched DESC, relevance DESC, p.id DESC LIMIT %s OFFSET %s"
    results = list(Page.objects.raw(sql, [*params, limit, offset]))
    for page in results:
        page.score = (page.matched, round(page.relevance, 6))
    return results


def search(words, pages, kind_pages, offset, limit):
    """(Found among ``pages``, one page of results among ``kind_pages``, a subset of them, or all
    of them when None) in one query: the matching pages are ranked once, then both counted (one
    row per page type) and cut to the page, whose rows come with it (one row per page)."""
    found = Found(words=list(words))
    if not words:
        return found, []
    kind_sql, kind_params = "1 = 1", []
    if kind_pages is not None:
        kind_query, kind_params = kind_pages.order_by().values("pk").query.sql_with_params()
        kind_sql = f"p.id IN ({kind_query})"

    def columns(holds, rank):
        held = [f"{held} AS m{i}" for i, held in enumerate(holds)]
        return ", ".join(
            [
                "p.id AS page_id",
                "p.content_type_id AS content_type_id",
                *held,
                f"{rank} AS relevance",
                f"CASE WHEN {kind_sql} THEN 1 ELSE 0 END AS in_kind",
            ]
        )

    prefix, body, params = _parts(words, pages, columns, kind_params)
    sums = ", ".join(f"SUM(m{i}) AS search_m{i}" for i in range(len(words)))
    zeros = ", ".join("0" for _ in words)
    matched = " + ".join(f"m{i}" for i in range(len(words)))
    # The rows of a page type's count leave the page's columns empty (NULL).
    other_columns = [column for column in PAGE_COLUMNS if column != "content_type_id"]
    empty = ", ".join(f"NULL AS {column}" for column in other_columns)
    page_columns = ", ".join(f"p.{column}" for column in other_columns)
    sql = (
        f"{prefix}{'WITH' if not prefix else ','} ranked AS ({body})"  # noqa: S608  # nosec B608
        " SELECT 0 AS search_row, content_type_id, COUNT(*) AS search_first,"
        f" MAX({matched}) AS search_second, {sums}, {empty}"
        " FROM ranked GROUP BY content_type_id"
        f" UNION ALL SELECT 1, one_page.content_type_id, one_page.matched, one_page.relevance,"
        f" {zeros}, {page_columns} FROM (SELECT page_id, content_type_id,"
        f" {matched} AS matched, relevance FROM ranked WHERE in_kind = 1"
        " ORDER BY matched DESC, relevance DESC, page_id DESC LIMIT %s OFFSET %s) AS one_page"
        f" JOIN {Page._meta.db_table} p ON p.id = one_page.page_id"
    )
    results = []
    for row in Page.objects.raw(sql, [*params, limit, offset]):
        if row.search_row == 0:
            found.counts[row.content_type_id] = row.search_first
            found.best = max(found.best, row.search_second or 0)
            for i, word in enumerate(words):
                holding = getattr(row, f"search_m{i}") or 0
                found.per_word[word] = found.per_word.get(word, 0) + holding
        else:
            row.matched, relevance = row.search_first, float(row.search_second)
            row.score = (row.matched, round(relevance, 6))
            results.append((row.matched, relevance, row.pk, row))
    # The order of the page's own ORDER BY (most words, rank, newest), which a UNION may lose.
    results.sort(key=lambda ranked: ranked[:3], reverse=True)
    return found, [page for *_key, page in results]
