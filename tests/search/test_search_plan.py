"""The two indexes of search/migrations/0002 serve the SQL Wagtail's backend really sends.

An index only helps while its expression is exactly the query's: if a Wagtail upgrade changed
the search SQL (``body || title``, another cast), the indexes would be left unused and a search
over many pages would be slow again without any test failing on speed. The plans are read with
EXPLAIN, PostgreSQL being left no other way than these indexes: sequential scans and the other
joins turned off, and Wagtail's own btree indexes on the entries dropped inside the test's
transaction (rolled back with it). A plan over a handful of rows otherwise depends on
statistics that earlier tests leave behind.
"""

from django.db import connection, transaction

import pytest

from wagtail.models import Page

from search import ranking, title_words
from tests.factories.home import StandardPageFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL query plans"),
]


def plan(queryset, *settings):
    sql, params = queryset.query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        for setting in settings:
            cursor.execute(f"SET LOCAL {setting} = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def search_sql(queryset):
    """The queryset Wagtail's backend builds for a page of results (score and LIMIT included)."""
    results = queryset.search("logement social").annotate_score("score")
    return results.query_compiler.search(
        results.query_compiler.get_config(results.backend), 0, 10, score_field="score"
    )


@pytest.fixture
def only_our_indexes_reach_the_entries(home):
    """A page to find, then no btree index left on the entries (content type, object id)."""
    StandardPageFactory(parent=home, title="Le logement social")
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # checks the rows written so far
        cursor.execute(
            "SELECT conname FROM pg_constraint"
            " WHERE conrelid = 'wagtailsearch_indexentry'::regclass AND contype = 'u'"
        )
        for (name,) in cursor.fetchall():
            cursor.execute(f'ALTER TABLE wagtailsearch_indexentry DROP CONSTRAINT "{name}"')
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'wagtailsearch_indexentry'"
            " AND indexdef LIKE '%USING btree (content_type_id%'"
        )
        for (name,) in cursor.fetchall():
            cursor.execute(f'DROP INDEX "{name}"')
        # The live pages' index (search/migrations/0006) serves search.ranking's own SQL: with
        # it, a plan over a handful of rows may start from the pages instead.
        cursor.execute("DROP INDEX IF EXISTS search_live_page_idx")


@pytest.mark.usefixtures("only_our_indexes_reach_the_entries")
def test_the_whole_document_filter_uses_its_gin_index():
    explained = plan(search_sql(Page.objects.live()), "enable_seqscan")

    assert "search_indexentry_document_gin" in explained, explained


@pytest.mark.usefixtures("only_our_indexes_reach_the_entries")
def test_a_nested_loop_looks_each_page_up_by_its_id_as_text():
    explained = plan(
        search_sql(Page.objects.live()), "enable_seqscan", "enable_hashjoin", "enable_mergejoin"
    )

    assert "search_page_id_text" in explained, explained


@pytest.mark.usefixtures("only_our_indexes_reach_the_entries")
def test_the_ranking_reads_the_postings_by_their_lexeme():
    """search.ranking's own SQL (issue #23): the pages holding each word come from the btree of
    the postings (search/migrations/0004), never from a scan of the wide index entries."""
    sql, params = ranking.count_sql(["logement", "social"], Page.objects.live())
    with transaction.atomic(), connection.cursor() as cursor:
        # The plan of a big table, on the test's few rows: each word's postings looked up.
        for method in ("seqscan", "hashjoin", "mergejoin"):
            cursor.execute(f"SET LOCAL enable_{method} = off")
        cursor.execute("EXPLAIN " + sql, params)
        explained = "\n".join(row[0] for row in cursor.fetchall())

    assert "search_posting_pkey" in explained, explained
    assert "wagtailsearch_indexentry" not in explained, explained


@pytest.mark.usefixtures("only_our_indexes_reach_the_entries")
def test_the_suggestions_read_the_title_words_by_their_btree():
    """search.title_words' own SQL (issue #23): the typed words' titles come from a range of the
    title words' btree, never from Wagtail's wide index entries."""
    captured = []

    def capture(execute, sql, params, many, context):
        captured.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        assert [
            page.title for page in title_words.suggest(["logement", "soc"], Page.objects.live(), 6)
        ] == ["Le logement social"]
    sql, params = captured[-1]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        explained = "\n".join(row[0] for row in cursor.fetchall())

    assert "search_title_word_pkey" in explained, explained
    assert "wagtailsearch_indexentry" not in explained, explained
