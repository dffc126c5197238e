"""The site's search backend: Wagtail's database backend, in French on every database.

On PostgreSQL, the index and the queries use the ``french_unaccent`` text search configuration
(French stemming after ``unaccent``: "ateliers" finds "atelier", "proximite" finds "proximité")
and suggestions use ``simple_unaccent`` (no stemming, so that a prefix stays a prefix, but still
accent-insensitive). Both configurations are created by this app's migration.

On SQLite (development and tests), the index holds each word folded and through Snowball's
French stemmer (search.words), and so does the query (search.ranking): "bailleur" finds
"bailleurs" there too. A field with a boost (a summary) is indexed twice in the body there,
SQLite's ranking having no weights per field inside the body.

On PostgreSQL, indexing a page also writes its postings (search.postings) and its title's words
(search.title_words), which the ranking and the suggestions read.

On both, indexing a page also records its words in the vocabulary (search.models.Word) that
« Vouliez-vous dire … » reads (search.spelling). The ranking itself (every word first, then most
words, by field) is search.ranking's, on the index these backends write.

    WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "search.backends",
                                          "SEARCH_CONFIG": "french_unaccent",
                                          "AUTOCOMPLETE_CONFIG": "simple_unaccent"}}
"""

from django.db import connection

from modelsearch.backends.database.postgres.postgres import PostgresIndex, PostgresSearchBackend
from modelsearch.utils import get_content_type_pk
from wagtail.models import Page

from . import postings, title_words
from .models import Word
from .words import vocabulary

POSTGRES_ONLY_PARAMS = ("SEARCH_CONFIG", "AUTOCOMPLETE_CONFIG")
WORDS_BATCH = 2000


def record_vocabulary(model, texts):
    """The words of these pages' indexed texts, added to the vocabulary (pages only: a snippet's
    words are in the pages that name it)."""
    if not issubclass(model, Page):
        return
    words = {}
    for text in texts:
        for folded, written in vocabulary(text).items():
            words.setdefault(folded, written)
    if not words:
        return
    known = set()
    folded_words = list(words)
    for start in range(0, len(folded_words), WORDS_BATCH):
        chunk = folded_words[start : start + WORDS_BATCH]
        known.update(Word.objects.filter(word__in=chunk).values_list("word", flat=True))
    new = [Word(word=key, form=written) for key, written in words.items() if key not in known]
    Word.objects.bulk_create(
        new,
        batch_size=WORDS_BATCH,
        ignore_conflicts=True,
    )


class FrenchPostgresIndex(PostgresIndex):
    def add_items(self, model, objs):
        super().add_items(model, objs)
        if not issubclass(model, Page) or not objs:
            return
        texts = self.entries.filter(
            content_type_id=get_content_type_pk(model),
            object_id__in=[str(obj.pk) for obj in objs],
        ).values_list("title_text", "body_text")
        record_vocabulary(model, (f"{title} {body}" for title, body in texts))
        postings.refresh(get_content_type_pk(model), [obj.pk for obj in objs])
        title_words.refresh(get_content_type_pk(model), [obj.pk for obj in objs])

    def delete_item(self, item):
        super().delete_item(item)
        if isinstance(item, Page):
            postings.forget(item.pk)
            title_words.forget(item.pk)


class FrenchPostgresSearchBackend(PostgresSearchBackend):
    index_class = FrenchPostgresIndex

    def __init__(self, params):
        super().__init__(params)
        self.autocomplete_config = params.get("AUTOCOMPLETE_CONFIG", self.autocomplete_config)


def SearchBackend(params):  # noqa: N802 (Wagtail looks the backend up by this name)
    if connection.vendor == "postgresql":
        return FrenchPostgresSearchBackend(params)
    from .sqlite import FrenchSQLiteSearchBackend  # its models exist on SQLite only

    params = {key: value for key, value in params.items() if key not in POSTGRES_ONLY_PARAMS}
    return FrenchSQLiteSearchBackend(params)
