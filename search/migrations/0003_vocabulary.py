"""The vocabulary of the index (search.models.Word), and on PostgreSQL a trigram index on it for
« Vouliez-vous dire … » (search.spelling).

``pg_trgm`` is a contrib extension shipped with PostgreSQL, trusted since PostgreSQL 13 (the
database's owner may create it). Pages indexed before this migration enter the vocabulary, and
on SQLite the stemmed index, when they are indexed again: ``manage.py update_index``.
"""

from django.db import migrations, models

from search.operations import run_on_postgresql

CREATE = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX IF NOT EXISTS search_word_trigram ON search_word USING gin (word gin_trgm_ops);
"""

DROP = "DROP INDEX IF EXISTS search_word_trigram;"


class Migration(migrations.Migration):
    dependencies = [("search", "0002_search_document_index")]

    operations = [
        migrations.CreateModel(
            name="Word",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "word",
                    models.CharField(max_length=40, unique=True, verbose_name="mot (sans accents)"),
                ),
                ("form", models.CharField(max_length=40, verbose_name="mot tel qu'écrit")),
            ],
            options={"verbose_name": "mot indexé", "verbose_name_plural": "mots indexés"},
        ),
        migrations.RunPython(run_on_postgresql(CREATE), run_on_postgresql(DROP)),
    ]
