"""Who changed what and when: readable rows from django-simple-history records.

One query for the records, field differences computed in memory, and one query per related model
to name the stations, divisions or users that changed: the number of queries does not grow with
the number of records.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from simple_history.models import HistoricalRecords

from liaison.privacy import shown_contact

# Bookkeeping fields that mean nothing to the people reading the history.
ALWAYS_EXCLUDED = ("created_at", "updated_at", "path", "depth", "name_initials")


class ChangedOnlyHistoricalRecords(HistoricalRecords):
    """django-simple-history that writes a "changed" record only when something tracked changed.

    A save with the same values (a form sent back unchanged, a service touching `updated_at`)
    would otherwise show as an empty "已修改" entry in the history.
    """

    def post_save(self, instance, created, using=None, **kwargs):
        if not created and not kwargs.get("raw", False) and not self.has_changes(instance):
            return
        super().post_save(instance, created, using=using, **kwargs)

    def has_changes(self, instance) -> bool:
        """Does the instance differ from its latest historical record in a tracked field?"""
        last = getattr(instance, self.manager_name).order_by("-history_date", "-history_id").first()
        if last is None:
            return True
        for field in self.fields_included(instance):
            if getattr(last, field.attname) != getattr(instance, field.attname):
                return True
        for field in self.get_m2m_fields_from_model(type(instance)):
            m2m_model = self.m2m_models[field]
            target = field.m2m_reverse_field_name()
            now = set(getattr(instance, field.name).values_list("pk", flat=True))
            before = set(m2m_model.objects.filter(history=last).values_list(f"{target}_id", flat=True))
            if now != before:
                return True
        return False


def bulk_history_m2m(records: list, instances: list) -> None:
    """The many-to-many part of new historical records (`records[i]` is of `instances[i]`, e.g.
    from `bulk_history_create`), with the same rows simple-history's `create_historical_record_m2ms`
    writes after one save: for each tracked field, one query reads the links and one writes them."""
    if not records:
        return
    record_of = {instance.pk: record for instance, record in zip(instances, records, strict=True)}
    for field in type(records[0])._history_m2m_fields:
        m2m_history_model = HistoricalRecords.m2m_models[field]
        through = field.remote_field.through
        source = field.m2m_field_name()
        links = through.objects.filter(**{f"{source}__in": list(record_of)})
        m2m_history_model.objects.bulk_create(
            [
                m2m_history_model(
                    history=record_of[getattr(link, f"{source}_id")],
                    **{f.attname: getattr(link, f.attname) for f in through._meta.fields},
                )
                for link in links
            ]
        )


def history_rows(
    history_manager,
    *,
    limit: int = 30,
    exclude: tuple[str, ...] = (),
    masked: tuple[str, ...] = (),
    describe=None,
) -> list[dict]:
    """Newest first: [{"record": historical record, "changes": [{"field", "old", "new"}, ...]}].

    The records may belong to several objects (the memberships of a group): each is compared with
    the previous record of the same object. A "changed" record that changes nothing shown is left
    out. `describe(record)`, if given, names the object of each row ("subject").
    `masked`: fields whose phone numbers the reader may not see in full (access.sees_full_phones).
    """
    records = list(history_manager.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    if not records:
        return []
    previous: dict[int, object] = {}
    older_of: dict[int, object] = {}
    for record in reversed(records):
        older_of[record.history_id] = previous.get(record.id)
        previous[record.id] = record
    model = records[0].instance_type
    excluded = [*ALWAYS_EXCLUDED, *exclude, *(f.name for f in model._meta.many_to_many)]
    tracked = {f.name for f in model._meta.get_fields()}
    excluded = [name for name in excluded if name in tracked]
    rows: list[dict] = []
    related_ids: dict[type, set] = {}
    for newer in records:
        if len(rows) == limit:
            break
        older = older_of[newer.history_id]
        changes = []
        if older is not None and newer.history_type == "~":
            for change in newer.diff_against(older, excluded_fields=excluded).changes:
                field = model._meta.get_field(change.field)
                if field.is_relation:
                    related_ids.setdefault(field.related_model, set()).update({change.old, change.new})
                changes.append({"field": field, "old": change.old, "new": change.new})
            if not changes:
                continue  # saved without a change: nothing to tell
        rows.append({"record": newer, "changes": changes, "subject": describe(newer) if describe else ""})

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
