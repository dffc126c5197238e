"""Pages ranked by how much of the query they match, on the index search.backends writes.

A page is found when it holds at least one of the query's words (search.words). Pages holding
every word come first, then those holding most of them; among equals, by where the words are:
the title (ten times the body on SQLite, twice on PostgreSQL), the summary (a boosted field:
weight A of PostgreSQL's body vector, indexed twice in SQLite's body), the rest of the body.
A query whose words never all meet in one page still finds the closest pages (``Found.best``
says how many words the best page holds).

Two queries per search whatever the site holds: ``count`` (how many pages of each type, how
many pages each word finds, the most words a page holds) and ``page_of`` (one page of results,
as pages). The pages searched are a queryset (live, public, of a type), kept in SQL.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection

from modelsearch.conf import get_app_config
from wagtail.models import Page

from .words import stem

TITLE_WEIGHT_POSTGRESQL = 2
# bm25() weights of the columns of the SQLite full-text table: autocomplete, body, title.
BM25_WEIGHTS_SQLITE = "0.0, 1.0, 10.0"


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


def _tables():
    entries = get_app_config().get_model("IndexEntry")._meta.db_table
    return entries, Page._meta.db_table


def _matches(words):
    """(FROM-and-WHERE SQL, its params, [SQL of "holds word i"], rank SQL) for the vendor."""
    entries, pages_table = _tables()
    if connection.vendor == "postgresql":
        config = settings.WAGTAILSEARCH_BACKENDS["default"].get("SEARCH_CONFIG", "french")
        word_queries = ", ".join(f"plainto_tsquery(%s, %s) AS q{i}" for i in range(len(words)))
        any_query = " || ".join(f"q{i}" for i in range(len(words)))
        source = (
            f"(SELECT {word_queries}) AS words"  # noqa: S608 (names, not values)
            f" CROSS JOIN LATERAL (SELECT {any_query} AS qany) AS query"
            f" JOIN {entries} e ON (e.title || e.body) @@ query.qany"
            f" JOIN {pages_table} p ON e.object_id = p.id::varchar(50)"
            " AND e.content_type_id = p.content_type_id"
        )
        params = [value for word in words for value in (config, word)]
        holds = [f"((e.title || e.body) @@ words.q{i})::int" for i in range(len(words))]
        rank = (
            f"ts_rank(e.title, query.qany) * {TITLE_WEIGHT_POSTGRESQL}"
            " + ts_rank(e.body, query.qany)"
        )
        return source, params, holds, rank
    fts = get_app_config().get_model("SQLiteFTSIndexEntry")._meta.db_table
    stems = [stem(word) for word in words]
    source = (
        f"{fts} JOIN {entries} e ON e.id = {fts}.rowid"
        f" JOIN {pages_table} p ON p.id = CAST(e.object_id AS INTEGER)"
        " AND p.content_type_id = e.content_type_id"
    )
    any_match = "{title body} : (" + " OR ".join(f'"{word}"' for word in stems) + ")"
    source += f" WHERE {fts} MATCH %s"
    held = f"({fts}.rowid IN (SELECT rowid FROM {fts} WHERE {fts} MATCH %s))"  # noqa: S608
    holds = [held] * len(stems)
    holds_params = ["{title body} : " + f'"{word}"' for word in stems]
    rank = f"-bm25({fts}, {BM25_WEIGHTS_SQLITE})"
    return source, [any_match], (holds, holds_params), rank


def _select(words, pages, columns):
    """The SQL of the matching entries of ``pages``, selecting ``columns`` (a function of the
    "holds word i" SQL and the rank SQL) and its params, in order."""
    source, source_params, holds, rank = _matches(words)
    holds_params = []
    if isinstance(holds, tuple):
        holds, holds_params = holds
    pages_sql, pages_params = pages.values("pk").query.sql_with_params()
    joiner = " AND " if " WHERE " in source else " WHERE "
    sql = f"SELECT {columns(holds, rank)} FROM {source}{joiner}p.id IN ({pages_sql})"  # noqa: S608
    # The columns come first in the text, then the source, then the pages.
    if connection.vendor == "postgresql":
        return sql, [*source_params, *pages_params]
    return sql, [*holds_params, *source_params, *pages_params]


def count_sql(words, pages):
    """The SQL and params of ``count``."""

    def columns(holds, rank):
        held = (f"{held} AS m{i}" for i, held in enumerate(holds))
        return ", ".join(["p.content_type_id", *held])

    inner, params = _select(words, pages, columns)
    held = " + ".join(f"m{i}" for i in range(len(words)))
    sums = ", ".join(f"SUM(m{i})" for i in range(len(words)))
    sql = (
        f"SELECT content_type_id, COUNT(*), MAX({held}), {sums}"  # noqa: S608
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

    sql, params = _select(words, pages, columns)
    sql += " ORDER BY matched DESC, relevance DESC, p.id DESC LIMIT %s OFFSET %s"
    results = list(Page.objects.raw(sql, [*params, limit, offset]))
    for page in results:
        page.score = (page.matched, round(page.relevance, 6))
    return results
