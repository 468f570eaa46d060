"""Enable PostgreSQL's pg_trgm, for the GIN trigram indexes that serve search (`LIKE '%...%'`).

On SQLite (the demo) there is nothing to enable: search falls back to a plain scan there.
"""

from django.db import migrations


def enable(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")


class Migration(migrations.Migration):

    dependencies = [
        ("liaison", "0005_division_province_city_kinds"),
    ]

    # Left in place on the way back: other apps' indexes may still use it.
    operations = [migrations.RunPython(enable, migrations.RunPython.noop, elidable=False)]
