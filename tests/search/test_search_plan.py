"""The two indexes of search/migrations/0002 serve the SQL Wagtail's backend really sends.

An index only helps while its expression is exactly the query's: if a Wagtail upgrade changed
the search SQL (``body || title``, another cast), the indexes would be left unused and a search
over many pages would be slow again without any test failing on speed. The plans are read with
EXPLAIN: over 2 000 entries for the filter, with other joins turned off for the page lookup (the
nested loop PostgreSQL picks when its statistics are missing).
"""

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction

import pytest

from wagtail.models import Page

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


def add_entries(count):
    """Index entries of pages that do not exist (nothing joins them), as many as ``count``."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO wagtailsearch_indexentry (object_id, content_type_id, title_norm,
                autocomplete, title, body, title_text, body_text)
            SELECT (1000000 + n)::text, %s, 1, ''::tsvector,
                to_tsvector('french_unaccent', 'Page ' || n),
                to_tsvector('french_unaccent', 'Le texte de la page numéro ' || n), '', ''
            FROM generate_series(1, %s) AS n
            """,
            [ContentType.objects.get_for_model(Page).pk, count],
        )
        cursor.execute("ANALYZE wagtailsearch_indexentry")


def test_the_whole_document_filter_uses_its_gin_index(home):
    StandardPageFactory(parent=home, title="Le logement social")
    add_entries(2000)

    explained = plan(search_sql(Page.objects.live()), "enable_seqscan", "enable_nestloop")

    assert "search_indexentry_document_gin" in explained


def test_a_nested_loop_looks_each_page_up_by_its_id_as_text(home):
    StandardPageFactory(parent=home, title="Le logement social")
    add_entries(2000)

    explained = plan(
        search_sql(Page.objects.live()),
        "enable_seqscan",
        "enable_hashjoin",
        "enable_mergejoin",
    )

    assert "search_page_id_text" in explained
