"""Dashboard panels of the representatives app (registered in RepresentativesConfig.ready).

Every number links to a list showing exactly the rows it counts; the counts are taken from the
same selectors (or the same scoped querysets) as those lists.
"""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from liaison import access
from liaison.dashboards import Panel, Stat
from representatives.models import RecordCorrection, RefreshCampaign, RefreshConfirmation, Representative
from representatives.selectors import mobile_register as register_selectors


def _refresh_stats(user) -> list[Stat]:
    """Per open campaign: confirmations waiting on the user's register (and, once the due date
    has passed, the stations late with it). One query, two when a campaign is overdue."""
    rows = (
        access.refresh_confirmations_visible(user)
        .filter(campaign__closed_at__isnull=True, status=RefreshConfirmation.Status.PENDING)
        .values("campaign")
        .annotate(pending=Count("pk"))
        .order_by()
    )
    pending = {row["campaign"]: row["pending"] for row in rows}
    if not pending:
        return []
    campaigns = list(RefreshCampaign.objects.filter(pk__in=pending).order_by("period_start"))
    stats = []
    overdue_ids = []
    for campaign in campaigns:
        url = reverse("representatives:refresh_detail", args=[campaign.pk])
        if campaign.is_overdue():
            overdue_ids.append(campaign.pk)
            hint = _("%(days)s days overdue") % {"days": campaign.days_overdue()}
        else:
            hint = _("Due %(date)s") % {"date": campaign.due_date.isoformat()}
        stats.append(Stat(_("Register entries to confirm"), pending[campaign.pk], f"{url}?status=pending", True, hint))
    # Which stations are late matters to those who oversee several: township and county staff.
    oversees = access.oversees_stations(user)
    if overdue_ids and oversees:
        late = (
            RefreshConfirmation.objects.filter(
                access.station_in_q(user),
                campaign__in=overdue_ids,
                status=RefreshConfirmation.Status.PENDING,
            )
            .values("campaign")
            .annotate(stations=Count("station", distinct=True))
            .order_by()
        )
        late_counts = {row["campaign"]: row["stations"] for row in late}
        for campaign in campaigns:
            if campaign.pk in late_counts:
                url = reverse("representatives:refresh_detail", args=[campaign.pk])
                stats.append(
                    Stat(
                        _("Stations late with the refresh"),
                        late_counts[campaign.pk],
                        f"{url}?late=1",
                        True,
                        str(campaign),
                    )
                )
    return stats


def work_panel(user) -> Panel | None:
    """What waits for station officers, township and county staff: it leads their home page."""
    if not access.has_capability(user, access.Capability.ROSTER):
        return None
    stats = _refresh_stats(user)
    unverified = register_selectors.register_entry_list(user=user, verified=False, side="host").count()
    register = reverse("representatives:register")
    side = "" if access.is_county_wide(user) else "&side=host"
    stats.append(Stat(_("Check-ins to verify"), unverified, f"{register}?verified=no{side}", bool(unverified)))
    open_corrections = access.corrections_resolvable(user).filter(resolved_at__isnull=True).count()
    stats.append(
        Stat(
            _("Open correction requests"),
            open_corrections,
            reverse("representatives:correction_list") + "?status=open",
            bool(open_corrections),
        )
    )
    return Panel(title=_("Waiting for you"), stats=stats, order=0)


def roster_panel(user) -> Panel | None:
    if not access.has_capability(user, access.Capability.ROSTER):
        return None
    serving = access.representatives_visible(user).filter(status=Representative.Status.SERVING)
    counts = serving.aggregate(
        total=Count("pk"),
        county=Count("pk", filter=Q(level=Representative.Level.COUNTY)),
        township=Count("pk", filter=Q(level=Representative.Level.TOWNSHIP)),
        mobile=Count("pk", filter=Q(is_mobile=True)),
        in_town=Count("pk", filter=Q(lives_in_county_town=True)),
    )
    roster = reverse("representatives:list") + "?status=serving"
    return Panel(
        title=_("Representatives"),
        stats=[
            Stat(_("Serving representatives"), counts["total"], roster),
            Stat(_("County representatives"), counts["county"], f"{roster}&level=county"),
            Stat(_("Township representatives"), counts["township"], f"{roster}&level=township"),
            Stat(_("Mobile representatives"), counts["mobile"], f"{roster}&is_mobile=true"),
            Stat(_("Living in the county town"), counts["in_town"], f"{roster}&lives_in_county_town=true"),
        ],
    )


def own_record_panel(user) -> Panel | None:
    if not access.is_representative(user):
        return None
    rep = Representative.objects.filter(user=user).select_related("home_station").first()
    if rep is None:
        return Panel(title=_("My record"), note=_("Your account is not linked to a representative."), order=0)
    pending = RefreshConfirmation.objects.filter(
        entry__representative=rep, status=RefreshConfirmation.Status.PENDING, campaign__closed_at__isnull=True
    ).count()
    corrections = RecordCorrection.objects.filter(representative__user=user).aggregate(
        open=Count("pk", filter=Q(resolved_at__isnull=True)),
        answered=Count("pk", filter=Q(resolved_at__isnull=False)),
    )
    corrections_url = reverse("representatives:correction_list")
    return Panel(
        title=_("My record"),
        note=f"{rep.name} · {rep.get_level_display()} · {rep.home_station.name}",
        stats=[
            Stat(_("Register entries to confirm"), pending, reverse("representatives:refresh_mine"), bool(pending)),
            Stat(_("Correction requests waiting"), corrections["open"], f"{corrections_url}?status=open"),
            Stat(_("Correction requests answered"), corrections["answered"], f"{corrections_url}?status=resolved"),
            Stat(_("My record"), _("View"), reverse("representatives:me")),
        ],
        order=0,
    )
