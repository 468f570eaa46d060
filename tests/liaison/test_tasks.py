"""Notifications: stored once per key, delivered by a real Celery worker through Redis."""

import logging
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail

from liaison import services, sms
from liaison.celery_app import app
from liaison.models import Notification


def test_same_key_twice_stores_one_notification(network):
    user = network.users["officer"]
    first = services.notify(recipient=user, kind="test", key="k-1", title="一")
    second = services.notify(recipient=user, kind="test", key="k-1", title="一")
    assert first is not None
    assert second is None
    assert Notification.objects.filter(key="k-1").count() == 1


def test_delivery_sends_each_channel_once(network):
    user = network.users["officer"]
    user.email, user.phone = "officer@example.org", "13800001234"
    user.save()
    notification = services.notify(
        recipient=user, kind="test", key="k-2", title="提醒", channels=("inbox", "email", "sms")
    )
    assert services.notification_deliver_external(notification_id=notification.pk) == ["email", "sms"]
    assert services.notification_deliver_external(notification_id=notification.pk) == []
    assert len(mail.outbox) == 1


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_delivers_through_redis(network):
    """notify() queues after commit; a real worker takes the task from Redis and sends it."""
    user = network.users["officer"]
    user.email, user.phone = "officer@example.org", "13800001234"
    user.save()
    sms.outbox.clear()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        notification = services.notify(
            recipient=user, kind="test", key="k-worker", title="接待日提醒", channels=("inbox", "email", "sms")
        )
        for _ in range(100):
            notification.refresh_from_db()
            if notification.sms_sent_at and notification.email_sent_at:
                break
            time.sleep(0.1)
    assert notification.email_sent_at is not None
    assert notification.sms_sent_at is not None
    assert sms.outbox == [{"phone": "13800001234", "text": "接待日提醒"}]


def test_default_sms_backend_logs_a_masked_number(caplog):
    caplog.set_level(logging.INFO, logger="liaison.sms")
    sms.LoggingSmsBackend().send(phone="13800001234", text="提醒")
    assert "SMS to 138****1234: 提醒" in caplog.text
