"""An index for the roster's one- and two-character name searches (PostgreSQL only; the SQLite
demo skips it).

The trigram indexes of 0008 serve a name fragment of three characters or more; a shorter one
has no trigram, so `name LIKE '%张三%'` scanned every representative (28-80 ms at province
scale). Chinese names are two to three characters and a two-character search is common (a
surname and given name, or the given name alone), so it keeps its meaning (anywhere in the name)
and gets an index of its own: `representative_name_grams(name)` is the set of every one- and
two-character piece of the name, and "the name contains 张三" is exactly "张三 is one of its
pieces" (`representatives.filters.search_q` asks `representative_name_grams(name) @> '{张三}'`),
which a GIN index answers.

The function is declared costly (COST 1000: a call is a small query of its own, not an operator):
with the default cost the planner, without statistics (a freshly filled table), put the
representatives' scan with this filter inside a nested loop and ran it once per outer row.
"""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION representative_name_grams(name text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 1000 AS $$
  SELECT ARRAY(
    SELECT DISTINCT substr(name, i, n)
    FROM generate_series(1, char_length(name)) AS i, (VALUES (1), (2)) AS sizes(n)
    WHERE i + n - 1 <= char_length(name)
  )
$$
"""
INDEX = (
    'CREATE INDEX IF NOT EXISTS "representative_name_grams" ON "representatives_representative" '
    'USING gin (representative_name_grams("name"))'
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION)
    schema_editor.execute(INDEX)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute('DROP INDEX IF EXISTS "representative_name_grams"')
    schema_editor.execute("DROP FUNCTION IF EXISTS representative_name_grams(text)")


class Migration(migrations.Migration):

    dependencies = [
        ("representatives", "0012_proposal_outcomes"),
    ]

    operations = [migrations.RunPython(create, drop)]
