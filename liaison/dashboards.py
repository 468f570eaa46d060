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
    # Work waiting for the user (shown highlighted while the number is not zero).
    urgent: bool = False
    hint: str = ""


@dataclass
class Panel:
    title: str
    stats: list[Stat] = field(default_factory=list)
    note: str = ""
    # Panels are shown by this order (then as registered): what waits for the user comes first.
    order: int = 50


def _inbox_panel(user, unread: int | None = None) -> Panel:
    if unread is None:
        unread = selectors.notification_unread_count(user=user)
    return Panel(
        title=_("Inbox"),
        stats=[Stat(_("Unread messages"), unread, reverse("liaison:inbox") + "?unread=1", urgent=bool(unread))],
        order=90,
    )


def _station_panel(user) -> Panel | None:
    if not access.has_capability(user, access.Capability.STATION_CONSOLE):
        return None
    counts = selectors.station_counts(user=user)
    tree = reverse("liaison:station_tree")
    title = _("Station network of the county") if access.is_county_wide(user) else _("My stations")
    # Each link opens the station list filtered to exactly the stations its number counts.
    return Panel(
        title=title,
        stats=[
            Stat(_("Active stations and points"), counts["total"], tree),
            Stat(_("Liaison stations"), counts["stations"], f"{tree}?kind=station&county_town=0"),
            Stat(_("County-town stations"), counts["county_town"], f"{tree}?kind=station&county_town=1"),
            Stat(_("Liaison points"), counts["points"], f"{tree}?kind=point"),
            Stat(_("Enterprise stations"), counts["enterprise"], f"{tree}?kind=enterprise"),
            Stat(
                _("Without an officer"),
                counts["without_officer"],
                f"{tree}?no_officer=1",
                urgent=bool(counts["without_officer"]),
            ),
        ],
    )


# A handling unit's panel is the suggestions app's (`suggestions.dashboards`, registered in its ready()).
PROVIDERS = [_station_panel]


def register(provider) -> None:
    """Apps add their own panel providers (called from AppConfig.ready)."""
    if provider not in PROVIDERS:
        PROVIDERS.append(provider)


def panels_for(user, *, unread: int | None = None) -> list[Panel]:
    """The user's panels; `unread` is the unread count when the caller has it already."""
    panels = [panel for provider in PROVIDERS if (panel := provider(user)) is not None]
    panels.append(_inbox_panel(user, unread))
    return sorted(panels, key=lambda panel: panel.order)
