"""Celery tasks of the suggestions app: thin wrappers that call a service and log how many they
handled. A task imports its service inside its body (the one edge the import contracts ignore)."""

import logging

from celery import shared_task
from django.db import InterfaceError, OperationalError

logger = logging.getLogger(__name__)

RETRY = {
    "autoretry_for": (OperationalError, InterfaceError),
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "max_retries": 5,
}


@shared_task(**RETRY)
def deadline_watch() -> dict:
    """Daily: provisional deadlines recomputed, units reminded 7/3/1 days ahead, overdue digests."""
    from suggestions.services.deadline_watch import deadline_watch as watch

    counts = watch()
    logger.info("deadline_watch handled %s", counts)
    return counts
