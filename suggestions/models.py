"""Suggestions (意见建议 / 代表建议) and their handling by government units.

A `Suggestion` is a voter's opinion or a representative's proposal. Whatever its source (the
officer's form, an item raised at a reception day, a representative's proposal, the public form)
it is the same row, with a random tracking code. Its life is a state machine
(`suggestions.workflow`): every change of state is a `Transition` (who, when, from, to, note), the
timeline shown on its page. Handling is an `Assignment` of the suggestion to a `HandlingUnit`
(one lead, optional co-handlers) with a deadline computed from a `DeadlineRule`
(`suggestions.deadlines`); the lead's `Answer`, and the `Rating` of that answer, close it.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from liaison.history import ChangedOnlyHistoricalRecords as HistoricalRecords

# Tracking codes: 10 characters from 30 (no 0/O, 1/I/L, U: easy to read out on the phone):
# 30**10 ≈ 5.9e14 codes, so guessing one in use is impractical (and failed lookups are limited).
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 10


def new_tracking_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


class HandlingUnit(models.Model):
    """A government body that handles and answers suggestions (承办单位)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    division = models.ForeignKey(
        "liaison.Division",
        verbose_name=_("division"),
        on_delete=models.PROTECT,
        related_name="handling_units",
    )
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("handling unit")
        verbose_name_plural = _("handling units")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Category(models.Model):
    """What a suggestion is about (roads and traffic, livelihood, ...): data, not code."""

    name = models.CharField(_("name"), max_length=30, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.name


class DeadlineRule(models.Model):
    """How long a step may take (data, editable by county staff; see `suggestions.deadlines`)."""

    class Key(models.TextChoices):
        PROPOSAL_ANSWER = "proposal_answer", _("Proposal: answer")
        PROPOSAL_EXTENDED = "proposal_extended", _("Proposal: answer after an extension")
        OPINION_ANSWER = "opinion_answer", _("Opinion: answer")
        CO_HANDLER_OPINION = "co_handler_opinion", _("Co-handler: opinion to the lead unit")
        MISROUTE_RETURN = "misroute_return", _("Return of a misrouted item")
        REHANDLE = "rehandle", _("Re-handling after an unsatisfied rating")

    class Unit(models.TextChoices):
        CALENDAR_DAYS = "days", _("calendar days")
        WORKING_DAYS = "working_days", _("working days")
        MONTHS = "months", _("months")

    key = models.CharField(_("step"), max_length=30, choices=Key.choices, unique=True)
    amount = models.PositiveSmallIntegerField(_("amount"))
    unit = models.CharField(_("unit"), max_length=15, choices=Unit.choices)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("deadline rule")
        verbose_name_plural = _("deadline rules")
        ordering = ["key"]
        constraints = [models.CheckConstraint(condition=Q(amount__gte=1), name="deadline_rule_positive")]

    def __str__(self):
        return f"{self.get_key_display()}: {self.amount} {self.get_unit_display()}"


class Suggestion(models.Model):
    class Kind(models.TextChoices):
        OPINION = "opinion", _("Opinion")
        PROPOSAL = "proposal", _("Proposal")

    class Source(models.TextChoices):
        OFFICER = "officer", _("Registered by the station")
        RECEPTION = "reception", _("Reception day")
        WEB_FORM = "web_form", _("Public web form")
        STATION_CODE = "station_code", _("Station QR code")
        REPRESENTATIVE_CODE = "representative_code", _("Representative QR code")
        REPRESENTATIVE = "representative", _("Representative")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        MERGED = "merged", _("Merged")
        SETTLED = "settled", _("Settled on the spot")
        ASSIGNED = "assigned", _("Being handled")
        ANSWERED = "answered", _("Answered")
        UNSATISFIED = "unsatisfied", _("Unsatisfied, awaiting county review")
        CLOSED = "closed", pgettext_lazy("suggestion", "Closed")

    class Result(models.TextChoices):
        SOLVED = "A", _("A: solved")
        BEING_SOLVED = "B", _("B: being solved")
        PLANNED = "C", _("C: planned")
        EXPLAINED = "D", _("D: explained, cannot be done now")

    class Satisfaction(models.TextChoices):
        SATISFIED = "satisfied", _("Satisfied")
        PARTLY = "partly", _("Partly satisfied")
        UNSATISFIED = "unsatisfied", _("Unsatisfied")

    code = models.CharField(_("tracking code"), max_length=16, unique=True, default=new_tracking_code, editable=False)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.OPINION)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    title = models.CharField(_("title"), max_length=100)
    content = models.TextField(_("content"), max_length=5000)
    category = models.ForeignKey(Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="+")
    station = models.ForeignKey(
        "liaison.Station", verbose_name=_("station"), on_delete=models.PROTECT, related_name="suggestions"
    )
    # The township-level division and the county of the station, kept by the services, so that
    # per-township and per-county figures group without walking the division tree.
    township = models.ForeignKey(
        "liaison.Division", on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    # The representative who received it (an opinion) or who leads it (a proposal).
    representative = models.ForeignKey(
        "representatives.Representative",
        verbose_name=_("representative"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="suggestions",
    )
    voter = models.ForeignKey(
        "voters.Voter", verbose_name=_("voter"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Contact given with the suggestion (the public form has no voter record): personal data,
    # masked in lists; the phone's last four digits let the voter rate the answer.
    contact_name = models.CharField(_("contact name"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    publish_consent = models.BooleanField(_("may be published"), default=False)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    result = models.CharField(_("result"), max_length=1, choices=Result.choices, blank=True)
    satisfaction = models.CharField(_("satisfaction"), max_length=12, choices=Satisfaction.choices, blank=True)
    decline_reason = models.CharField(_("reason for declining"), max_length=500, blank=True)
    merged_into = models.ForeignKey(
        "self", verbose_name=_("merged into"), on_delete=models.PROTECT, null=True, blank=True, related_name="merged"
    )
    # How many times it went back to the unit after an "unsatisfied" rating (at most once).
    reopened_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    # The public answer shown on the tracking page and, with consent, on the station's page.
    public_answer = models.TextField(_("public answer"), blank=True)
    closing_note = models.CharField(_("closing note"), max_length=500, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # The current handling deadline (the lead assignment's), for "overdue" and "due soon" lists.
    due_on = models.DateField(_("due on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Bumped by every transition: a form opened on version N cannot act on N+1 silently.
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at", "version"])

    class Meta:
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")
        ordering = ["-submitted_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "due_on"]),
            models.Index(fields=["station", "status"]),
            models.Index(fields=["township", "status"]),
            models.Index(fields=["-submitted_at", "-id"], name="suggestion_newest"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(reopened_count__lte=1), name="suggestion_reopened_once"),
            models.CheckConstraint(
                condition=~Q(status="merged") | Q(merged_into__isnull=False), name="suggestion_merged_has_target"
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.title}"


class CoSigner(models.Model):
    """A representative who co-signs a proposal (附议); counted once they confirm."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="cosigners")
    representative = models.ForeignKey(
        "representatives.Representative", on_delete=models.PROTECT, related_name="cosigned_suggestions"
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    declined_at = models.DateTimeField(_("declined at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("co-signer")
        verbose_name_plural = _("co-signers")
        ordering = ["suggestion", "pk"]
        constraints = [models.UniqueConstraint(fields=["suggestion", "representative"], name="cosigner_unique")]

    def __str__(self):
        return f"{self.representative} / {self.suggestion}"


class Assignment(models.Model):
    """The suggestion handed to one unit (交办): the lead unit, or a co-handler that sends its
    opinion to the lead. A re-handling after an "unsatisfied" rating is a new lead assignment
    (`round` 2); a misrouted return or a reassignment ends the old one."""

    class Role(models.TextChoices):
        LEAD = "lead", _("Lead unit")
        CO = "co", _("Co-handler")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Being handled")
        DONE = "done", _("Done")
        RETURNED = "returned", _("Returned as misrouted")
        ENDED = "ended", _("Ended")

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey(
        HandlingUnit, verbose_name=_("handling unit"), on_delete=models.PROTECT, related_name="assignments"
    )
    role = models.CharField(_("role"), max_length=4, choices=Role.choices)
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    assigned_at = models.DateTimeField(_("assigned at"))
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    due_on = models.DateField(_("due on"))
    # True when the deadline was counted past the holiday calendar's last known year (weekends only);
    # recomputed when the calendar library knows that year (see suggestions.deadlines).
    due_provisional = models.BooleanField(default=False)
    # A misrouted item must be returned before this date.
    return_by = models.DateField(_("return by"), null=True, blank=True)
    extended = models.BooleanField(_("extended"), default=False)
    # A co-handler's opinion to the lead unit.
    opinion = models.TextField(_("opinion to the lead unit"), blank=True)
    return_reason = models.CharField(_("reason for returning"), max_length=500, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["suggestion", "round", "role", "pk"]
        indexes = [models.Index(fields=["unit", "status", "due_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["suggestion", "round"],
                condition=Q(role="lead", status="active"),
                name="assignment_one_active_lead",
            ),
        ]

    def __str__(self):
        return f"{self.suggestion.code} -> {self.unit}"


class ExtensionRequest(models.Model):
    """A lead unit asks for more time (proposals: once, to six months); county staff decide."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="extension_requests")
    reason = models.CharField(_("reason"), max_length=500)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    approved = models.BooleanField(null=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("note"), max_length=500, blank=True)
    new_due_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["assignment"], name="extension_once_per_assignment"),
        ]

    def __str__(self):
        return f"{self.assignment}: {self.reason[:20]}"


class Answer(models.Model):
    """The lead unit's written answer (答复), with its result code (A/B/C/D)."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="answers")
    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="answers")
    text = models.TextField(_("answer"), max_length=5000)
    result = models.CharField(_("result"), max_length=1, choices=Suggestion.Result.choices)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    answered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["answered_at", "pk"]

    def __str__(self):
        return f"{self.suggestion.code}: {self.get_result_display()}"


def answer_attachment_path(instance, filename):
    return f"answers/{instance.answer.suggestion_id}/{filename}"


class AnswerAttachment(models.Model):
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=answer_attachment_path)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.name


class Rating(models.Model):
    """How the voter (on the tracking page or by phone) or the lead representative rated an answer."""

    class By(models.TextChoices):
        VOTER = "voter", _("The voter, on the tracking page")
        PHONE = "phone", _("The voter, by phone (recorded by staff)")
        REPRESENTATIVE = "representative", _("The lead representative")

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="ratings")
    answer = models.ForeignKey(Answer, on_delete=models.PROTECT, related_name="ratings")
    value = models.CharField(_("rating"), max_length=12, choices=Suggestion.Satisfaction.choices)
    by = models.CharField(_("rated by"), max_length=15, choices=By.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["answer"], name="rating_once_per_answer")]

    def __str__(self):
        return f"{self.suggestion.code}: {self.get_value_display()}"


class Transition(models.Model):
    """One step of a suggestion's timeline: who did what, when, from which state to which."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="timeline")
    action = models.CharField(_("action"), max_length=30)
    from_status = models.CharField(_("from"), max_length=12, choices=Suggestion.Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=12, choices=Suggestion.Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Who acted, as shown (a unit's name, "选民"): kept even if the account goes.
    actor_label = models.CharField(max_length=100, blank=True)
    note = models.TextField(_("note"), blank=True)
    # Shown on the public tracking page (never personal data).
    public = models.BooleanField(default=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("timeline step")
        verbose_name_plural = _("timeline steps")
        ordering = ["suggestion", "at", "pk"]

    def __str__(self):
        return f"{self.suggestion_id}: {self.from_status} -> {self.to_status}"


class Supervision(models.Model):
    """A priority item under county supervision (督办): who supervises, the next check date."""

    suggestion = models.OneToOneField(Suggestion, on_delete=models.CASCADE, related_name="supervision")
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("supervisor"), on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    next_check_on = models.DateField(_("next check"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("supervision")
        verbose_name_plural = _("supervisions")
        ordering = ["next_check_on", "pk"]

    def __str__(self):
        return f"{self.suggestion.code}: {self.supervisor}"
