"""Migration helpers for the search app's PostgreSQL-only SQL."""


def run_on_postgresql(sql):
    """A RunPython function that executes ``sql`` on PostgreSQL and does nothing elsewhere."""

    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return operation
