"""The site's search backend: Wagtail's database backend, in French on PostgreSQL.

On PostgreSQL, the index and the queries use the ``french_unaccent`` text search configuration
(French stemming after ``unaccent``: "ateliers" finds "atelier", "proximite" finds "proximité")
and suggestions use ``simple_unaccent`` (no stemming, so that a prefix stays a prefix, but still
accent-insensitive). Both configurations are created by this app's migration. (Upcoming events
before past ones of equal relevance: search/views.py, on the page of results.)

On any other database (SQLite in development and tests), Wagtail's database backend answers as
it is: SQLite's FTS5 tokenizer already ignores accents, but does not stem.

    WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "search.backends",
                                          "SEARCH_CONFIG": "french_unaccent",
                                          "AUTOCOMPLETE_CONFIG": "simple_unaccent"}}
"""

from django.db import connection

from modelsearch.backends.database import SearchBackend as DatabaseSearchBackend
from modelsearch.backends.database.postgres.postgres import PostgresSearchBackend

POSTGRES_ONLY_PARAMS = ("SEARCH_CONFIG", "AUTOCOMPLETE_CONFIG")


class FrenchPostgresSearchBackend(PostgresSearchBackend):
    def __init__(self, params):
        super().__init__(params)
        self.autocomplete_config = params.get("AUTOCOMPLETE_CONFIG", self.autocomplete_config)


def SearchBackend(params):  # noqa: N802 (Wagtail looks the backend up by this name)
    if connection.vendor == "postgresql":
        return FrenchPostgresSearchBackend(params)
    params = {key: value for key, value in params.items() if key not in POSTGRES_ONLY_PARAMS}
    return DatabaseSearchBackend(params)
