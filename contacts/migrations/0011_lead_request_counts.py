"""The leads' stored request counts (publications 0010 fills them) and the indexes of the
leads list's orders and search."""

from django.db import migrations, models

# PostgreSQL only: SQLite's indexes hold neither NULLS LAST nor trigrams (its small tables are
# sorted and searched in memory).
POSTGRESQL_INDEXES = {
    # Newest request first, leads with none last: the list's default order.
    "lead_last_request_idx": "(last_request_at DESC NULLS LAST, id DESC)",
    # The list's search (first name, last name, e-mail, organisation contain the words), as
    # Django writes icontains: UPPER(column::text) LIKE UPPER('%…%').
    **{
        f"lead_{column}_trgm": f"USING gin (upper({column}::text) gin_trgm_ops)"
        for column in ("first_name", "last_name", "email", "organisation")
    },
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for name, definition in POSTGRESQL_INDEXES.items():
            schema_editor.execute(f"CREATE INDEX {name} ON publications_lead {definition}")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in POSTGRESQL_INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("contacts", "0010_export_jobs"),
    ]

    operations = [
        migrations.AddField(
            model_name="lead",
            name="last_request_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="dernière demande"
            ),
        ),
        migrations.AddField(
            model_name="lead",
            name="request_count",
            field=models.PositiveIntegerField(default=0, editable=False, verbose_name="demandes"),
        ),
        migrations.AddIndex(
            model_name="lead",
            index=models.Index(
                models.OrderBy(models.F("request_count"), descending=True),
                models.OrderBy(models.F("id"), descending=True),
                name="lead_request_count_idx",
            ),
        ),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
