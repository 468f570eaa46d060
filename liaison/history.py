"""Who changed what and when: readable rows from django-simple-history records.

One query for the records, field differences computed in memory, and one query per related model
to name the stations, divisions or users that changed: the number of queries does not grow with
the number of records.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model

from liaison.privacy import shown_contact

# Bookkeeping fields that mean nothing to the people reading the history.
ALWAYS_EXCLUDED = ("created_at", "updated_at", "path", "depth", "name_initials")


def history_rows(
    history_manager, *, limit: int = 30, exclude: tuple[str, ...] = (), masked: tuple[str, ...] = ()
) -> list[dict]:
    """Newest first: [{"record": historical record, "changes": [{"field", "old", "new"}, ...]}].

    `masked`: fields whose phone numbers the reader may not see in full (access.sees_full_phones).
    """
    records = list(history_manager.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    if not records:
        return []
    model = records[0].instance_type
    excluded = [*ALWAYS_EXCLUDED, *exclude, *(f.name for f in model._meta.many_to_many)]
    tracked = {f.name for f in model._meta.get_fields()}
    excluded = [name for name in excluded if name in tracked]
    rows: list[dict] = []
    related_ids: dict[type, set] = {}
    for newer, older in zip(records, [*records[1:], None], strict=False):
        if len(rows) == limit:
            break
        changes = []
        if older is not None and newer.history_type == "~":
            for change in newer.diff_against(older, excluded_fields=excluded).changes:
                field = model._meta.get_field(change.field)
                if field.is_relation:
                    related_ids.setdefault(field.related_model, set()).update({change.old, change.new})
                changes.append({"field": field, "old": change.old, "new": change.new})
        rows.append({"record": newer, "changes": changes})

    user_model = get_user_model()
    names = {
        related: dict(
            related.objects.filter(pk__in=ids - {None}).values_list(
                "pk", "full_name" if related is user_model else "name"
            )
        )
        for related, ids in related_ids.items()
    }
    for row in rows:
        for change in row["changes"]:
            field = change["field"]
            for side in ("old", "new"):
                value = change[side]
                if field.is_relation:
                    value = names[field.related_model].get(value, value)
                elif field.choices:
                    value = dict(field.choices).get(value, value)
                elif isinstance(value, bool):
                    value = "✓" if value else "✗"
                elif field.name in masked and isinstance(value, str):
                    value = shown_contact(value, full=False)
                change[side] = "—" if value in (None, "") else value
            change["field"] = field.verbose_name
    return rows
