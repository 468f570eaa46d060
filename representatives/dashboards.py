"""Dashboard panels of the representatives app (registered in RepresentativesConfig.ready)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from liaison import access
from liaison.dashboards import Panel, Stat
from representatives.models import RecordCorrection, RefreshConfirmation, Representative


def roster_panel(user) -> Panel | None:
    if not access.has_capability(user, "roster"):
        return None
    serving = access.representatives_visible(user).filter(status=Representative.Status.SERVING)
    counts = serving.aggregate(
        total=Count("pk"),
        county=Count("pk", filter=Q(level=Representative.Level.COUNTY)),
        township=Count("pk", filter=Q(level=Representative.Level.TOWNSHIP)),
        mobile=Count("pk", filter=Q(is_mobile=True)),
        in_town=Count("pk", filter=Q(lives_in_county_town=True)),
    )
    open_corrections = RecordCorrection.objects.filter(
        representative__in=access.representatives_changeable(user), resolved_at__isnull=True
    ).count()
    roster = reverse("representatives:list")
    return Panel(
        title=_("Representatives"),
        stats=[
            Stat(_("Serving representatives"), counts["total"], roster),
            Stat(_("County representatives"), counts["county"], f"{roster}?level=county"),
            Stat(_("Township representatives"), counts["township"], f"{roster}?level=township"),
            Stat(_("Mobile representatives"), counts["mobile"], f"{roster}?is_mobile=true"),
            Stat(_("Living in the county town"), counts["in_town"], roster),
            Stat(_("Open correction requests"), open_corrections),
        ],
    )


def own_record_panel(user) -> Panel | None:
    if access.Role.REPRESENTATIVE not in access.roles(user):
        return None
    rep = Representative.objects.filter(user=user).select_related("home_station").first()
    if rep is None:
        return Panel(title=_("My record"), note=_("Your account is not linked to a representative."))
    pending = RefreshConfirmation.objects.filter(
        entry__representative=rep, status=RefreshConfirmation.Status.PENDING, campaign__closed_at__isnull=True
    ).count()
    return Panel(
        title=_("My record"),
        note=f"{rep.name} · {rep.get_level_display()} · {rep.home_station.name}",
        stats=[
            Stat(_("My record"), _("View"), reverse("representatives:me")),
            Stat(_("Register entries to confirm"), pending, reverse("representatives:refresh_mine")),
        ],
    )
