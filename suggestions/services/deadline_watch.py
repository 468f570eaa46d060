"""The daily deadline watch: handling units reminded 7, 3 and 1 days before a deadline; overdue
items escalated to township and county staff, one digest per person per day. Set-based (a few
queries whatever the number of items) and idempotent (every message has a unique key, so a second
run the same day sends nothing)."""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict

from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.models import RoleGrant
from liaison.services import notify
from suggestions.models import Assignment
from suggestions.selectors.common import unit_users

logger = logging.getLogger(__name__)

REMINDER_OFFSETS = (7, 3, 1)
# A digest lists this many items; the rest are counted ("and N more").
DIGEST_LINES = 20


def deadline_reminders(*, today: datetime.date | None = None) -> int:
    """Remind the users of each unit 7, 3 and 1 days before an active assignment is due. The key
    holds the deadline, so an extended deadline is reminded again. Returns how many were sent."""
    today = today or timezone.localdate()
    targets = {today + datetime.timedelta(days=offset): offset for offset in REMINDER_OFFSETS}
    assignments = list(
        Assignment.objects.filter(status=Assignment.Status.ACTIVE, due_on__in=list(targets))
        .select_related("suggestion", "unit")
        .order_by("due_on", "pk")
    )
    users = unit_users({a.unit_id for a in assignments})
    sent = 0
    for assignment in assignments:
        offset = targets[assignment.due_on]
        title = (
            _("Due tomorrow: %(title)s") % {"title": assignment.suggestion.title}
            if offset == 1
            else _("Due in %(days)s days: %(title)s") % {"days": offset, "title": assignment.suggestion.title}
        )
        for user in users.get(assignment.unit_id, []):
            created = notify(
                recipient=user,
                kind="suggestion_deadline",
                key=f"suggestion-deadline:{assignment.pk}:{assignment.due_on.isoformat()}:{offset}:u{user.pk}",
                title=title,
                body=_("%(code)s, %(role)s, due %(date)s.")
                % {
                    "code": assignment.suggestion.code,
                    "role": assignment.get_role_display(),
                    "date": assignment.due_on.isoformat(),
                },
                url=reverse("suggestions:unit_detail", args=[assignment.pk]),
            )
            sent += created is not None
    return sent


def _digest_url() -> str:
    """The staff's list of overdue items (built on another branch; empty until it exists)."""
    for name, query in (("suggestions:review_overdue", ""), ("suggestions:list", "?when=overdue")):
        try:
            return reverse(name) + query
        except NoReverseMatch:
            continue
    return ""


def overdue_digests(*, today: datetime.date | None = None) -> int:
    """One message a day to each township staff member and each county staff member whose area
    has overdue items (an active assignment past its deadline), listing them. Returns how many
    digests were sent (0 on a second run the same day)."""
    today = today or timezone.localdate()
    overdue = list(
        Assignment.objects.filter(status=Assignment.Status.ACTIVE, due_on__lt=today)
        .select_related("suggestion__station__division", "unit")
        .order_by("due_on", "pk")
    )
    if not overdue:
        return 0
    grants = list(
        RoleGrant.objects.filter(
            Q(role=RoleGrant.Role.TOWNSHIP_STAFF) | Q(role=RoleGrant.Role.COUNTY_STAFF),
            division__isnull=False,
            user__is_active=True,
        )
        .select_related("division", "user")
        .order_by("user_id", "pk")
    )
    items_of: dict[int, dict[int, Assignment]] = defaultdict(dict)
    users = {}
    for grant in grants:
        assert grant.division is not None
        prefix = grant.division.path
        for assignment in overdue:
            if assignment.suggestion.station.division.path.startswith(prefix):
                items_of[grant.user_id][assignment.pk] = assignment
                users[grant.user_id] = grant.user
    url = _digest_url()
    sent = 0
    for user_id, items in items_of.items():
        rows = list(items.values())
        lines = [
            _("%(code)s %(title)s: %(unit)s, due %(date)s (%(days)s days overdue)")
            % {
                "code": a.suggestion.code,
                "title": a.suggestion.title,
                "unit": a.unit.name,
                "date": a.due_on.isoformat(),
                "days": (today - a.due_on).days,
            }
            for a in rows[:DIGEST_LINES]
        ]
        if len(rows) > DIGEST_LINES:
            lines.append(_("…and %(n)s more.") % {"n": len(rows) - DIGEST_LINES})
        created = notify(
            recipient=users[user_id],
            kind="suggestion_overdue_digest",
            key=f"suggestion-overdue-digest:{today.isoformat()}:u{user_id}",
            title=_("%(n)s suggestion items are overdue") % {"n": len(rows)},
            body="\n".join(lines),
            url=url,
        )
        sent += created is not None
    return sent


def deadline_watch(*, today: datetime.date | None = None) -> dict[str, int]:
    """The daily job: recompute provisional deadlines the calendar now knows, remind, escalate."""
    from suggestions.services.handling import deadlines_recompute_provisional

    counts = {
        "recomputed": deadlines_recompute_provisional(),
        "reminders": deadline_reminders(today=today),
        "digests": overdue_digests(today=today),
    }
    logger.info("deadline watch: %s", counts)
    return counts
