"""The words of the pages' titles on PostgreSQL (search/title_words.py), for the suggestions
while typing, filled from the index as it stands; nothing elsewhere."""

from django.db import migrations

from search.operations import run_on_postgresql
from search.title_words import TABLE, fill_sql

CREATE = f"""
CREATE TABLE IF NOT EXISTS {TABLE} (
    word text COLLATE "C" NOT NULL,
    page_id integer NOT NULL,
    occurrences smallint NOT NULL,
    PRIMARY KEY (word, page_id) INCLUDE (occurrences)
);
CREATE INDEX IF NOT EXISTS search_title_word_page ON {TABLE} (page_id);
{fill_sql("wagtailsearch_indexentry", "wagtailcore_page")};
ANALYZE {TABLE};
"""

DROP = f"DROP TABLE IF EXISTS {TABLE};"


class Migration(migrations.Migration):
    dependencies = [("search", "0004_postings")]

    operations = [migrations.RunPython(run_on_postgresql(CREATE), run_on_postgresql(DROP))]
