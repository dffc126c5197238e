"""The site's search backend: Wagtail's database backend, in French on PostgreSQL.

On PostgreSQL, the index and the queries use the ``french_unaccent`` text search configuration
(French stemming after ``unaccent``: "ateliers" finds "atelier", "proximite" finds "proximité")
and suggestions use ``simple_unaccent`` (no stemming, so that a prefix stays a prefix, but still
accent-insensitive). Both configurations are created by this app's migration. Among results of
equal relevance, upcoming events come before past ones.

On any other database (SQLite in development and tests), Wagtail's database backend answers as
it is: SQLite's FTS5 tokenizer already ignores accents, but does not stem.

    WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "search.backends",
                                          "SEARCH_CONFIG": "french_unaccent",
                                          "AUTOCOMPLETE_CONFIG": "simple_unaccent"}}
"""

from django.db import connection
from django.db.models import Case, Exists, OuterRef, Value, When
from django.utils import timezone

from modelsearch.backends.database import SearchBackend as DatabaseSearchBackend
from modelsearch.backends.database.postgres.postgres import (
    PostgresAutocompleteQueryCompiler,
    PostgresSearchBackend,
    PostgresSearchQueryCompiler,
)
from wagtail.models import Page

POSTGRES_ONLY_PARAMS = ("SEARCH_CONFIG", "AUTOCOMPLETE_CONFIG")


def upcoming_first(model):
    """An expression that is 1 for an event not yet over, 0 otherwise, or None for a model that
    cannot hold events; ordering by it (descending) breaks ties in relevance."""
    from events.models import EventPage

    today = timezone.localdate()
    if issubclass(model, EventPage):
        return Case(When(last_date__gte=today, then=Value(1)), default=Value(0))
    if model is Page:
        upcoming = EventPage.objects.filter(pk=OuterRef("pk"), last_date__gte=today)
        return Case(When(Exists(upcoming), then=Value(1)), default=Value(0))
    return None


class FrenchSearchQueryCompiler(PostgresSearchQueryCompiler):
    def _apply_ordering_and_scoring(self, queryset, rank_expression, start, stop, score_field=None):
        if self.order_by_relevance and (upcoming := upcoming_first(queryset.model)) is not None:
            queryset = queryset.order_by(rank_expression.desc(), upcoming.desc(), "-pk")
            if score_field is not None:
                queryset = queryset.annotate(**{score_field: rank_expression})
            return queryset[start:stop]
        return super()._apply_ordering_and_scoring(
            queryset, rank_expression, start, stop, score_field
        )


class FrenchPostgresSearchBackend(PostgresSearchBackend):
    query_compiler_class = FrenchSearchQueryCompiler
    autocomplete_query_compiler_class = PostgresAutocompleteQueryCompiler

    def __init__(self, params):
        super().__init__(params)
        self.autocomplete_config = params.get("AUTOCOMPLETE_CONFIG", self.autocomplete_config)


def SearchBackend(params):  # noqa: N802 (Wagtail looks the backend up by this name)
    if connection.vendor == "postgresql":
        return FrenchPostgresSearchBackend(params)
    params = {key: value for key, value in params.items() if key not in POSTGRES_ONLY_PARAMS}
    return DatabaseSearchBackend(params)
