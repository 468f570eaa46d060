"""SMS delivery. The gateway is outside the system, so it sits behind a small interface.

Set SMS_BACKEND to the dotted path of a class with `send(*, phone, text)`. The default writes
each message to the log, which is what the demo and the tests use.
"""

import logging

from django.conf import settings
from django.utils.module_loading import import_string

from liaison.privacy import mask_phone

logger = logging.getLogger("liaison.sms")


class LoggingSmsBackend:
    """Writes the message to the log instead of sending it."""

    def send(self, *, phone: str, text: str) -> None:
        logger.info("SMS to %s: %s", mask_phone(phone), text)


def get_sms_backend():
    return import_string(settings.SMS_BACKEND)()


# Messages "sent" by OutboxSmsBackend, like django.core.mail.outbox for email.
outbox: list[dict] = []


class OutboxSmsBackend:
    """Keeps messages in `liaison.sms.outbox`: for the test suite."""

    def send(self, *, phone: str, text: str) -> None:
        outbox.append({"phone": phone, "text": text})
