"""Writing a confirmed import (in the worker): the rows through the roster services, all or none."""

from __future__ import annotations

import contextlib
import logging
import time
from typing import NoReturn

from django.core.exceptions import ValidationError
from django.db import InterfaceError, OperationalError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.models import User
from representatives.models import ImportBatch, Representative
from representatives.services import roster
from representatives.services.import_format import COLUMN, Action
from representatives.services.import_matching import fingerprint, validate_rows
from representatives.services.import_rows import ImportPlan, RowResult
from representatives.services.imports import set_progress, stage

logger = logging.getLogger(__name__)


class _RowFailed(Exception):
    def __init__(self, result: RowResult):
        self.result = result


class _Stale(Exception):
    def __init__(self, plan: ImportPlan):
        self.plan = plan


def _fail(result: RowResult, exc: ValidationError) -> NoReturn:
    """Report a row the roster services refused, on its columns, and stop the import."""
    messages = exc.message_dict if hasattr(exc, "error_dict") else {"name": exc.messages}
    for key, texts in messages.items():
        for text in texts:
            result.errors.append((COLUMN.get(key, COLUMN["name"]), text))
    result.action = Action.ERROR
    raise _RowFailed(result) from exc


def _roster_fields(result: RowResult) -> dict:
    return {key: value for key, value in result.fields.items() if key in roster.ROSTER_FIELDS}


def _update_row(*, actor: User, result: RowResult) -> None:
    specialties = result.specialties if "specialties" in result.changed_keys else None
    try:
        roster.representative_update(
            actor=actor, representative=result.representative, specialties=specialties, **_roster_fields(result)
        )
    except ValidationError as exc:
        _fail(result, exc)


def _write_chunk(*, actor: User, results: list[RowResult]) -> None:
    """Write some rows: the updates one by one through `representative_update` (an import changes
    few), the new ones together through `representatives_create_many` (the same rules, history and
    register entries as `representative_create`, in a constant number of statements)."""
    for result in results:
        if result.action == Action.UPDATE:
            _update_row(actor=actor, result=result)
    new = [result for result in results if result.action == Action.NEW]
    if not new:
        return
    try:
        created = roster.representatives_create_many(
            actor=actor, rows=[(_roster_fields(result), result.specialties) for result in new]
        )
    except roster.RowInvalid as exc:
        _fail(new[exc.index], exc)
    for result, rep in zip(new, created, strict=True):
        result.representative = rep


def _mark_stale(plan: ImportPlan, previewed: list[dict]) -> list[int]:
    """The rows whose representative changed (or appeared) since the preview the user confirmed.

    A row is compared with what its preview saw: the same representative matched (or none), in the
    same state. Reports staged before fingerprints existed have no "seen" and are not compared.
    """
    before = {entry["row"]: entry for entry in previewed}
    stale = []
    for result in plan.results:
        entry = before.get(result.row)
        if entry is None or "seen" not in entry:
            continue
        now_pk = result.representative.pk if result.representative else None
        if now_pk != entry.get("representative") or result.seen != entry["seen"] or result.candidates:
            result.stale = True
            stale.append(result.row)
    return stale


WRITE_CHUNK = 250  # rows written together (PostgreSQL); the progress is reported after each chunk
APPLY_CHUNK = 100  # rows a commit (SQLite)
# After each chunk the import waits a little: SQLite's busy handler retries on a timer, so a writer
# that takes the lock again at once would starve the others.
CHUNK_PAUSE = 0.15


def commits_in_batches() -> bool:
    """SQLite (the demo) has one write lock for the whole database: the import commits in chunks."""
    return connection.vendor == "sqlite"


def _write(*, actor: User, batch_id: int, results: list[RowResult]) -> None:
    total = len(results)
    for start in range(0, total, WRITE_CHUNK):
        _write_chunk(actor=actor, results=results[start : start + WRITE_CHUNK])
        set_progress(batch_id, done=min(start + WRITE_CHUNK, total), total=total)


def _write_in_batches(*, actor: User, batch_id: int, plan: ImportPlan) -> None:
    """Write the rows in chunks, each its own transaction, and still all or nothing.

    Between chunks the write lock is free for a moment, so other people's saves (a sign-in, an
    edit) wait at most about one chunk (the busy timeout covers that). Each chunk first checks that the
    representatives it updates are still as validated (else _Stale); if any chunk fails, the
    chunks already committed are undone: representatives created are deleted, those updated get
    their previous values back.
    """
    results, total = plan.results, len(plan.results)
    undo: list[tuple] = []
    try:
        for start in range(0, total, APPLY_CHUNK):
            chunk = results[start : start + APPLY_CHUNK]
            chunk_undo = []
            with transaction.atomic():
                matched = [result for result in chunk if result.representative is not None]
                current = Representative.objects.filter(pk__in=[r.representative.pk for r in matched])
                current = current.select_related("congress", "district_township", "home_station", "residence_division")
                current = {rep.pk: rep for rep in current.prefetch_related("specialties")}
                for result in matched:
                    rep = current.get(result.representative.pk)
                    if rep is None or fingerprint(rep) != result.seen:
                        result.stale = True
                if any(result.stale for result in matched):
                    raise _Stale(plan)
                for result in chunk:
                    if result.action == Action.UPDATE:
                        rep = current[result.representative.pk]
                        before = {name: getattr(rep, name) for name in roster.ROSTER_FIELDS}
                        chunk_undo.append(("update", rep.pk, before, sorted(s.name for s in rep.specialties.all())))
                _write_chunk(actor=actor, results=chunk)
                chunk_undo += [("new", r.representative.pk, None, None) for r in chunk if r.action == Action.NEW]
            undo += chunk_undo
            set_progress(batch_id, done=min(start + APPLY_CHUNK, total), total=total)
            if start + APPLY_CHUNK < total:
                time.sleep(CHUNK_PAUSE)
    except BaseException:
        _undo(actor=actor, undo=undo)
        raise


def _undo(*, actor: User, undo: list[tuple]) -> None:
    if not undo:
        return
    try:
        with transaction.atomic():
            for kind, pk, before, specialties in reversed(undo):
                rep = Representative.objects.filter(pk=pk).first()
                if rep is None:
                    continue
                if kind == "new":
                    rep._history_user = actor
                    rep.delete()
                else:
                    roster.representative_update(actor=actor, representative=rep, specialties=specialties, **before)
    except Exception:
        logger.exception("roster import: undoing %s committed rows failed", len(undo))
        raise
    logger.info("roster import: %s committed rows undone", len(undo))


def import_apply(*, batch_id: int) -> ImportBatch:
    """Write a confirmed file: every row through the roster services, all or nothing.

    Runs in the Celery worker. Validates again and compares each row with what the confirmed
    preview showed: if a representative it matched was changed since (or one appeared), nothing
    is written and the batch goes back to a fresh preview that says so. One bad row, then or while
    writing, rolls everything back and is reported. Safe to run twice: a batch that is no longer
    queued is left alone.
    """
    from celery.exceptions import SoftTimeLimitExceeded

    in_batches = commits_in_batches()
    # PostgreSQL: one transaction holding the batch's row. SQLite: no outer transaction (it would
    # hold the database's only write lock for the whole import); see _write_in_batches.
    with contextlib.nullcontext() if in_batches else transaction.atomic():
        batches = ImportBatch.objects.select_related("uploaded_by")
        if not in_batches:
            batches = batches.select_for_update(of=("self",))
        batch = batches.get(pk=batch_id)
        if batch.status != ImportBatch.Status.QUEUED:
            return batch
        actor = batch.uploaded_by
        total = len(batch.rows)
        set_progress(batch.pk, done=0, total=total)
        plan = None
        try:
            plan = validate_rows(actor=actor, rows=batch.rows, resolutions=batch.resolutions)
            if plan.has_errors:
                raise ValidationError("invalid")
            stale = _mark_stale(plan, batch.report)
            if stale:
                raise _Stale(plan)
            if in_batches:
                _write_in_batches(actor=actor, batch_id=batch.pk, plan=plan)
            else:
                with transaction.atomic():
                    _write(actor=actor, batch_id=batch.pk, results=plan.results)
        except _Stale:
            stage(batch, plan)
            rows = [result.row for result in plan.results if result.stale]
            shown = "、".join(str(row) for row in rows[:10]) + ("…" if len(rows) > 10 else "")
            batch.message = _(
                "The roster changed after your preview (rows %(rows)s): nothing was imported. "
                "Below is the preview against the roster as it is now: check it and import again."
            ) % {"rows": shown}
        except (ValidationError, _RowFailed) as exc:
            batch.status = ImportBatch.Status.FAILED
            bad = exc.result if isinstance(exc, _RowFailed) else None
            batch.message = (
                _("Row %(row)s could not be saved: nothing was imported.") % {"row": bad.row}
                if bad
                else _("The roster changed since the preview and some rows are no longer valid: nothing was imported.")
            )
        except (OperationalError, InterfaceError):
            raise  # the connection failed: the task retries with backoff; everything rolled back
        except SoftTimeLimitExceeded:
            logger.warning("roster import %s stopped at its time limit", batch.pk)
            batch.status = ImportBatch.Status.FAILED
            batch.message = _("The import took too long and was stopped: nothing was imported. Import it again.")
            plan = None
        except Exception:
            logger.exception("roster import %s failed", batch.pk)
            batch.status = ImportBatch.Status.FAILED
            batch.message = _("The import stopped because of an unexpected error: nothing was imported.")
            plan = None
        else:
            batch.status = ImportBatch.Status.DONE
            batch.message = ""
        if plan is not None:
            batch.counts, batch.report = plan.counts, plan.report
        if batch.status in (ImportBatch.Status.DONE, ImportBatch.Status.FAILED):
            batch.finished_at = timezone.now()
        batch.save(update_fields=["status", "message", "counts", "report", "finished_at"])
    set_progress(batch.pk, done=total, total=total)
    logger.info("roster import %s: %s, %s", batch.pk, batch.status, batch.counts)
    return batch
