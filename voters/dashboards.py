"""Dashboard panels for reception days (registered in VotersConfig.ready).

A representative's home shows their work: duties to answer this month and held days not logged.
An officer's shows what waits today: duties still unconfirmed, days to log.
"""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison import access
from liaison.dashboards import Panel, Stat
from voters.models import DutyAssignment, ReceptionDay
from voters.selectors import reception as selectors


def representative_reception_panel(user) -> Panel | None:
    if not access.is_representative(user):
        return None
    today = timezone.localdate()
    month_end = selectors.month_bounds(today)[1]
    counts = DutyAssignment.objects.filter(
        representative__user=user, day__status=ReceptionDay.Status.PLANNED, day__date__gte=today
    ).aggregate(
        to_answer=Count("pk", filter=Q(status=DutyAssignment.Status.INVITED)),
        this_month=Count("pk", filter=Q(day__date__lte=month_end) & ~Q(status=DutyAssignment.Status.DECLINED)),
    )
    to_log = selectors.days_to_log(user=user, mine_only=True).count()
    waiting = reverse("voters:reception_list") + "?waiting="
    return Panel(
        title=_("My reception duties"),
        stats=[
            Stat(_("Duties to confirm"), counts["to_answer"], f"{waiting}to_answer", urgent=bool(counts["to_answer"])),
            Stat(_("Duties this month"), counts["this_month"], f"{waiting}this_month"),
            Stat(_("Held days to log"), to_log, f"{waiting}to_log", urgent=bool(to_log)),
            Stat(_("My reception duties"), _("View"), reverse("voters:reception_mine")),
        ],
        order=1,
    )


def officer_reception_panel(user) -> Panel | None:
    if not access.has_capability(user, access.Capability.RECEPTION):
        return None
    today = timezone.localdate()
    unconfirmed = selectors.unconfirmed_duties(user=user).values("day").distinct().count()
    to_log = selectors.station_days_to_log(user=user).count()
    today_count = access.reception_days_changeable(user).filter(date=today, status=ReceptionDay.Status.PLANNED).count()
    waiting = reverse("voters:reception_list") + "?waiting="
    return Panel(
        title=_("Reception days"),
        stats=[
            Stat(_("Reception days today"), today_count, f"{waiting}today"),
            Stat(_("Days with unconfirmed duties"), unconfirmed, f"{waiting}unconfirmed", urgent=bool(unconfirmed)),
            Stat(_("Held days to log"), to_log, f"{waiting}station_to_log", urgent=bool(to_log)),
            Stat(_("Reception calendar"), _("View"), reverse("voters:reception_calendar")),
        ],
        order=1,
    )
