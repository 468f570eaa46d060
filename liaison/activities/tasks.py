"""Periodic jobs of activities: thin Celery wrappers over the services; each logs its count."""

import logging

from celery import shared_task
from django.db import InterfaceError, OperationalError

from liaison.activities.services import notices as notice_services

logger = logging.getLogger(__name__)

RETRY = {
    "autoretry_for": (OperationalError, InterfaceError),
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "max_retries": 5,
}


@shared_task(**RETRY)
def activity_notices() -> int:
    """Hourly: announcement notices not sent yet, and the day-before notices (local days)."""
    announced = notice_services.activity_send_announcements()
    day_before = notice_services.activity_send_day_before()
    logger.info("activity notices: %s announcements and %s day-before notices sent", announced, day_before)
    return announced + day_before


@shared_task(**RETRY)
def activity_duty_check() -> int:
    """First day of a quarter: representatives short of two activities last quarter, and officers."""
    sent = notice_services.duty_check_quarter()
    logger.info("quarterly duty check: %s notices sent", sent)
    return sent
