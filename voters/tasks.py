"""Celery tasks of the voters app: thin wrappers that call a service and log how many they handled.

One import direction: services queue tasks; a task imports its service inside its body."""

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
def reception_reminders() -> dict:
    """Hourly: reminders 3 days and 1 day ahead, unconfirmed-duty alerts (each sent once)."""
    from voters.services import reception_reminders

    counts = reception_reminders.reception_reminders_send()
    logger.info("reception_reminders handled %s", counts)
    return counts


@shared_task(**RETRY)
def reception_notices_publish() -> int:
    """Hourly: publish the public notice of the days whose notice date has come."""
    from voters.services import reception

    count = reception.reception_notices_publish()
    logger.info("reception_notices_publish handled %s", count)
    return count
