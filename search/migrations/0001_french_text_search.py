"""PostgreSQL text search configurations for French: see search/backends.py.

``unaccent`` is a contrib extension shipped with PostgreSQL; creating it needs a role allowed to
(the owner of the database on PostgreSQL 13+, since unaccent is a trusted extension). Elsewhere
than on PostgreSQL this migration does nothing.
"""

from django.db import migrations

from search.operations import run_on_postgresql

CREATE = """
CREATE EXTENSION IF NOT EXISTS unaccent;
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'french_unaccent') THEN
        CREATE TEXT SEARCH CONFIGURATION french_unaccent (COPY = french);
        ALTER TEXT SEARCH CONFIGURATION french_unaccent
            ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'simple_unaccent') THEN
        CREATE TEXT SEARCH CONFIGURATION simple_unaccent (COPY = simple);
        ALTER TEXT SEARCH CONFIGURATION simple_unaccent
            ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple;
    END IF;
END
$$;
"""

DROP = """
DROP TEXT SEARCH CONFIGURATION IF EXISTS french_unaccent;
DROP TEXT SEARCH CONFIGURATION IF EXISTS simple_unaccent;
"""


class Migration(migrations.Migration):
    dependencies = []

    operations = [migrations.RunPython(run_on_postgresql(CREATE), run_on_postgresql(DROP))]
