"""Dashboard panel of a handling unit's account (registered in SuggestionsConfig.ready): what it
is handling, what is overdue, what is due within a week, each a link to its list."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from liaison import access
from liaison.dashboards import Panel, Stat
from suggestions.selectors.unit import unit_counts


def handling_unit_panel(user) -> Panel | None:
    units = [g.handling_unit for g in access.grants(user) if g.role == access.Role.HANDLING_UNIT and g.handling_unit]
    if not units:
        return None
    counts = unit_counts(user)
    url = reverse("suggestions:unit_list")
    return Panel(
        title=_("Items assigned to my unit"),
        stats=[
            Stat(_("Being handled"), counts["active"], url),
            Stat(_("Overdue"), counts["overdue"], f"{url}?when=overdue", urgent=bool(counts["overdue"])),
            Stat(_("Due within 7 days"), counts["due_soon"], f"{url}?when=due_soon", urgent=bool(counts["due_soon"])),
        ],
        note=_("You answer for: %(units)s.") % {"units": "、".join(unit.name for unit in units)},
        order=1,
    )
