"""Celery tasks of the station network: thin wrappers that take ids and call a service.

Services queue these tasks (imported at module top as `<name>_task`); a task imports its service
inside its body, so that tasks never import services at load time.
"""

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(autoretry_for=(Exception,), retry_backoff=True, retry_backoff_max=600, max_retries=5)
def notification_deliver(notification_id: int) -> list[str]:
    """Send one notification's email and SMS (each once, however often this runs)."""
    from liaison.services import notification_deliver_external

    sent = notification_deliver_external(notification_id=notification_id)
    logger.info("notification %s delivered by %s", notification_id, sent or "nothing new")
    return sent
