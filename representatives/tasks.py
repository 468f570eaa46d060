"""Celery tasks of the representatives app: thin wrappers that take ids and call a service.

One import direction: services queue these tasks (imported at module top as `<name>_task`); a task
imports its service inside its body, so loading this module loads no service.
"""

import contextlib
import logging

from celery import shared_task
from django.db import InterfaceError, OperationalError

logger = logging.getLogger(__name__)


# --- Roster import ---------------------------------------------------------------------------


@shared_task(
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=5,
    # Acknowledged after it runs (settings: CELERY_TASK_ACKS_LATE), so a worker that dies takes the
    # message back to the queue; a child process killed mid-import is not retried blindly (it may
    # have been killed for its memory): the batch stays queued and import_batches_fail_stuck marks
    # it failed, the uploader confirms again. The limits stop a runaway import (prefork pool).
    soft_time_limit=20 * 60,
    time_limit=21 * 60,
)
def import_apply(batch_id: int) -> str:
    """Write a confirmed roster file, all rows or none; progress goes to the cache."""
    from representatives.services.import_writing import import_apply

    batch = import_apply(batch_id=batch_id)
    logger.info("roster import %s finished: %s", batch_id, batch.status)
    return batch.status


@shared_task(
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=5,
    soft_time_limit=120,  # the archive and streaming limits keep a legitimate file far below this
    time_limit=150,
)
def import_check(batch_id: int) -> str:
    """Read an uploaded roster file and check its rows, off the web request, within a memory limit."""
    from representatives.services.imports import import_check

    with memory_limit(CHECK_MEMORY_BYTES):
        batch = import_check(batch_id=batch_id)
    return batch.status


CHECK_MEMORY_BYTES = 1024 * 1024 * 1024  # more than a 20,000-row roster needs, several times over


@contextlib.contextmanager
def memory_limit(extra: int):
    """Let this process grow by at most `extra` bytes of address space meanwhile (MemoryError past it).

    Linux only; elsewhere, or if the limit cannot be set, the archive and streaming limits of
    import_format.read_rows still bound what a file can take.
    """
    try:
        import resource

        with open("/proc/self/status") as status:
            size = next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmSize:"))
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = size + extra
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ImportError, OSError, StopIteration, ValueError):
        yield
        return
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


@shared_task(autoretry_for=(OperationalError, InterfaceError), retry_backoff=True, retry_backoff_max=600, max_retries=5)
def import_batches_purge() -> int:
    """Daily: clear the staged personal data of roster uploads older than 30 days."""
    from representatives.services.imports import import_batches_purge

    cleared = import_batches_purge()
    logger.info("roster imports: staged rows of %s old uploads cleared", cleared)
    return cleared


@shared_task(autoretry_for=(OperationalError, InterfaceError), retry_backoff=True, retry_backoff_max=600, max_retries=5)
def import_batches_fail_stuck() -> int:
    """Every 10 minutes: imports stuck in the queue (their worker died) are marked failed."""
    from representatives.services.imports import import_batches_fail_stuck

    marked = import_batches_fail_stuck()
    logger.info("roster imports: %s stuck imports marked failed", marked)
    return marked


# --- Mobile register: the half-yearly refresh ----------------------------------------------------


@shared_task(autoretry_for=(OperationalError, InterfaceError), retry_backoff=True, retry_backoff_max=600, max_retries=5)
def register_refresh_open_due() -> int:
    """Beat, 1 January and 1 July: open the refresh of the current half-year (idempotent)."""
    from django.utils import timezone

    from representatives.services.refresh import half_year_start, register_refresh_open

    campaign = register_refresh_open(period_start=half_year_start(timezone.localdate()))
    count = campaign.confirmations.count()
    logger.info("register refresh %s: %s entries to confirm", campaign.pk, count)
    return campaign.pk


@shared_task(autoretry_for=(OperationalError, InterfaceError), retry_backoff=True, retry_backoff_max=600, max_retries=5)
def register_refresh_remind(campaign_id: int | None = None) -> int:
    """Beat, weekly: remind whoever still has open confirmations (once per person per week)."""
    from representatives.models import RefreshCampaign
    from representatives.services.refresh import register_refresh_remind as remind

    campaigns = RefreshCampaign.objects.filter(closed_at__isnull=True)
    if campaign_id is not None:
        campaigns = campaigns.filter(pk=campaign_id)
    sent = 0
    for campaign in campaigns:
        sent += remind(campaign=campaign)
    logger.info("register refresh reminders: %s sent for %s open campaigns", sent, len(campaigns))
    return sent


# --- Annual evaluation -----------------------------------------------------------------------


@shared_task(autoretry_for=(OperationalError, InterfaceError), retry_backoff=True, retry_backoff_max=600, max_retries=5)
def annual_evaluation_draft() -> int:
    """Early January: the past year's evaluation drafts of every congress (published ones stay frozen)."""
    from representatives.services.evaluation import annual_evaluation_draft_due

    computed = annual_evaluation_draft_due()
    logger.info("annual evaluation: %s drafts computed", computed)
    return computed
