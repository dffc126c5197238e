"""On PostgreSQL, the live pages' ids and types in a narrow index, so that a search reads the
pages it may show by an index-only scan (search.ranking), not the whole page table; nothing
elsewhere. Wagtail's own table: the index has a name of this app's and goes with it."""

from django.db import migrations

from search.operations import run_on_postgresql

CREATE = (
    "CREATE INDEX IF NOT EXISTS search_live_page_idx "
    "ON wagtailcore_page (id, content_type_id) WHERE live"
)
DROP = "DROP INDEX IF EXISTS search_live_page_idx"


class Migration(migrations.Migration):
    dependencies = [("search", "0005_title_words")]

    operations = [migrations.RunPython(run_on_postgresql(CREATE), run_on_postgresql(DROP))]
