"""Home-page panels for activities (registered from LiaisonConfig.ready)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison import access, dashboards
from liaison.activities import selectors, services
from liaison.dashboards import Panel, Stat
from liaison.models import Activity


def representative_panel(user) -> Panel | None:
    """A representative's activities to check in to (from two hours before to the day after)."""
    if access.Role.REPRESENTATIVE not in access.roles(user):
        return None
    now = timezone.now()
    own = access.own_invitations(user).exclude(activity__status=Activity.Status.CANCELLED)
    counts = {
        "check_in": own.filter(
            attended_at__isnull=True,
            activity__starts_at__lte=now + services.CHECK_IN_OPENS,
            activity__starts_at__gte=now - services.CHECK_IN_CLOSES,
        ).count(),
        "coming": own.filter(activity__starts_at__gt=now).count(),
    }
    mine = reverse("activities:mine")
    return Panel(
        title=_("My activities"),
        stats=[
            Stat(_("Activities to check in to"), counts["check_in"], mine, urgent=bool(counts["check_in"])),
            Stat(_("Coming activities"), counts["coming"], mine),
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
