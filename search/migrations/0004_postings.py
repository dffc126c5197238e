"""The postings table on PostgreSQL (search/postings.py), filled from the index as it stands;
nothing elsewhere."""

from django.db import migrations

from search.operations import run_on_postgresql
from search.postings import TABLE, fill_sql

CREATE = f"""
CREATE TABLE IF NOT EXISTS {TABLE} (
    lexeme text NOT NULL,
    page_id integer NOT NULL,
    fields smallint NOT NULL,
    PRIMARY KEY (lexeme, page_id) INCLUDE (fields)
);
CREATE INDEX IF NOT EXISTS search_posting_page ON {TABLE} (page_id);
{fill_sql("wagtailsearch_indexentry", "wagtailcore_page")};
ANALYZE {TABLE};
"""

DROP = f"DROP TABLE IF EXISTS {TABLE};"


class Migration(migrations.Migration):
    dependencies = [("search", "0003_vocabulary"), ("wagtailsearch", "0010_add_text_fields")]

    operations = [migrations.RunPython(run_on_postgresql(CREATE), run_on_postgresql(DROP))]
