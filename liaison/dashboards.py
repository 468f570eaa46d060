"""What each role sees first after signing in: a few real numbers and where to go next.

Each provider returns panels for the roles it serves; apps add providers as they grow.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext as _

from liaison import access, selectors


@dataclass
class Stat:
    label: str
    value: int | str
    url: str = ""


@dataclass
class Panel:
    title: str
    stats: list[Stat] = field(default_factory=list)
    note: str = ""


def _inbox_panel(user) -> Panel:
    return Panel(
        title=_("Inbox"),
        stats=[Stat(_("Unread messages"), selectors.notification_unread_count(user=user), reverse("liaison:inbox"))],
    )


def _station_panel(user) -> Panel | None:
    if not access.has_capability(user, "station_console"):
        return None
    counts = selectors.station_counts(user=user)
    tree = reverse("liaison:station_tree")
    title = _("Station network of the county") if access.is_county_wide(user) else _("My stations")
    return Panel(
        title=title,
        stats=[
            Stat(_("Active stations and points"), counts["total"], tree),
            Stat(_("Liaison stations"), counts["stations"], tree),
            Stat(_("County-town stations"), counts["county_town"], tree),
            Stat(_("Liaison points"), counts["points"], tree),
            Stat(_("Enterprise stations"), counts["enterprise"], tree),
            Stat(_("Without an officer"), counts["without_officer"], tree),
        ],
    )


def _handling_unit_panel(user) -> Panel | None:
    units = [g.handling_unit for g in access.grants(user) if g.role == access.Role.HANDLING_UNIT]
    if not units:
        return None
    return Panel(
        title=_("Handling unit"),
        stats=[Stat(_("Units you answer for"), len(units))],
        note="、".join(unit.name for unit in units),
    )


PROVIDERS = [_station_panel, _handling_unit_panel]


def register(provider) -> None:
    """Apps add their own panel providers (called from AppConfig.ready)."""
    if provider not in PROVIDERS:
        PROVIDERS.append(provider)


def panels_for(user) -> list[Panel]:
    panels = [panel for provider in PROVIDERS if (panel := provider(user)) is not None]
    panels.append(_inbox_panel(user))
    return panels
