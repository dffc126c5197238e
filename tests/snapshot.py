"""A copy of the whole test database, taken once and put back before each browser test.

The browser tests need the demo site committed (the live server reads it from another
thread), and the flush after each test wipes it: building it again with ``load_demo_content``
took seconds per test. This keeps what the first build left, every table's rows and the files
it wrote, and puts it back in a fraction of that:

- SQLite (an in-memory database per test process): the sqlite3 backup API copies the whole
  database, schema and sequences included, to a second in-memory database and back;
- PostgreSQL: each table's rows are kept as ``COPY … TO STDOUT`` gives them and written back
  with ``COPY … FROM STDIN`` in one transaction (foreign keys are checked at its commit).
  Sequences are left as they are: they only grow, so no id the copy holds is handed out again.
"""

import sqlite3
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction


def media_files():
    roots = [Path(settings.MEDIA_ROOT), Path(settings.PRIVATE_MEDIA_ROOT)]
    return {path for root in roots if root.exists() for path in root.rglob("*") if path.is_file()}


class DatabaseSnapshot:
    def __init__(self):
        self.copy = None  # a sqlite3 connection, or {table: (columns, COPY data)}
        self.files = {}

    @property
    def taken(self):
        return self.copy is not None

    def take(self, files_before):
        """Keeps the database as it is, and the files written since ``files_before``."""
        connection.ensure_connection()
        if connection.vendor == "sqlite":
            self.copy = sqlite3.connect(":memory:", check_same_thread=False)
            connection.connection.backup(self.copy)
        else:
            self.copy = {}
            with connection.cursor() as cursor:
                for table in self._tables():
                    with cursor.copy(f"COPY {connection.ops.quote_name(table)} TO STDOUT") as out:
                        self.copy[table] = b"".join(bytes(chunk) for chunk in out)
        self.files = {path: path.read_bytes() for path in media_files() - files_before}

    def restore(self):
        """Puts the database and the files back as they were taken."""
        connection.ensure_connection()
        if connection.vendor == "sqlite":
            self.copy.backup(connection.connection)
        else:
            quote = connection.ops.quote_name
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("TRUNCATE " + ", ".join(quote(table) for table in self.copy))
                for table, data in self.copy.items():
                    if data:
                        with cursor.copy(f"COPY {quote(table)} FROM STDIN") as into:
                            into.write(data)
        ContentType.objects.clear_cache()  # the ids are the copy's
        for path, content in self.files.items():
            if not path.exists() or path.read_bytes() != content:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(content)

    @staticmethod
    def _tables():
        return connection.introspection.django_table_names(only_existing=True)
