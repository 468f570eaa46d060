"""Representatives, their groups, the mobile register and its half-yearly refresh."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from liaison.history import ChangedOnlyHistoricalRecords as HistoricalRecords
from liaison.models import Division, Station


class Specialty(models.Model):
    """A field a representative knows well (law, agriculture, education...)."""

    name = models.CharField(_("name"), max_length=30, unique=True)

    class Meta:
        verbose_name = _("specialty")
        verbose_name_plural = _("specialties")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Representative(models.Model):
    """An elected deputy of the county or a township congress (人大代表)."""

    class Level(models.TextChoices):
        COUNTY = "county", _("County representative")
        TOWNSHIP = "township", _("Township representative")

    class Gender(models.TextChoices):
        MALE = "male", _("Male")
        FEMALE = "female", _("Female")

    class Status(models.TextChoices):
        SERVING = "serving", _("Serving")
        RESIGNED = "resigned", _("Resigned")
        TERMINATED = "terminated", _("Terminated")

    name = models.CharField(_("full name"), max_length=50)
    # Pinyin initials of the name ("wjg" for 王建国), kept by the services, for search.
    name_initials = models.CharField(max_length=20, db_index=True, editable=False, default="")
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices)
    ethnicity = models.CharField(_("ethnicity"), max_length=20, default="汉族")
    birth_year = models.PositiveSmallIntegerField(_("birth year"), null=True, blank=True)
    phone = models.CharField(_("mobile phone"), max_length=20, blank=True)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    congress = models.ForeignKey(
        Division,
        verbose_name=_("congress"),
        on_delete=models.PROTECT,
        related_name="congress_representatives",
        help_text=_("The county, or the township whose congress elected the representative."),
    )
    term = models.CharField(_("term"), max_length=20, help_text=_("For example 第十八届."))
    electoral_district = models.CharField(_("electoral district"), max_length=100)
    district_township = models.ForeignKey(
        Division,
        verbose_name=_("township of the electoral district"),
        on_delete=models.PROTECT,
        related_name="district_representatives",
    )
    home_station = models.ForeignKey(
        Station, verbose_name=_("liaison station"), on_delete=models.PROTECT, related_name="representatives"
    )
    residence_division = models.ForeignKey(
        Division,
        verbose_name=_("place of residence"),
        on_delete=models.PROTECT,
        related_name="resident_representatives",
    )
    residence_address = models.CharField(_("residential address"), max_length=200, blank=True)
    occupation = models.CharField(_("employer and position"), max_length=200, blank=True)
    specialties = models.ManyToManyField(Specialty, verbose_name=_("specialties"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.SERVING)
    status_date = models.DateField(_("service ended on"), null=True, blank=True)
    status_reason = models.CharField(_("reason"), max_length=200, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="representative",
    )
    # Kept by the services from the places above, for filters and the mobility report.
    is_mobile = models.BooleanField(_("mobile"), default=False, editable=False)
    lives_in_county_town = models.BooleanField(_("lives in the county town"), default=False, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["name_initials", "updated_at"], m2m_fields=[specialties])

    class Meta:
        verbose_name = _("representative")
        verbose_name_plural = _("representatives")
        ordering = ["name", "pk"]
        indexes = [
            models.Index(fields=["level", "term", "status"]),
            models.Index(fields=["phone"]),
            # The roster's order (liaison.pagination): a deep page walks this index, no sort.
            models.Index(fields=["name_initials", "name", "id"], name="representative_list_order"),
            # The terms in use (the roster's and the reports' term choices): a loose index scan.
            models.Index(fields=["term"], name="representative_term"),
        ]
        constraints = [
            models.CheckConstraint(
                name="representative_end_has_date",
                condition=Q(status="serving") | Q(status_date__isnull=False),
            ),
            # One person may sit in both the county and a township congress, but only once in each.
            models.UniqueConstraint(
                fields=["level", "term", "phone"],
                condition=~Q(phone=""),
                name="representative_unique_phone_per_congress_term",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("representatives:detail", args=[self.pk])

    @property
    def is_serving(self) -> bool:
        return self.status == self.Status.SERVING


class RepresentativeGroup(models.Model):
    """A standing group: 代表小组 by place, 共治组 for co-governance, 帮搬团 helping relocated villagers."""

    class Kind(models.TextChoices):
        GROUP = "group", _("Representative group")
        CO_GOVERNANCE = "co_governance", _("Co-governance group")
        RELOCATION_HELP = "relocation_help", _("Relocation help team")

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.GROUP)
    station = models.ForeignKey(
        Station, verbose_name=_("liaison station"), on_delete=models.PROTECT, related_name="representative_groups"
    )
    specialty = models.ForeignKey(
        Specialty, verbose_name=_("specialty"), null=True, blank=True, on_delete=models.SET_NULL
    )
    description = models.TextField(_("description"), blank=True)
    members = models.ManyToManyField(
        Representative, verbose_name=_("members"), through="GroupMembership", related_name="groups"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("representative group")
        verbose_name_plural = _("representative groups")
        ordering = ["station__path", "name"]
        constraints = [models.UniqueConstraint(fields=["station", "name"], name="group_unique_name_per_station")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("representatives:group_detail", args=[self.pk])


class GroupMembership(models.Model):
    class Role(models.TextChoices):
        LEADER = "leader", _("Leader")
        MEMBER = "member", _("Member")

    group = models.ForeignKey(RepresentativeGroup, on_delete=models.CASCADE, related_name="memberships")
    representative = models.ForeignKey(Representative, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(auto_now_add=True)

    # Who added, changed or removed a member, and when.
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("group membership")
        verbose_name_plural = _("group memberships")
        constraints = [
            models.UniqueConstraint(fields=["group", "representative"], name="membership_unique"),
        ]

    def __str__(self):
        return f"{self.group} · {self.representative}"


class MobileRegisterEntry(models.Model):
    """One line of the mobile register (流动代表登记册): where a mobile representative is now.

    The origin is the representative's home station (in the township that elected them); the host
    is the station of the place they live in now. Both see and manage the entry (双向共管).
    """

    representative = models.OneToOneField(
        Representative, verbose_name=_("representative"), on_delete=models.CASCADE, related_name="register_entry"
    )
    origin_station = models.ForeignKey(
        Station, verbose_name=_("origin station"), on_delete=models.PROTECT, related_name="register_outgoing"
    )
    host_station = models.ForeignKey(
        Station, verbose_name=_("host station"), on_delete=models.PROTECT, related_name="register_incoming"
    )
    community = models.ForeignKey(
        Division,
        verbose_name=_("community checked in to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="register_entries",
    )
    checked_in_on = models.DateField(_("checked in on"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    # Another way to reach them where they live now; the mobile phone is the roster's (Representative.phone).
    contact = models.CharField(_("other contact"), max_length=100, blank=True)
    specialties_note = models.CharField(_("specialties"), max_length=200, blank=True)
    role_played = models.TextField(_("role played"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("mobile register entry")
        verbose_name_plural = _("mobile register entries")
        ordering = ["origin_station__path", "representative__name"]

    def __str__(self):
        return str(self.representative)


class JointMeeting(models.Model):
    """The yearly joint meeting of an origin and a host station (双向共管联席会议)."""

    origin_station = models.ForeignKey(
        Station, verbose_name=_("origin station"), on_delete=models.PROTECT, related_name="+"
    )
    host_station = models.ForeignKey(
        Station, verbose_name=_("host station"), on_delete=models.PROTECT, related_name="+"
    )
    held_on = models.DateField(_("held on"))
    summary = models.TextField(_("summary"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("joint meeting")
        verbose_name_plural = _("joint meetings")
        ordering = ["-held_on"]

    def __str__(self):
        return f"{self.origin_station} · {self.host_station} · {self.held_on}"


class RefreshCampaign(models.Model):
    """The half-yearly refresh of the mobile register, opened on 1 January and 1 July."""

    period_start = models.DateField(_("period"), unique=True)
    due_date = models.DateField(_("due date"))
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("register refresh")
        verbose_name_plural = _("register refreshes")
        ordering = ["-period_start"]

    def __str__(self):
        half = _("first half") if self.period_start.month == 1 else _("second half")
        return f"{self.period_start.year} {half}"

    def get_absolute_url(self):
        return reverse("representatives:refresh_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    def is_overdue(self, today=None) -> bool:
        """Still open after its due date (the day itself is not late)."""
        from django.utils import timezone

        return self.is_open and (today or timezone.localdate()) > self.due_date

    @property
    def overdue(self) -> bool:
        return self.is_overdue()

    def days_overdue(self, today=None) -> int:
        from django.utils import timezone

        return max(((today or timezone.localdate()) - self.due_date).days, 0) if self.is_open else 0


class RefreshConfirmation(models.Model):
    """One register entry to confirm (or correct) in a refresh campaign."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        CONFIRMED = "confirmed", _("Confirmed unchanged")
        CORRECTED = "corrected", _("Corrected")

    campaign = models.ForeignKey(RefreshCampaign, on_delete=models.CASCADE, related_name="confirmations")
    entry = models.ForeignKey(MobileRegisterEntry, on_delete=models.CASCADE, related_name="confirmations")
    # The origin station's officer owns it; the station is fixed when the campaign opens.
    station = models.ForeignKey(Station, verbose_name=_("origin station"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)

    class Meta:
        verbose_name = _("refresh confirmation")
        verbose_name_plural = _("refresh confirmations")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "entry"], name="confirmation_unique_per_campaign"),
        ]
        indexes = [models.Index(fields=["campaign", "station", "status"])]

    def __str__(self):
        return f"{self.campaign} · {self.entry}"


class RecordCorrection(models.Model):
    """A representative's request to correct their own record; the station officer resolves it.

    `proposed` holds the new values per field ({"phone": "139...", "specialties": ["农业"]}) so the
    officer applies them in one step; `original` the record's values for those fields when the
    request was made, to show what changed since. Requests made before that hold free text only.
    """

    class Outcome(models.TextChoices):
        OPEN = "", _("Open")
        ACCEPTED = "accepted", _("Accepted")
        PARTLY_ACCEPTED = "partly", _("Partly accepted")
        REJECTED = "rejected", _("Rejected")

    representative = models.ForeignKey(
        Representative, verbose_name=_("representative"), on_delete=models.CASCADE, related_name="corrections"
    )
    message = models.TextField(_("what should be corrected"), blank=True)
    proposed = models.JSONField(_("proposed values"), default=dict, blank=True)
    original = models.JSONField(_("values when proposed"), default=dict, blank=True)
    applied_fields = models.JSONField(_("fields applied"), default=list, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, default="", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("proposed by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resolved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolution_note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        indexes = [models.Index(fields=["representative", "resolved_at"])]
        verbose_name = _("record correction")
        verbose_name_plural = _("record corrections")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.representative} · {self.created_at:%Y-%m-%d}"
