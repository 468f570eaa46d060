"""The roster's Excel import: one uploaded file between its preview and its apply."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class ImportBatch(models.Model):
    """An uploaded roster file, staged between its preview and its confirmation.

    The parsed cells are kept (not the file), so the apply step validates exactly what was
    previewed. Only the uploader may open or confirm it.
    """

    class Status(models.TextChoices):
        CHECKING = "checking", _("Checking the file")
        READY = "ready", _("Ready to import")
        INVALID = "invalid", _("Has errors")
        QUEUED = "queued", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Not imported")

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.CASCADE, related_name="+"
    )
    file_name = models.CharField(_("file name"), max_length=200)
    rows = models.JSONField(default=list, editable=False)  # [[row number, cell, cell, ...], ...]
    # The uploaded file, kept only until the worker has read it (parsing is not done in the request).
    upload = models.BinaryField(null=True, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.READY)
    counts = models.JSONField(default=dict, editable=False)  # {"new": n, "update": n, ...}
    report = models.JSONField(default=list, editable=False)  # one dict per row, see RowResult.as_report
    # The uploader's answers to conflict rows: {"row number": {"choice": "same"|"new", "representative": pk}}
    resolutions = models.JSONField(default=dict, editable=False)
    message = models.CharField(_("message"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    queued_at = models.DateTimeField(_("queued for import at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("roster import")
        verbose_name_plural = _("roster imports")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.file_name} · {self.created_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self):
        return reverse("representatives:import_detail", args=[self.pk])
