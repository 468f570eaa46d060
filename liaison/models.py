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
    """An administrative division: county > township | subdistrict | zone > village | community."""

    class Kind(models.TextChoices):
        COUNTY = "county", _("County")
        TOWNSHIP = "township", _("Township")
        SUBDISTRICT = "subdistrict", _("Subdistrict")
        DEVELOPMENT_ZONE = "development_zone", _("Development zone")
        VILLAGE = "village", _("Village")
        COMMUNITY = "community", _("Community")

    # Which kinds sit on which level, and which parent kinds each may have.
    TOWNSHIP_LEVEL = (Kind.TOWNSHIP, Kind.SUBDISTRICT, Kind.DEVELOPMENT_ZONE)
    GRASSROOTS_LEVEL = (Kind.VILLAGE, Kind.COMMUNITY)

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

    def township_id(self) -> int | None:
        """The township-level division this one lies in (itself if it is one); None for the county."""
        ids = self.ancestor_ids()
        return ids[1] if len(ids) >= 2 else None


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
