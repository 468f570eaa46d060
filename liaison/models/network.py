"""The station network: administrative divisions, stations, role grants and notifications."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from liaison.history import ChangedOnlyHistoricalRecords as HistoricalRecords


class User(AbstractUser):
    """A person who signs in: staff, officers, representatives, handling-unit clerks."""

    full_name = models.CharField(_("full name"), max_length=50, blank=True)
    phone = models.CharField(_("mobile phone"), max_length=20, blank=True)

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"

    def __str__(self):
        return self.full_name or self.username

    def get_full_name(self):
        return self.full_name or self.username

    def get_short_name(self):
        return self.full_name or self.username


class TreePathMixin(models.Model):
    """A materialised path ("/1/5/12/") so that a whole subtree is one indexed prefix query.

    The path is written by the services that create or move a node, never by hand.
    """

    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(editable=False, default=0)

    class Meta:
        abstract = True

    def compute_path(self) -> tuple[str, int]:
        parent = self.parent
        if parent is None:
            return f"/{self.pk}/", 0
        return f"{parent.path}{self.pk}/", parent.depth + 1

    def is_descendant_of(self, other) -> bool:
        return bool(other.path) and self.path.startswith(other.path) and self.pk != other.pk


class Division(TreePathMixin):
    """An administrative division, a tree of any depth:
    province > city > county > township | subdistrict | zone > village | community.

    A single-county instance has the county as its root; a city or a province runs one instance for
    all its counties. The township and the county of a place are found by kind, never by depth.
    """

    class Kind(models.TextChoices):
        PROVINCE = "province", _("Province")
        CITY = "city", _("City")
        COUNTY = "county", _("County")
        TOWNSHIP = "township", _("Township")
        SUBDISTRICT = "subdistrict", _("Subdistrict")
        DEVELOPMENT_ZONE = "development_zone", _("Development zone")
        VILLAGE = "village", _("Village")
        COMMUNITY = "community", _("Community")

    # Which kinds sit on which level, and which parent kinds each may have.
    TOWNSHIP_LEVEL = (Kind.TOWNSHIP, Kind.SUBDISTRICT, Kind.DEVELOPMENT_ZONE)
    GRASSROOTS_LEVEL = (Kind.VILLAGE, Kind.COMMUNITY)
    # Above the county: a grant there oversees every county below.
    ABOVE_COUNTY = (Kind.PROVINCE, Kind.CITY)

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent division"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    code = models.CharField(_("administrative code"), max_length=12, blank=True)
    is_county_town = models.BooleanField(
        _("part of the county town"),
        default=False,
        help_text=_("Set on the subdistricts that make up the county town; places under them inherit it."),
    )

    class Meta:
        verbose_name = _("division")
        verbose_name_plural = _("divisions")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="division_unique_name_in_parent"),
        ]

    def __str__(self):
        return self.name

    @property
    def is_township_level(self) -> bool:
        return self.kind in self.TOWNSHIP_LEVEL

    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/") if part]

    def _ancestor_kinds(self) -> dict[int, str]:
        """{id: kind} of this division and the divisions above it, nearest last.

        Read once per instance (one query, none when the parent's kind settles it); kinds do not
        change once a place is in use.
        """
        cached = getattr(self, "_ancestor_kinds_cache", None)
        if cached is None:
            ids = self.ancestor_ids()
            kinds = dict(Division.objects.filter(pk__in=ids).values_list("pk", "kind"))
            cached = {pk: kinds[pk] for pk in ids if pk in kinds}
            self._ancestor_kinds_cache = cached
        return cached

    def _nearest_of_kind(self, kinds) -> int | None:
        if self.kind in kinds:
            return self.pk
        for pk, kind in reversed(list(self._ancestor_kinds().items())):
            if kind in kinds:
                return pk
        return None

    def township_id(self) -> int | None:
        """The township-level division this one lies in (itself if it is one); None for a county
        or anything above it, whatever the depth of the tree."""
        if self.kind in self.TOWNSHIP_LEVEL:
            return self.pk
        if self.kind not in self.GRASSROOTS_LEVEL:
            return None
        parent = self._state.fields_cache.get("parent")
        if parent is not None and parent.kind in self.TOWNSHIP_LEVEL:
            return parent.pk
        return self._nearest_of_kind(self.TOWNSHIP_LEVEL)

    def county_id(self) -> int | None:
        """The county this division lies in (itself if it is one); None above the county."""
        if self.kind == self.Kind.COUNTY:
            return self.pk
        if self.kind in self.ABOVE_COUNTY:
            return None
        return self._nearest_of_kind((self.Kind.COUNTY,))


class Station(TreePathMixin):
    """A liaison station of the "1+11+N" network: general station, stations, points, enterprises."""

    class Kind(models.TextChoices):
        GENERAL = "general", _("County general station")
        STATION = "station", _("Liaison station")
        POINT = "point", _("Liaison point")
        ENTERPRISE = "enterprise", _("Enterprise station")

    # kind -> the kinds its parent may have (None: no parent at all).
    ALLOWED_PARENT_KINDS = {
        Kind.GENERAL: (),
        Kind.STATION: (Kind.GENERAL, Kind.STATION),
        Kind.POINT: (Kind.GENERAL, Kind.STATION, Kind.ENTERPRISE),
        Kind.ENTERPRISE: (Kind.GENERAL, Kind.STATION),
    }

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    in_county_town = models.BooleanField(
        _("in the county town"),
        default=False,
        help_text=_("A township's second station inside the county town, for representatives who moved there."),
    )
    division = models.ForeignKey(
        Division, verbose_name=_("division"), on_delete=models.PROTECT, related_name="stations"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent station"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    opening_hours = models.CharField(_("opening hours"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("station officer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="officer_of_stations",
    )
    slug = models.SlugField(
        _("public address"),
        max_length=60,
        unique=True,
        help_text=_("Used in the public page and QR code address: letters, digits and hyphens."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    deactivated_at = models.DateTimeField(_("deactivated at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["path", "depth", "updated_at"])

    class Meta:
        verbose_name = _("station")
        verbose_name_plural = _("stations")
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="general") | Q(parent__isnull=True),
                name="station_general_has_no_parent",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("liaison:station_detail", args=[self.pk])


class RoleGrant(models.Model):
    """A role held by a user on a place. One user may hold several grants."""

    class Role(models.TextChoices):
        COUNTY_STAFF = "county_staff", _("County staff")
        TOWNSHIP_STAFF = "township_staff", _("Township staff")
        STATION_OFFICER = "station_officer", _("Station officer")
        REPRESENTATIVE = "representative", _("Representative")
        HANDLING_UNIT = "handling_unit", _("Handling unit")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="role_grants"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    division = models.ForeignKey(Division, verbose_name=_("division"), null=True, blank=True, on_delete=models.CASCADE)
    station = models.ForeignKey(Station, verbose_name=_("station"), null=True, blank=True, on_delete=models.CASCADE)
    handling_unit = models.ForeignKey(
        "suggestions.HandlingUnit",
        verbose_name=_("handling unit"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    # Who gave or took away a role, and when (county staff see it on the station page).
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("role grant")
        verbose_name_plural = _("role grants")
        constraints = [
            models.CheckConstraint(
                name="rolegrant_place_matches_role",
                condition=(
                    Q(
                        role__in=["county_staff", "township_staff"],
                        division__isnull=False,
                        station__isnull=True,
                        handling_unit__isnull=True,
                    )
                    | Q(
                        role="station_officer", station__isnull=False, division__isnull=True, handling_unit__isnull=True
                    )
                    | Q(role="representative", station__isnull=True, division__isnull=True, handling_unit__isnull=True)
                    | Q(role="handling_unit", handling_unit__isnull=False, division__isnull=True, station__isnull=True)
                ),
            ),
            models.UniqueConstraint(
                fields=["user", "role", "division", "station", "handling_unit"],
                name="rolegrant_unique",
                nulls_distinct=False,
            ),
        ]

    def __str__(self):
        place = self.station or self.division or self.handling_unit or ""
        return f"{self.user} · {self.get_role_display()} · {place}".rstrip(" ·")


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


# --- Representatives' activities and their funds (代表活动, 经费) -----------------------------------


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
