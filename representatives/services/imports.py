"""The roster import's use cases: upload -> check (in the worker) -> preview -> resolve -> confirm.

The file format and reading it are in `import_format`, matching rows against the roster in
`import_matching`, and writing a confirmed file in `import_writing` (queued here as
`import_apply_task`, run in the worker). The workbooks the apps hand out are in `exports`.
"""

from __future__ import annotations

import datetime
import logging
import time

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison import access
from liaison.models import User
from representatives.models import ImportBatch
from representatives.services.import_format import Action, Choice, check_upload, read_rows, too_big_unpacked
from representatives.services.import_matching import validate_rows
from representatives.services.import_rows import ImportPlan
from representatives.tasks import import_apply as import_apply_task
from representatives.tasks import import_check as import_check_task

logger = logging.getLogger(__name__)

PROGRESS_TIMEOUT = 6 * 3600


@transaction.atomic
def import_receive(*, actor: User, name: str, data: bytes) -> ImportBatch:
    """Take an upload: size and kind are checked at once; the worker reads and checks the rows.

    Opening a workbook can take long (a crafted one, much longer), so the request only stores the
    file and queues `representatives.tasks.import_check`; the preview page waits for it.
    """
    check_upload(name=name, data=data)
    batch = ImportBatch.objects.create(
        uploaded_by=actor, file_name=(name or "")[:200], upload=data, status=ImportBatch.Status.CHECKING
    )
    set_progress(batch.pk, done=0, total=0)
    import_check_task.delay_on_commit(batch.pk)
    return batch


def import_check(*, batch_id: int) -> ImportBatch:
    """In the worker: read an uploaded file and check its rows; the batch becomes the preview.

    A file that cannot be used at all is refused with the reason, in the batch's message.
    """
    from celery.exceptions import SoftTimeLimitExceeded

    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update(of=("self",)).select_related("uploaded_by").get(pk=batch_id)
        if batch.status != ImportBatch.Status.CHECKING:
            return batch
        data = bytes(batch.upload or b"")
        try:
            batch.rows = read_rows(name=batch.file_name, data=data)
            stage(batch, validate_rows(actor=batch.uploaded_by, rows=batch.rows))
            batch.message = ""
        except ValidationError as exc:
            batch.status, batch.message = ImportBatch.Status.INVALID, " ".join(exc.messages)[:500]
        except MemoryError:
            batch.status, batch.message = ImportBatch.Status.INVALID, " ".join(too_big_unpacked().messages)
        except SoftTimeLimitExceeded:
            batch.status = ImportBatch.Status.INVALID
            batch.message = _("Reading this file took too long, so it was stopped: check the file and upload it again.")
        batch.upload = None
        batch.save(update_fields=["rows", "status", "counts", "report", "message", "upload"])
    logger.info("roster upload %s checked: %s %s", batch.pk, batch.status, batch.counts)
    return batch


@transaction.atomic
def import_upload(*, actor: User, name: str, data: bytes) -> ImportBatch:
    """Read and check an uploaded roster; stage it for the preview. Nothing on the roster changes.

    Raises ValidationError (in Chinese) when the file cannot be used at all: too large, not a
    spreadsheet, empty, or without the template's header.
    """
    rows = read_rows(name=name, data=data)
    plan = validate_rows(actor=actor, rows=rows)
    batch = ImportBatch(uploaded_by=actor, file_name=(name or "")[:200], rows=rows)
    stage(batch, plan)
    batch.save()
    return batch


def stage(batch: ImportBatch, plan: ImportPlan) -> None:
    batch.counts, batch.report = plan.counts, plan.report
    batch.status = ImportBatch.Status.INVALID if plan.has_errors else ImportBatch.Status.READY


@transaction.atomic
def import_resolve(*, actor: User, batch: ImportBatch, row: int, choice: str, representative_id: int | None = None):
    """The uploader answers a conflict row: the same person as a namesake on the roster, or someone new.

    The whole file is checked again with the answer (the preview shown is then the current one).
    """
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if not access.import_batches_own(actor).filter(pk=batch.pk).exists():
        raise PermissionDenied
    if batch.status != ImportBatch.Status.READY:
        raise ValidationError(_("This file has already been imported or is being imported."))
    entry = next((r for r in batch.report if r["row"] == row and r.get("candidates")), None)
    if entry is None or choice not in (Choice.SAME, Choice.NEW):
        raise ValidationError(_("This row has nothing to decide: reload the preview."))
    answer = {"choice": choice}
    if choice == Choice.SAME:
        if representative_id not in {candidate["pk"] for candidate in entry["candidates"]}:
            raise ValidationError(_("This row has nothing to decide: reload the preview."))
        answer["representative"] = representative_id
    batch.resolutions = {**batch.resolutions, str(row): answer}
    stage(batch, validate_rows(actor=actor, rows=batch.rows, resolutions=batch.resolutions))
    batch.message = ""
    batch.save(update_fields=["resolutions", "counts", "report", "status", "message"])
    return batch


def import_can_retry(batch: ImportBatch) -> bool:
    """A failed import that can simply be run again: stopped, not refused for its rows."""
    return (
        batch.status == ImportBatch.Status.FAILED
        and not batch.counts.get(Action.ERROR)
        and not batch.counts.get(Action.CONFLICT)
    )


@transaction.atomic
def import_confirm(*, actor: User, batch: ImportBatch) -> ImportBatch:
    """The uploader confirms a previewed file without errors: the apply task is queued after commit.

    An import that was interrupted (the worker stopped; nothing was written) may be confirmed again.
    """
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if not access.import_batches_own(actor).filter(pk=batch.pk).exists():
        raise PermissionDenied
    if batch.status == ImportBatch.Status.INVALID:
        raise ValidationError(_("Correct the rows with errors and upload the file again."))
    if batch.status != ImportBatch.Status.READY and not import_can_retry(batch):
        raise ValidationError(_("This file has already been imported or is being imported."))
    if not batch.rows:
        raise ValidationError(_("The rows of this upload were cleared after 30 days: upload the file again."))
    if batch.counts.get(Action.CONFLICT):
        raise ValidationError(
            _("Some rows name someone already on the roster with another mobile number: decide each of them first.")
        )
    batch.status = ImportBatch.Status.QUEUED
    batch.message = ""
    batch.queued_at = timezone.now()
    batch.save(update_fields=["status", "message", "queued_at"])
    set_progress(batch.pk, done=0, total=len(batch.rows))
    import_apply_task.delay_on_commit(batch.pk)
    return batch


def progress_key(batch_id: int) -> str:
    return f"representatives:import:{batch_id}:progress"


def set_progress(batch_id: int, *, done: int, total: int) -> None:
    cache.set(progress_key(batch_id), {"done": done, "total": total, "at": time.time()}, PROGRESS_TIMEOUT)


def get_progress(batch_id: int) -> dict:
    progress = cache.get(progress_key(batch_id)) or {"done": 0, "total": 0}
    return {"done": progress["done"], "total": progress["total"]}


def _progress_at(batch_id: int) -> float | None:
    progress = cache.get(progress_key(batch_id))
    return progress.get("at") if progress else None


STUCK_AFTER = datetime.timedelta(minutes=30)


def import_batches_fail_stuck(*, now=None) -> int:
    """Periodic: imports queued for longer than STUCK_AFTER with no progress since are marked failed
    (and uploads still being read after that long are refused).

    That is a worker killed or lost mid-import: the apply is one transaction, so nothing was
    written, and the uploader may confirm again. An import still running holds its batch's row
    lock and is skipped (PostgreSQL). Returns how many batches were marked.
    """
    now = now or timezone.now()
    cutoff = now - STUCK_AFTER
    marked = 0
    candidates = ImportBatch.objects.filter(status=ImportBatch.Status.QUEUED, queued_at__lt=cutoff)
    for pk in candidates.values_list("pk", flat=True):
        at = _progress_at(pk)
        if at is not None and at >= cutoff.timestamp():
            continue  # still moving
        with transaction.atomic():
            batch = (
                ImportBatch.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, status=ImportBatch.Status.QUEUED)
                .first()
            )
            if batch is None:
                continue
            batch.status = ImportBatch.Status.FAILED
            batch.message = _(
                "The import was interrupted (the background worker stopped): nothing was imported. "
                "You can import the file again."
            )
            batch.finished_at = now
            batch.save(update_fields=["status", "message", "finished_at"])
            marked += 1
            logger.warning("roster import %s was stuck since %s: marked failed", pk, batch.queued_at)
    # An upload whose reading never ended (its worker died): refused, to be uploaded again.
    unread = ImportBatch.objects.filter(status=ImportBatch.Status.CHECKING, created_at__lt=cutoff)
    marked += unread.update(
        status=ImportBatch.Status.INVALID,
        upload=None,
        message=_("Reading this file was interrupted: upload it again."),
    )
    return marked


# --- Personal data minimisation ----------------------------------------------------------------

STAGED_DAYS = 30


def import_batches_purge(*, older_than_days: int = STAGED_DAYS, now=None) -> int:
    """Clear the staged cells and row report of uploads older than the limit.

    They hold representatives' phones and addresses and are not needed once the file is
    imported (the representatives' own history says who changed what) or abandoned. Who uploaded
    which file, when, and the counts stay. Returns how many batches were cleared.
    """
    cutoff = (now or timezone.now()) - datetime.timedelta(days=older_than_days)
    return (
        ImportBatch.objects.filter(created_at__lt=cutoff)
        .exclude(status=ImportBatch.Status.QUEUED)
        .exclude(rows=[], report=[], upload=None)
        .update(rows=[], report=[], upload=None)
    )
