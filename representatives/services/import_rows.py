"""What an import works on: the places a cell may name, one checked row, the plan of a whole file."""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from liaison import access
from liaison.models import Division, Station, User
from liaison.text import normalize_text
from representatives.models import Representative
from representatives.services.import_format import COLUMN, KEYS, PATH_SEPARATOR, Action
from representatives.text import normalize_phone

logger = logging.getLogger(__name__)

# --- Places: what a cell may name ----------------------------------------------------------------


class Places:
    """All divisions and stations, loaded once, with the names a spreadsheet may use for them."""

    def __init__(self, *, actor: User):
        self.divisions = {d.pk: d for d in Division.objects.only("name", "kind", "parent_id", "path", "is_county_town")}
        self._by_key: dict[str, list[Division]] = defaultdict(list)
        for division in self.divisions.values():
            names = self._chain(division)
            for start in range(len(names)):
                self._by_key[PATH_SEPARATOR.join(names[start:])].append(division)
        self.stations = list(Station.objects.select_related("division").order_by("path"))
        self.stations_by_pk = {station.pk: station for station in self.stations}
        # Every place's township and county from the paths loaded here, without a query a place.
        Division.prime_ancestor_kinds([*self.divisions.values(), *(station.division for station in self.stations)])
        self._stations_by_name: dict[str, list[Station]] = defaultdict(list)
        for station in self.stations:
            self._stations_by_name[normalize_text(station.name)].append(station)
        self.changeable_ids = set(access.stations_changeable(actor).values_list("pk", flat=True))

    def _chain(self, division: Division) -> list[str]:
        return [normalize_text(self.divisions[pk].name) for pk in division.ancestor_ids() if pk in self.divisions]

    def division_label(self, division: Division) -> str:
        """The shortest name path that names this division alone: '甲村', or '甲镇/新村' if another 新村 exists."""
        names = self._chain(division)
        for start in range(len(names) - 1, -1, -1):
            key = PATH_SEPARATOR.join(names[start:])
            if len(self._by_key.get(key, ())) == 1:
                return key
        return PATH_SEPARATOR.join(names)

    def division(self, text: str) -> tuple[Division | None, str]:
        key = PATH_SEPARATOR.join(part.strip() for part in text.replace("\\", PATH_SEPARATOR).split(PATH_SEPARATOR))
        found = self._by_key.get(key, [])
        if len(found) == 1:
            return found[0], ""
        if found:
            options = "、".join(self.division_label(d) for d in sorted(found, key=lambda d: d.path))
            return None, _("Several places are called %(name)s: write it as township/place, one of %(options)s.") % {
                "name": text,
                "options": options,
            }
        return None, _("No place called %(name)s in the county.") % {"name": text}

    def station(self, text: str) -> tuple[Station | None, str]:
        found = self._stations_by_name.get(text, [])
        mine = [station for station in found if station.pk in self.changeable_ids]
        if len(mine) == 1:
            station = mine[0]
            if not station.is_active:
                return None, _("%(name)s has been deactivated.") % {"name": text}
            return station, ""
        if len(mine) > 1:
            return None, _("Several of your stations are called %(name)s.") % {"name": text}
        if found:
            return None, _("%(name)s is not one of the stations you keep.") % {"name": text}
        return None, _("No station called %(name)s.") % {"name": text}


# --- Validation --------------------------------------------------------------------------------


@dataclass
class RowResult:
    row: int
    cells: list[str]
    action: str = Action.NEW
    errors: list[tuple[str, str]] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    representative: Representative | None = None
    fields: dict = field(default_factory=dict)
    specialties: list[str] = field(default_factory=list)
    unreadable: dict[str, dict] = field(default_factory=dict)  # key -> {FORMULA: ...} or {CELL_ERROR: ...}
    cleared: set[str] = field(default_factory=set)  # optional columns the file empties with CLEAR_MARKER
    candidates: list[Representative] = field(default_factory=list)  # a conflict's namesakes
    seen: str = ""  # fingerprint of the matched representative when this row was checked
    stale: bool = False

    def error(self, key: str, message: str) -> None:
        self.errors.append((COLUMN[key], message))

    @property
    def changed_keys(self) -> set[str]:
        return {change["key"] for change in self.changes}

    def as_report(self) -> dict:
        values = dict(zip(KEYS, self.cells, strict=True))
        report = {
            "row": self.row,
            "action": self.action,
            "name": values["name"],
            "phone": normalize_phone(values["phone"]),
            "station": values["home_station"],
            "level": values["level"],
            "errors": [{"column": column, "message": message} for column, message in self.errors],
            "changes": self.changes,
            "representative": self.representative.pk if self.representative else None,
            "seen": self.seen,
        }
        if self.candidates:
            report["candidates"] = [
                {"pk": rep.pk, "name": rep.name, "phone": rep.phone, "station": rep.home_station.name}
                for rep in self.candidates
            ]
        if self.stale:
            report["stale"] = True
        return report


@dataclass
class ImportPlan:
    results: list[RowResult]

    @property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(Action.ALL, 0)
        for result in self.results:
            counts[result.action] += 1
        counts["total"] = len(self.results)
        return counts

    @property
    def has_errors(self) -> bool:
        return any(result.action == Action.ERROR for result in self.results)

    @property
    def has_conflicts(self) -> bool:
        return any(result.action == Action.CONFLICT for result in self.results)

    @property
    def report(self) -> list[dict]:
        return [result.as_report() for result in self.results]
