"""The SQLite side of the site's backend (search.backends): the index holds each word folded
and stemmed, and indexing records the vocabulary. Imported on SQLite only (modelsearch defines
its SQLite models there only)."""

from django.utils.functional import cached_property

from modelsearch.backends.database.sqlite import sqlite
from modelsearch.index import SearchField
from modelsearch.utils import get_content_type_pk

from .backends import record_vocabulary
from .words import stemmed_text


class FrenchObjectIndexer(sqlite.ObjectIndexer):
    """Title and body as the SQLite index holds them: folded and stemmed; the plain text kept
    for the vocabulary."""

    def _texts(self, in_title):
        texts = []
        for field in self.search_fields:
            for current_field, value in self.prepare_field(self.obj, field):
                if not isinstance(current_field, SearchField):
                    continue
                if (current_field.field_name == "title") == in_title:
                    repeat = 2 if (current_field.boost or 1) > 1 and not in_title else 1
                    texts.extend([value] * repeat)
        return " ".join(texts)

    @cached_property
    def title_text(self):
        return self._texts(in_title=True)

    @cached_property
    def body_text(self):
        return self._texts(in_title=False)

    @cached_property
    def title(self):
        return stemmed_text(self.title_text)

    @cached_property
    def body(self):
        return stemmed_text(self.body_text)


class FrenchSQLiteIndex(sqlite.SQLiteIndex):
    def add_items(self, model, objs):
        """SQLiteIndex.add_items with the French indexer (its indexer is not a parameter)."""
        if not model.get_search_fields():
            return
        indexers = [FrenchObjectIndexer(obj, self.backend) for obj in objs]
        if not indexers:
            return
        content_type_pk = get_content_type_pk(model)
        data = {
            indexer.id: {
                "title": indexer.title,
                "autocomplete": indexer.autocomplete,
                "body": indexer.body,
            }
            for indexer in indexers
        }
        entries = self.entries.filter(content_type_id=content_type_pk)
        indexed = set(entries.filter(object_id__in=data).values_list("object_id", flat=True))
        for object_id in indexed:
            entries.filter(object_id=object_id).update(**data[object_id])
        self.entries.bulk_create(
            [
                sqlite.IndexEntry(content_type_id=content_type_pk, object_id=object_id, **fields)
                for object_id, fields in data.items()
                if object_id not in indexed
            ]
        )
        self._refresh_title_norms()
        record_vocabulary(
            model, (f"{indexer.title_text} {indexer.body_text}" for indexer in indexers)
        )


class FrenchSQLiteSearchBackend(sqlite.SQLiteSearchBackend):
    index_class = FrenchSQLiteIndex
