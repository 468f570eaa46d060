"""Reception days (接待选民日) and the visits logged on them (接待登记).

A reception day is held at a station by its duty representatives; each visitor's visit is logged
under it with the items they raised. Each raised item is kept on its own so that the suggestions
app can turn it into a Suggestion in one step (see `RaisedItem.suggestion`).
"""

import datetime
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from liaison.models import Station

DEFAULT_NOTICE_DAYS = 3


class ReceptionSeries(models.Model):
    """How a series of reception days was scheduled ("the 15th of every odd month")."""

    station = models.ForeignKey(Station, verbose_name=_("station"), on_delete=models.PROTECT, related_name="+")
    description = models.CharField(_("rule"), max_length=200)
    rule = models.CharField(max_length=300, help_text="RFC 5545 RRULE the days were generated from.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reception series")
        verbose_name_plural = _("reception series")

    def __str__(self):
        return self.description


class ReceptionDay(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", pgettext_lazy("reception day", "Held")
        CANCELLED = "cancelled", _("Cancelled")

    station = models.ForeignKey(
        Station, verbose_name=_("station"), on_delete=models.PROTECT, related_name="reception_days"
    )
    series = models.ForeignKey(ReceptionSeries, on_delete=models.SET_NULL, null=True, blank=True, related_name="days")
    date = models.DateField(_("date"))
    starts_at = models.TimeField(_("starts at"), default=datetime.time(9, 0))
    ends_at = models.TimeField(_("ends at"), default=datetime.time(11, 0))
    theme = models.CharField(_("theme"), max_length=100, blank=True)
    notice_days = models.PositiveSmallIntegerField(_("days of notice"), default=DEFAULT_NOTICE_DAYS)
    # The public notice goes out on this local date (date - notice_days), by the periodic job.
    notice_on = models.DateField(_("notice published on"), editable=False)
    notice_published_at = models.DateTimeField(null=True, blank=True, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=200, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    visitor_count = models.PositiveIntegerField(_("visitors"), null=True, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    # Set when the log is finished; a held day without it is "not logged yet".
    logged_at = models.DateTimeField(_("logged at"), null=True, blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("reception day")
        verbose_name_plural = _("reception days")
        ordering = ["date", "starts_at", "pk"]
        indexes = [
            models.Index(fields=["station", "date"]),
            models.Index(fields=["date", "status"]),
            models.Index(fields=["notice_on", "notice_published_at"]),
            # The lists' order (liaison.pagination).
            models.Index(fields=["date", "starts_at", "id"], name="receptionday_list_order"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="reception_hours_order"),
        ]

    def __str__(self):
        return f"{self.station.name} {self.date.isoformat()}"

    @property
    def is_notice_published(self) -> bool:
        return self.notice_published_at is not None


class DutyAssignment(models.Model):
    """A representative on duty at a reception day: invited, then confirmed or declined."""

    class Status(models.TextChoices):
        INVITED = "invited", _("Invited")
        CONFIRMED = "confirmed", _("Confirmed")
        DECLINED = "declined", _("Declined")

    day = models.ForeignKey(ReceptionDay, on_delete=models.CASCADE, related_name="duties")
    representative = models.ForeignKey(
        "representatives.Representative",
        verbose_name=_("representative"),
        on_delete=models.PROTECT,
        related_name="reception_duties",
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.INVITED)
    responded_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.CharField(_("reason"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("duty representative")
        verbose_name_plural = _("duty representatives")
        ordering = ["day", "pk"]
        constraints = [models.UniqueConstraint(fields=["day", "representative"], name="duty_unique_per_day")]
        indexes = [models.Index(fields=["status", "day"])]

    def __str__(self):
        return f"{self.representative} @ {self.day}"


class Visit(models.Model):
    """One visitor's visit on a reception day (接待登记). No voter: an anonymous visitor."""

    class Outcome(models.TextChoices):
        SETTLED = "settled", _("Settled on the spot")
        FOLLOW_UP = "follow_up", _("To be followed up")

    day = models.ForeignKey(ReceptionDay, on_delete=models.CASCADE, related_name="visits")
    voter = models.ForeignKey(
        "voters.Voter", verbose_name=_("voter"), on_delete=models.PROTECT, null=True, blank=True, related_name="visits"
    )
    received_by = models.ForeignKey(
        "representatives.Representative",
        verbose_name=_("received by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visits_received",
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.FOLLOW_UP)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["day", "pk"]

    def __str__(self):
        return f"{self.day}: {self.voter or _('anonymous')}"


class RaisedItem(models.Model):
    """One matter a visitor raised; one step turns it into a Suggestion (`suggestion`, null until
    then), filled by the suggestions app's own service. `voters.services.visits.raised_items_to_convert`
    lists the items waiting for it."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="items")
    text = models.CharField(_("what was raised"), max_length=500)
    position = models.PositiveSmallIntegerField(default=0)
    suggestion = models.ForeignKey(
        "suggestions.Suggestion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="raised_items",
    )

    class Meta:
        verbose_name = _("raised item")
        verbose_name_plural = _("raised items")
        ordering = ["visit", "position", "pk"]

    def __str__(self):
        return self.text


class VisitDraft(models.Model):
    """The visit being typed on a phone, saved on the server as it is typed (survives a reload)."""

    day = models.ForeignKey(ReceptionDay, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    data = models.JSONField(default=dict)
    # The form (one page load) whose visit was saved: a late autosave from it is ignored, so a
    # saved visit never comes back as a draft.
    closed_token = models.CharField(max_length=32, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "user"], name="visit_draft_unique")]

    def __str__(self):
        return f"draft {self.day_id}/{self.user_id}"


def _new_token() -> str:
    return secrets.token_urlsafe(24)


class CalendarFeed(models.Model):
    """A representative's private iCalendar URL of their duties; revoked, it answers 404."""

    representative = models.ForeignKey(
        "representatives.Representative", on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    token = models.CharField(max_length=64, unique=True, default=_new_token, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"calendar feed of {self.representative_id}"
