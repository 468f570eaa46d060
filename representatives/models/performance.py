"""Performance records (履职档案), points rules (履职积分), report-backs (述职) and the annual
evaluation (评先评优). Imported at the end of `representatives.models`, which re-exports them.

Foreign keys to the roster are by name ("representatives.Representative") so that this module
never imports `representatives.models` (that module imports this one).
"""

from __future__ import annotations

import os
import uuid

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

__all__ = [
    "AnnualEvaluation",
    "EvaluationEntry",
    "OutstandingProposal",
    "PerformanceKind",
    "PerformanceRecord",
    "PointsPublication",
    "PointsRule",
    "PointsRuleSet",
    "ProposalResult",
    "ProposalSatisfaction",
    "ReportBack",
    "evidence_upload_to",
]

_points = {"max_digits": 7, "decimal_places": 1}


class PerformanceKind(models.TextChoices):
    RECEPTION = "reception", _("Reception duty")
    ACTIVITY = "activity", _("Activity attended")
    TRAINING = "training", _("Training")
    INSPECTION = "inspection", _("Inspection")
    PROPOSAL_FILED = "proposal_filed", _("Proposal filed")
    PROPOSAL_COSIGNED = "proposal_cosigned", _("Proposal co-signed")
    REPORT_BACK = "report_back", _("Report-back")
    HOUSEHOLD_VISIT = "household_visit", _("Household visit")
    OTHER = "other", _("Other duty")


# How a proposal was handled and rated, carried onto its performance records. The values are the
# suggestions app's own (Suggestion.Result, Suggestion.Satisfaction), copied: this app never
# imports that one (tests check the two stay the same).
class ProposalResult(models.TextChoices):
    SOLVED = "A", _("A: solved")
    BEING_SOLVED = "B", _("B: being solved")
    PLANNED = "C", _("C: planned")
    EXPLAINED = "D", _("D: explained, cannot be done now")


class ProposalSatisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    PARTLY = "partly", _("Partly satisfied")
    UNSATISFIED = "unsatisfied", _("Unsatisfied")


class PointsRuleSet(models.Model):
    """The points rules in force from `valid_from` until the next set begins (rules are data)."""

    valid_from = models.DateField(_("in force from"), unique=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("points rules")
        verbose_name_plural = _("points rules")
        ordering = ["-valid_from"]

    def __str__(self):
        return str(self.valid_from)


class PointsRule(models.Model):
    """Points for one kind of duty, and at most how many points that kind earns in a year."""

    rule_set = models.ForeignKey(PointsRuleSet, on_delete=models.CASCADE, related_name="rules")
    kind = models.CharField(_("kind"), max_length=20, choices=PerformanceKind.choices)
    points = models.DecimalField(_("points"), **_points)
    yearly_cap = models.DecimalField(_("yearly cap"), null=True, blank=True, **_points)

    class Meta:
        verbose_name = _("points rule")
        verbose_name_plural = _("points rules")
        constraints = [
            models.UniqueConstraint(fields=["rule_set", "kind"], name="points_rule_unique_kind"),
            models.CheckConstraint(condition=Q(points__gte=0), name="points_rule_points_not_negative"),
            models.CheckConstraint(
                condition=Q(yearly_cap__isnull=True) | Q(yearly_cap__gte=0), name="points_rule_cap_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.rule_set} · {self.get_kind_display()}"


def evidence_upload_to(instance, filename: str) -> str:
    return f"evidence/{uuid.uuid4().hex}{os.path.splitext(filename)[1].lower()}"


class PerformanceRecord(models.Model):
    """One duty done by a representative. Records with a source are written by the services of
    the app that owns the source (attendance, a held reception day, a household visit, a held
    report-back, a proposal) and removed when the source is undone; never two for one source."""

    representative = models.ForeignKey(
        "representatives.Representative",
        verbose_name=_("representative"),
        on_delete=models.CASCADE,
        related_name="performance_records",
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=20, choices=PerformanceKind.choices)
    points = models.DecimalField(_("points"), default=0, **_points)
    source_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    evidence = models.FileField(_("evidence"), upload_to=evidence_upload_to, blank=True, max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # A record with a source counts at once; one added by hand counts once someone else verified it.
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    # A proposal's records (filed, co-signed): the result of its latest answer and that answer's
    # rating, written by the suggestions services (`performance_records_set_outcome`); "" until then.
    outcome_result = models.CharField(
        _("handling result"), max_length=1, choices=ProposalResult.choices, blank=True, default="", db_default=""
    )
    outcome_satisfaction = models.CharField(
        _("rating"), max_length=12, choices=ProposalSatisfaction.choices, blank=True, default="", db_default=""
    )

    class Meta:
        verbose_name = _("performance record")
        verbose_name_plural = _("performance records")
        ordering = ["-date", "-pk"]
        indexes = [
            models.Index(fields=["representative", "date"]),
            models.Index(fields=["date", "kind"]),
            models.Index(fields=["source_type", "source_id"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["source_type", "source_id", "representative", "kind"],
                condition=Q(source_type__isnull=False),
                name="performance_record_once_per_source",
            ),
            models.CheckConstraint(
                condition=Q(source_type__isnull=True, source_id__isnull=True)
                | Q(source_type__isnull=False, source_id__isnull=False),
                name="performance_record_source_complete",
            ),
        ]

    def __str__(self):
        return f"{self.date} {self.representative} {self.get_kind_display()}"

    @property
    def is_manual(self) -> bool:
        return self.source_type_id is None

    @property
    def counts(self) -> bool:
        return self.verified_at is not None


class ReportBack(models.Model):
    """A representative reports to the voters of their district (述职), rated by those present."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")

    representative = models.ForeignKey(
        "representatives.Representative",
        verbose_name=_("representative"),
        on_delete=models.CASCADE,
        related_name="report_backs",
    )
    term = models.CharField(_("term"), max_length=20)
    year = models.PositiveSmallIntegerField(_("planned year"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    held_on = models.DateField(_("held on"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    attendees = models.PositiveIntegerField(_("voters present"), null=True, blank=True)
    rated_satisfied = models.PositiveIntegerField(_("satisfied"), default=0)
    rated_partly = models.PositiveIntegerField(_("partly satisfied"), default=0)
    rated_unsatisfied = models.PositiveIntegerField(_("unsatisfied"), default=0)
    summary = models.TextField(_("summary"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("report-back")
        verbose_name_plural = _("report-backs")
        ordering = ["-year", "held_on", "pk"]
        indexes = [models.Index(fields=["representative", "term", "status"]), models.Index(fields=["year", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="planned") | Q(held_on__isnull=False), name="report_back_held_has_date"
            ),
        ]

    def __str__(self):
        return f"{self.representative} · {self.year}"

    @property
    def ratings_total(self) -> int:
        return self.rated_satisfied + self.rated_partly + self.rated_unsatisfied

    @property
    def satisfied_percent(self) -> int | None:
        total = self.ratings_total
        return round(100 * self.rated_satisfied / total) if total else None


class AnnualEvaluation(models.Model):
    """A congress's evaluation of a year: computed as a draft, frozen when published."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    congress = models.ForeignKey(
        "liaison.Division", verbose_name=_("congress"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("annual evaluation")
        verbose_name_plural = _("annual evaluations")
        ordering = ["-year", "congress__path"]
        constraints = [models.UniqueConstraint(fields=["congress", "year"], name="evaluation_unique_per_year")]

    def __str__(self):
        return f"{self.congress} · {self.year}"

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class EvaluationEntry(models.Model):
    """One representative's line in an evaluation: copied numbers, so a published one never moves."""

    evaluation = models.ForeignKey(AnnualEvaluation, on_delete=models.CASCADE, related_name="entries")
    representative = models.ForeignKey(
        "representatives.Representative", on_delete=models.CASCADE, related_name="evaluation_entries"
    )
    total_points = models.DecimalField(_("points"), default=0, **_points)
    rank = models.PositiveIntegerField(_("rank"))
    counts = models.JSONField(_("duties by kind"), default=dict)
    report_backs = models.PositiveSmallIntegerField(_("report-backs"), default=0)
    report_back_satisfied_percent = models.PositiveSmallIntegerField(_("report-back satisfaction"), null=True)
    outstanding = models.BooleanField(_("outstanding representative"), default=False)
    # The representative's proposals filed in the year (counts["proposal_filed"]): how many were
    # answered, by result, and how the answered ones were rated (the latest answer's rating).
    # None on an entry computed before outcomes were recorded (its figures were never counted).
    proposals_answered = models.PositiveSmallIntegerField(_("proposals answered"), null=True)
    proposals_a = models.PositiveSmallIntegerField(_("A: solved"), default=0)
    proposals_b = models.PositiveSmallIntegerField(_("B: being solved"), default=0)
    proposals_c = models.PositiveSmallIntegerField(_("C: planned"), default=0)
    proposals_d = models.PositiveSmallIntegerField(_("D: explained, cannot be done now"), default=0)
    proposals_satisfied = models.PositiveSmallIntegerField(_("Satisfied"), default=0)
    proposals_partly = models.PositiveSmallIntegerField(_("Partly satisfied"), default=0)
    proposals_unsatisfied = models.PositiveSmallIntegerField(_("Unsatisfied"), default=0)

    class Meta:
        verbose_name = _("evaluation entry")
        verbose_name_plural = _("evaluation entries")
        ordering = ["rank", "representative__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "representative"], name="evaluation_entry_unique"),
        ]
        indexes = [models.Index(fields=["evaluation", "rank"])]

    def __str__(self):
        return f"{self.evaluation} · {self.rank}"

    @property
    def proposals_filed(self) -> int:
        return self.counts.get(PerformanceKind.PROPOSAL_FILED, 0)

    @property
    def proposals_rated(self) -> int:
        return self.proposals_satisfied + self.proposals_partly + self.proposals_unsatisfied

    @property
    def proposals_satisfied_percent(self) -> int | None:
        """Satisfied among the rated proposals (the report-backs' figure counts only "satisfied" too)."""
        rated = self.proposals_rated
        return round(100 * self.proposals_satisfied / rated) if rated else None


class OutstandingProposal(models.Model):
    """A proposal nominated "outstanding" in an evaluation. The proposal is named by the record of
    its filing (whose source is the suggestions app's proposal) and its title is copied."""

    evaluation = models.ForeignKey(AnnualEvaluation, on_delete=models.CASCADE, related_name="outstanding_proposals")
    representative = models.ForeignKey("representatives.Representative", on_delete=models.CASCADE, related_name="+")
    source_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    source_id = models.PositiveBigIntegerField()
    title = models.CharField(_("proposal"), max_length=200)
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("outstanding proposal")
        verbose_name_plural = _("outstanding proposals")
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "source_type", "source_id"], name="outstanding_proposal_unique"
            ),
        ]

    def __str__(self):
        return self.title


class PointsPublication(models.Model):
    """A county's choice to show each quarter's points on the public representative cards."""

    county = models.OneToOneField("liaison.Division", on_delete=models.CASCADE, related_name="+")
    quarterly_points_public = models.BooleanField(_("publish quarterly points"), default=False)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("points publication")
        verbose_name_plural = _("points publication")

    def __str__(self):
        return str(self.county_id)
