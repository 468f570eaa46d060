"""Notifications to users and the channels each user wants them on."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """A message to one user: always in the in-app inbox, optionally by email and SMS.

    `key` is unique: a reminder sent twice under the same key is stored (and delivered) once.
    """

    class Channel(models.TextChoices):
        INBOX = "inbox", _("In-app")
        EMAIL = "email", _("Email")
        SMS = "sms", _("SMS")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=50)
    key = models.CharField(max_length=200, unique=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(max_length=300, blank=True)
    channels = models.JSONField(default=list)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    email_sent_at = models.DateTimeField(null=True, blank=True)
    sms_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self):
        return self.title


class NotificationPreference(models.Model):
    """Which channels a user wants besides the in-app inbox (which is always on)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    email = models.BooleanField(_("by email"), default=False)
    sms = models.BooleanField(_("by SMS"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self):
        return f"{self.user}: {', '.join(self.channels())}"

    def channels(self) -> tuple[str, ...]:
        chosen = [Notification.Channel.INBOX.value]
        if self.email:
            chosen.append(Notification.Channel.EMAIL.value)
        if self.sms:
            chosen.append(Notification.Channel.SMS.value)
        return tuple(chosen)
