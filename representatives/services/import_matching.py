"""Where import rows are matched: each row is checked on its own, then matched against the roster
(by phone, else by name) in a constant number of queries; `validate_rows` returns the plan the
preview shows and the apply writes.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections import defaultdict

from django.utils import timezone
from django.utils.translation import gettext as _

from liaison import access
from liaison.models import Division, User
from liaison.text import normalize_text
from representatives.models import Representative
from representatives.services.import_format import (
    BIRTH_YEAR_RE,
    CELL_ERROR,
    CLEAR,
    CLEAR_MARKER,
    CLEARABLE,
    COLUMN,
    FORMULA,
    GENDER_READ,
    GENDER_WRITE,
    KEYS,
    LEVEL_READ,
    LEVEL_WRITE,
    MAX_LENGTH,
    Action,
    Choice,
)
from representatives.services.import_rows import ImportPlan, Places, RowResult
from representatives.text import PHONE_RE, normalize_phone, split_specialties

MASKED_PHONE_RE = re.compile(r"^1\d{2}\*{4}\d{4}$")

logger = logging.getLogger(__name__)


def _parse_birth_year(text: str) -> tuple[int | None, str]:
    if not text:
        return None, ""
    match = BIRTH_YEAR_RE.fullmatch(text)
    this_year = timezone.localdate().year
    if not match or not (1920 <= int(match.group(1)) <= this_year - 18):
        return None, _("Enter a birth year between 1920 and %(year)s.") % {"year": this_year - 18}
    return int(match.group(1)), ""


def _check_cells(result: RowResult, places: Places) -> None:
    """Everything one row can be checked for on its own (and against the loaded places)."""
    v = {key: normalize_text(cell) for key, cell in zip(KEYS, result.cells, strict=True)}
    for key in KEYS:
        if v[key] == CLEAR_MARKER:
            v[key] = ""
            if key in CLEARABLE:
                result.cleared.add(key)
            else:
                result.unreadable[key] = {CLEAR: True}
    f = result.fields
    f["name"] = v["name"]
    if not v["name"]:
        result.error("name", _("Enter the representative's name."))
    f["gender"] = GENDER_READ.get(v["gender"], "")
    if not v["gender"]:
        result.error("gender", _("Enter 男 or 女."))
    elif not f["gender"]:
        result.error("gender", _("“%(value)s” is not a gender: enter 男 or 女.") % {"value": v["gender"]})
    f["ethnicity"] = v["ethnicity"] or "汉族"
    f["birth_year"], message = _parse_birth_year(v["birth_year"])
    if message:
        result.error("birth_year", message)
    f["phone"] = "" if "phone" in result.cleared else normalize_phone(result.cells[KEYS.index("phone")])
    if MASKED_PHONE_RE.match(f["phone"]):
        # A masked number (138****5678) from an export made by someone who may not read phones in
        # full: as good as a blank cell, so an update keeps the stored number.
        f["phone"] = ""
    if f["phone"] and not PHONE_RE.match(f["phone"]):
        result.error("phone", _("Enter an 11-digit mobile number starting with 1."))
    f["level"] = LEVEL_READ.get(v["level"], "")
    if not v["level"]:
        result.error("level", _("Enter 县 or 乡镇."))
    elif not f["level"]:
        result.error("level", _("“%(value)s” is not a level: enter 县 or 乡镇.") % {"value": v["level"]})
    f["term"] = v["term"]
    if not v["term"]:
        result.error("term", _("Enter the term, for example 第十八届."))
    f["electoral_district"] = v["electoral_district"]
    if not v["electoral_district"]:
        result.error("electoral_district", _("Enter the electoral district."))
    f["residence_address"] = v["residence_address"]
    f["occupation"] = v["occupation"]
    for key, limit in MAX_LENGTH.items():
        if len(f[key]) > limit:
            result.error(key, _("At most %(count)s characters.") % {"count": limit})
    result.specialties = split_specialties(v["specialties"])
    if any(len(name) > 30 for name in result.specialties):
        result.error("specialties", _("A specialty has at most 30 characters; separate them with 、"))

    station = None
    if not v["home_station"]:
        result.error("home_station", _("Enter the liaison station."))
    else:
        station, message = places.station(v["home_station"])
        if message:
            result.error("home_station", message)
    f["home_station"] = station
    if not v["residence_division"]:
        result.error("residence_division", _("Enter the village, community or township the representative lives in."))
    else:
        f["residence_division"], message = places.division(v["residence_division"])
        if message:
            result.error("residence_division", message)
    if station is not None:
        township_id = station.division.township_id()
        if township_id is None or township_id not in places.divisions:
            result.error(
                "home_station",
                _("%(name)s is not in a township: choose the station of the representative's township.")
                % {"name": station.name},
            )
        else:
            # The congress follows from the level: the county's, or the district township's own.
            township = f["district_township"] = places.divisions[township_id]
            if f["level"] == Representative.Level.COUNTY:
                # The county by kind (a province's instance has divisions above the county).
                f["congress"] = places.divisions.get(township.county_id() or township.ancestor_ids()[0])
            elif f["level"] == Representative.Level.TOWNSHIP:
                f["congress"] = township
                if township.kind != Division.Kind.TOWNSHIP:
                    result.error(
                        "level",
                        _(
                            "Subdistricts and development zones have no congress of their own: "
                            "only county representatives."
                        ),
                    )
    if result.unreadable:
        # A formula or #N/A is its own error, never an empty (or wrong) value of its column.
        columns = {COLUMN[key] for key in result.unreadable}
        result.errors = [error for error in result.errors if error[0] not in columns]
        for key in KEYS:
            cell = result.unreadable.get(key)
            if cell is None:
                continue
            if FORMULA in cell:
                result.error(key, _("This cell holds a formula: paste it as values and upload again."))
            elif CLEAR in cell:
                message = _("%(marker)s empties an optional column only; this one is required.")
                result.error(key, message % {"marker": "（清空）"})
            else:
                result.error(
                    key,
                    _("This cell holds the Excel error %(value)s: enter the real value and upload again.")
                    % {"value": cell[CELL_ERROR]},
                )


def _shown(key: str, value, places: Places) -> str:
    """A stored or imported value as the preview shows it (a station or place by its name)."""
    if value is None or value == "":
        return ""
    if key == "gender":
        return GENDER_WRITE.get(value, value)
    if key == "level":
        return LEVEL_WRITE.get(value, value)
    if key == "home_station":
        station = places.stations_by_pk.get(value)
        return station.name if station else ""
    if key == "residence_division":
        division = places.divisions.get(value)
        return places.division_label(division) if division else ""
    if key == "specialties":
        return "、".join(value)
    return str(value)


def _stored(rep: Representative) -> dict:
    """The representative's values the import compares, keyed like the file's columns."""
    return {
        "name": rep.name,
        "gender": rep.gender,
        "ethnicity": rep.ethnicity,
        "birth_year": rep.birth_year,
        "phone": rep.phone,
        "level": rep.level,
        "term": rep.term,
        "electoral_district": rep.electoral_district,
        "home_station": rep.home_station_id,
        "residence_division": rep.residence_division_id,
        "residence_address": rep.residence_address,
        "occupation": rep.occupation,
        "specialties": sorted(s.name for s in rep.specialties.all()),
    }


def fingerprint(rep: Representative) -> str:
    """What the preview saw of a representative: any later change to the record changes it."""
    values = {**_stored(rep), "congress": rep.congress_id, "district_township": rep.district_township_id}
    values["status"] = rep.status
    return hashlib.sha256(json.dumps(values, sort_keys=True, default=str).encode()).hexdigest()[:20]


def _keep_blank_cells(result: RowResult, rep: Representative) -> None:
    """An update never empties a stored value because a cell is blank: only （清空） does."""
    f = result.fields
    for key in CLEARABLE:
        if key in result.cleared:
            continue
        cell = normalize_text(result.cells[KEYS.index(key)])
        # A masked phone (from the export of someone who may not read it) counts as a blank cell.
        blank = not cell or (key == "phone" and bool(MASKED_PHONE_RE.match(normalize_phone(cell))))
        if not blank:
            continue
        if key == "specialties":
            result.specialties = sorted(s.name for s in rep.specialties.all())
        else:
            f[key] = getattr(rep, key)
    if not normalize_text(result.cells[KEYS.index("ethnicity")]):
        f["ethnicity"] = rep.ethnicity


def _compare(result: RowResult, rep: Representative, places: Places) -> list[dict]:
    """The columns whose value differs from the stored representative, each with old and new values."""
    f = result.fields
    old = _stored(rep)
    new = {key: f.get(key) for key in old}
    new["home_station"] = f["home_station"].pk
    new["residence_division"] = f["residence_division"].pk
    new["specialties"] = sorted(result.specialties)
    changed = {}
    for key in old:
        before, after = old[key], new[key]
        if isinstance(before, str) and key != "specialties":
            before = normalize_text(before)
        if key == "specialties":
            if set(before) == set(after):
                continue
        elif before == after:
            continue
        changed[key] = (before, after)
    # The congress and district township follow from the level and the station.
    if rep.congress_id != f["congress"].pk and "level" not in changed:
        changed["level"] = (rep.level, f["level"])
    if rep.district_township_id != f["district_township"].pk and "home_station" not in changed:
        changed["home_station"] = (rep.home_station_id, f["home_station"].pk)
    return [
        {
            "key": key,
            "column": COLUMN[key],
            "old": _shown(key, changed[key][0], places),
            "new": _shown(key, changed[key][1], places),
        }
        for key in KEYS
        if key in changed
    ]


def _row_cells(row: list) -> tuple[list[str], dict[str, dict]]:
    cells, unreadable = [], {}
    for key, cell in zip(KEYS, row[1:], strict=True):
        if isinstance(cell, dict):
            unreadable[key] = cell
            cells.append("")
        else:
            cells.append(str(cell))
    return cells, unreadable


def validate_rows(*, actor: User, rows: list[list], resolutions: dict | None = None) -> ImportPlan:
    """Check every row and decide new / update / unchanged / conflict / error, in a constant number of queries.

    `resolutions` ({"row number": {"choice": "same"|"new", "representative": pk}}) are the user's
    answers to earlier conflicts; one that no longer fits the roster is asked again.
    """
    resolutions = resolutions or {}
    places = Places(actor=actor)
    results = []
    for row in rows:
        cells, unreadable = _row_cells(row)
        results.append(RowResult(row=int(row[0]), cells=cells, unreadable=unreadable))
    for result in results:
        _check_cells(result, places)

    # Existing representatives the rows may match, in two queries each way.
    phones = {r.fields["phone"] for r in results if r.fields["phone"]}
    names = {r.fields["name"] for r in results if r.fields["name"]}
    by_phone: dict[tuple, Representative] = {}
    if phones:
        for rep in (
            Representative.objects.filter(phone__in=phones)
            .select_related("home_station")
            .prefetch_related("specialties")
        ):
            by_phone[(rep.level, rep.term, rep.phone)] = rep
    by_name: dict[tuple, list[Representative]] = defaultdict(list)
    if names:
        for rep in (
            access.representatives_changeable(actor)
            .filter(name__in=names)
            .select_related("home_station")
            .prefetch_related("specialties")
        ):
            by_name[(rep.level, normalize_text(rep.term), normalize_text(rep.name))].append(rep)
    seen: dict[tuple, int] = {}
    matched: dict[int, int] = {}
    for result in results:
        f = result.fields
        if not (f["level"] and f["term"]):
            continue
        if f["phone"]:
            key, column = ("phone", f["level"], f["term"], f["phone"]), "phone"
        elif f["name"]:
            key, column = ("name", f["level"], f["term"], f["name"]), "name"
        else:
            continue
        if key in seen:
            if column == "phone":
                message = _("Same mobile number, level and term as row %(row)s.")
            else:
                message = _("Same name, level and term as row %(row)s, and neither has a mobile number.")
            result.error(column, message % {"row": seen[key]})
            continue
        seen[key] = result.row
        if column == "phone":
            rep = by_phone.get((f["level"], f["term"], f["phone"]))
            if rep is None:
                rep = _namesake(result, by_name, resolutions)
                if rep is None:
                    continue
            elif rep.home_station_id not in places.changeable_ids:
                result.error(
                    "phone",
                    _(
                        "This mobile number belongs to a representative of another station "
                        "in the same congress and term."
                    ),
                )
                continue
            elif normalize_text(rep.name) != f["name"]:
                result.error(
                    "phone",
                    _("This mobile number already belongs to %(name)s in the same congress and term.")
                    % {"name": rep.name},
                )
                continue
        else:
            candidates = by_name.get((f["level"], f["term"], f["name"]), [])
            if len(candidates) > 1:
                result.error(
                    "name",
                    _("Several representatives of this congress and term are called %(name)s: add the mobile number.")
                    % {"name": f["name"]},
                )
                continue
            if not candidates:
                continue
            rep = candidates[0]
        if rep.pk in matched:
            result.error("name", _("Same representative as row %(row)s.") % {"row": matched[rep.pk]})
            continue
        matched[rep.pk] = result.row
        result.representative = rep

    for result in results:
        if result.errors:
            result.action = Action.ERROR
        elif result.candidates:
            result.action = Action.CONFLICT
        elif result.representative is None:
            result.action = Action.NEW
        else:
            _keep_blank_cells(result, result.representative)
            result.seen = fingerprint(result.representative)
            result.changes = _compare(result, result.representative, places)
            result.action = Action.UPDATE if result.changes else Action.UNCHANGED
    return ImportPlan(results=results)


def _namesake(result: RowResult, by_name: dict, resolutions: dict) -> Representative | None:
    """A row with a phone nobody has: is it someone on the roster whose phone changed?

    Representatives with the row's name, level, term and congress but another phone (or none)
    make the row a conflict, until the user says it is one of them (update) or someone else (new).
    Returns the representative the user chose, or None (new, or still to be decided).
    """
    f = result.fields
    congress = f.get("congress")
    namesakes = [
        rep
        for rep in by_name.get((f["level"], f["term"], f["name"]), [])
        if congress is not None and rep.congress_id == congress.pk
    ]
    if not namesakes:
        return None
    answer = resolutions.get(str(result.row)) or {}
    if answer.get("choice") == Choice.NEW:
        return None
    if answer.get("choice") == Choice.SAME:
        for rep in namesakes:
            if rep.pk == answer.get("representative"):
                return rep
    result.candidates = namesakes
    return None
