"""Home-page panels for activities (registered from LiaisonConfig.ready)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison import access, dashboards
from liaison.activities import selectors
from liaison.dashboards import Panel, Stat
from liaison.models import Activity


def representative_panel(user) -> Panel | None:
    """A representative's activities to check in to (from two hours before to the day after)."""
    if not access.is_representative(user):
        return None
    counts = {show: selectors.my_invitations(user=user, show=show).count() for show in ("check_in", "coming")}
    mine = reverse("activities:mine")
    return Panel(
        title=_("My activities"),
        stats=[
            Stat(
                _("Activities to check in to"),
                counts["check_in"],
                f"{mine}?show=check_in",
                urgent=bool(counts["check_in"]),
            ),
            Stat(_("Coming activities"), counts["coming"], f"{mine}?show=coming"),
        ],
        order=5,
    )


def officer_panel(user) -> Panel | None:
    """Staff: attendance waiting to be recorded, and the activities coming up."""
    if not access.has_capability(user, access.Capability.ACTIVITIES):
        return None
    visible = access.activities_visible(user)
    unrecorded = selectors.activities_without_attendance(visible).count()
    coming = visible.filter(starts_at__gte=timezone.now()).exclude(status=Activity.Status.CANCELLED).count()
    url = reverse("activities:list")
    return Panel(
        title=_("Activities"),
        stats=[
            Stat(_("Attendance to record"), unrecorded, f"{url}?when=unrecorded", urgent=bool(unrecorded)),
            Stat(_("Coming activities"), coming, f"{url}?when=coming"),
            Stat(_("Funds"), _("View"), reverse("activities:budget_report")),
        ],
        order=20,
    )


def register_panels() -> None:
    dashboards.register(representative_panel)
    dashboards.register(officer_panel)
