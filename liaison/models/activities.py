"""Representatives' activities and their funds (代表活动, 经费): invitations, budgets, expenses."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from liaison.history import ChangedOnlyHistoricalRecords as HistoricalRecords
from liaison.models.network import Station


def _money_field(verbose_name, **kwargs):
    """Amounts in yuan: exact decimals with two places, never floats."""
    return models.DecimalField(verbose_name, max_digits=12, decimal_places=2, **kwargs)


class FundPurpose(models.TextChoices):
    """What money is for; a station's budget may be split by purpose (seed 001: mobile work apart)."""

    GENERAL = "general", _("Representatives' activities")
    MOBILE = "mobile", _("Mobile representatives' work")
    TRAINING = "training", _("Training")
    OTHER = "other", _("Other")


class Activity(models.Model):
    """A representatives' activity at a station: training, inspection, research, theme activity, meeting."""

    class Kind(models.TextChoices):
        TRAINING = "training", _("Training")
        INSPECTION = "inspection", _("Inspection")
        RESEARCH = "research", _("Research")
        THEME = "theme", _("Theme activity")
        MEETING = "meeting", _("Meeting")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ANNOUNCED = "announced", _("Announced")
        CANCELLED = "cancelled", _("Cancelled")

    station = models.ForeignKey(
        Station, verbose_name=_("liaison station"), on_delete=models.PROTECT, related_name="activities"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=100)
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    location = models.CharField(_("place"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    planned_amount = _money_field(_("planned amount (yuan)"), default=0)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    announced_at = models.DateTimeField(_("announced at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-starts_at", "-pk"]
        # The activity list's order (liaison.pagination), walked backwards.
        indexes = [models.Index(fields=["starts_at", "id"], name="activity_list_order")]
        constraints = [
            models.CheckConstraint(condition=Q(planned_amount__gte=0), name="activity_planned_amount_not_negative"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("activities:detail", args=[self.pk])


class ActivityInvitation(models.Model):
    """A representative invited to an activity, and whether (and how) their attendance was recorded."""

    class Via(models.TextChoices):
        STATION = "station", _("By station")
        GROUP = "group", _("By group")
        HAND = "hand", _("Hand-picked")

    class Method(models.TextChoices):
        OFFICER = "officer", _("Recorded by staff")
        CHECK_IN = "check_in", _("Checked in")

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="invitations")
    representative = models.ForeignKey(
        "representatives.Representative",
        verbose_name=_("representative"),
        on_delete=models.CASCADE,
        related_name="activity_invitations",
    )
    via = models.CharField(_("invited"), max_length=10, choices=Via.choices, default=Via.HAND)
    attended_at = models.DateTimeField(_("attended"), null=True, blank=True)
    attendance_method = models.CharField(_("recorded as"), max_length=10, choices=Method.choices, blank=True)
    attendance_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    # Who marked whom present or absent, and when.
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("activity invitation")
        verbose_name_plural = _("activity invitations")
        constraints = [
            models.UniqueConstraint(fields=["activity", "representative"], name="invitation_unique"),
        ]
        indexes = [models.Index(fields=["representative", "attended_at"])]

    def __str__(self):
        return f"{self.activity} · {self.representative}"


class StationBudget(models.Model):
    """A station's activity budget for one year and one purpose (a station may have several)."""

    station = models.ForeignKey(
        Station, verbose_name=_("liaison station"), on_delete=models.PROTECT, related_name="budgets"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    purpose = models.CharField(_("purpose"), max_length=12, choices=FundPurpose.choices, default=FundPurpose.GENERAL)
    amount = _money_field(_("budget (yuan)"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("station budget")
        verbose_name_plural = _("station budgets")
        ordering = ["station__path", "year", "purpose"]
        constraints = [
            models.UniqueConstraint(fields=["station", "year", "purpose"], name="budget_unique_purpose_per_year"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="budget_amount_not_negative"),
        ]

    def __str__(self):
        return f"{self.station} · {self.year} · {self.get_purpose_display()}"


def receipt_upload_to(instance, filename: str) -> str:
    import os
    import uuid

    extension = os.path.splitext(filename)[1].lower()
    return f"receipts/{uuid.uuid4().hex}{extension}"


class Expense(models.Model):
    """Money spent on an activity: amount, purpose, receipt, and who recorded it."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.PROTECT, related_name="expenses"
    )
    amount = _money_field(_("amount (yuan)"))
    purpose = models.CharField(_("purpose"), max_length=12, choices=FundPurpose.choices, default=FundPurpose.GENERAL)
    note = models.CharField(_("what it paid for"), max_length=200, blank=True)
    spent_on = models.DateField(_("date"))
    receipt = models.FileField(_("receipt"), upload_to=receipt_upload_to, blank=True, max_length=200)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("expense")
        verbose_name_plural = _("expenses")
        ordering = ["-spent_on", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="expense_amount_positive")]

    def __str__(self):
        return f"{self.activity} · {self.amount}"
