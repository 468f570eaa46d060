"""The station network: users, administrative divisions, stations and role grants."""

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

    @classmethod
    def prime_ancestor_kinds(cls, divisions) -> None:
        """Fill the ancestor kinds of many divisions at once from their loaded paths, so that
        `township_id()` and `county_id()` ask nothing more. Divisions whose ancestors are not all
        among `divisions` are read in one query."""
        divisions = list(divisions)
        kinds = {division.pk: division.kind for division in divisions}
        missing = {pk for division in divisions for pk in division.ancestor_ids()} - set(kinds)
        if missing:
            kinds.update(cls.objects.filter(pk__in=missing).values_list("pk", "kind"))
        for division in divisions:
            division._ancestor_kinds_cache = {pk: kinds[pk] for pk in division.ancestor_ids() if pk in kinds}

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
