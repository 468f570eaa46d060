"""Celery tasks of the station network: thin wrappers that take ids and call a service."""

import logging

from celery import shared_task

from liaison import services

logger = logging.getLogger(__name__)


@shared_task(autoretry_for=(Exception,), retry_backoff=True, retry_backoff_max=600, max_retries=5)
def notification_deliver(notification_id: int) -> list[str]:
    """Send one notification's email and SMS (each once, however often this runs)."""
    sent = services.notification_deliver_external(notification_id=notification_id)
    logger.info("notification %s delivered by %s", notification_id, sent or "nothing new")
    return sent
