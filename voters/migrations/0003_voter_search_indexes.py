"""Indexes for voter search at a million rows (PostgreSQL only; the SQLite demo skips them).

- trigram GIN indexes on name and phone: `name LIKE '%建国1%'`, `phone LIKE '%1234%'`;
- text_pattern_ops b-tree on name_initials and name: prefix searches ("wjg", a one- or
  two-character name part, too short for trigrams).
"""

from django.db import migrations

INDEXES = (
    ("voters_voter_name_trgm", "USING gin (name gin_trgm_ops)"),
    ("voters_voter_phone_trgm", "USING gin (phone gin_trgm_ops)"),
    ("voters_voter_initials_prefix", "(name_initials text_pattern_ops)"),
    ("voters_voter_name_prefix", "(name text_pattern_ops)"),
)


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, definition in INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON voters_voter {definition}")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _definition in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("voters", "0002_grid_household_township")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
