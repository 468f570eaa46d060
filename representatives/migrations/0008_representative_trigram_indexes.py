"""GIN trigram indexes for the roster search (PostgreSQL only; the SQLite demo skips them).

The search (`representatives.filters.search_q`) asks for a Chinese name fragment
(`name::text LIKE '%..%'`), pinyin initials (`name_initials LIKE 'wjg%'`, or the name
`UPPER(name::text) LIKE UPPER('%..%')` for letters) and phone digits (`phone::text LIKE '%1234%'`).
A btree cannot serve an unanchored LIKE; a trigram index can, from three characters on.
They are created here in SQL rather than in `Meta.indexes`, so that SQLite migrates unchanged.
"""

from django.db import migrations

INDEXES = {
    "representative_name_trgm": '("name" gin_trgm_ops)',
    "representative_name_upper_trgm": '((UPPER("name"::text)) gin_trgm_ops)',
    "representative_initials_trgm": '("name_initials" gin_trgm_ops)',
    "representative_phone_trgm": '("phone" gin_trgm_ops)',
}
TABLE = "representatives_representative"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, columns in INDEXES.items():
        schema_editor.execute(f'CREATE INDEX IF NOT EXISTS "{name}" ON "{TABLE}" USING gin {columns}')


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):

    dependencies = [
        ("liaison", "0006_pg_trgm"),
        ("representatives", "0007_importbatch_resolutions_queued_at_upload"),
    ]

    operations = [migrations.RunPython(create, drop)]
