"""The roster spreadsheet: template, export, and the all-or-nothing import (upload -> preview -> apply).

The file format is the one stations keep their rosters in: one header row, exactly `HEADERS`,
then one representative per row. The import reads the file once into plain cells (kept on an
`ImportBatch`), validates every row against the database in a constant number of queries, and
shows a preview. Confirming queues `representatives.tasks.import_apply`, which validates again
and writes every row through the roster services in one transaction, reporting its progress in
the cache for the progress page.
"""

from __future__ import annotations

import contextlib
import csv
import datetime
import hashlib
import io
import json
import logging
import re
import time
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import InterfaceError, OperationalError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from liaison import access
from liaison.models import Division, Station
from representatives.models import ImportBatch, Representative
from representatives.services import roster
from representatives.services.roster import PHONE_RE, normalize_phone, normalize_text, split_specialties

logger = logging.getLogger(__name__)

# --- The file format ---------------------------------------------------------------------------

HEADERS = (
    "姓名",
    "性别",
    "民族",
    "出生年份",
    "手机号码",
    "代表层级",
    "届次",
    "选区",
    "所属联络站",
    "居住地",
    "居住地址",
    "工作单位及职务",
    "专长",
)
KEYS = (
    "name",
    "gender",
    "ethnicity",
    "birth_year",
    "phone",
    "level",
    "term",
    "electoral_district",
    "home_station",
    "residence_division",
    "residence_address",
    "occupation",
    "specialties",
)
COLUMN = dict(zip(KEYS, HEADERS, strict=True))
# Fields the file does not hold directly, named by the column they are derived from.
COLUMN.update(congress="代表层级", district_township="所属联络站")

LEVEL_WRITE = {Representative.Level.COUNTY: "县", Representative.Level.TOWNSHIP: "乡镇"}
LEVEL_READ = {
    "县": Representative.Level.COUNTY,
    "县级": Representative.Level.COUNTY,
    "县人大代表": Representative.Level.COUNTY,
    "乡镇": Representative.Level.TOWNSHIP,
    "乡镇级": Representative.Level.TOWNSHIP,
    "乡镇人大代表": Representative.Level.TOWNSHIP,
}
GENDER_WRITE = {Representative.Gender.MALE: "男", Representative.Gender.FEMALE: "女"}
GENDER_READ = {
    "男": Representative.Gender.MALE,
    "男性": Representative.Gender.MALE,
    "女": Representative.Gender.FEMALE,
    "女性": Representative.Gender.FEMALE,
}
MAX_LENGTH = {
    "name": 50,
    "ethnicity": 20,
    "term": 20,
    "electoral_district": 100,
    "residence_address": 200,
    "occupation": 200,
}
PATH_SEPARATOR = "/"
ROSTER_SHEET = "代表名册"

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000
MAX_BLANK_RUN = 1000
# What a workbook may unpack to, checked on the archive's directory before anything is parsed (a
# few KB of deflated repetition can claim gigabytes). zipfile never inflates a member past its
# declared size (it stops there and fails the CRC), so these bounds hold whatever the file claims.
MAX_ARCHIVE_MEMBERS = 500
MAX_MEMBER_BYTES = 50 * 1024 * 1024  # a 20,000-row roster sheet is about 10 MB of XML
MAX_UNPACKED_BYTES = 120 * 1024 * 1024
MAX_RATIO = 100  # ordinary spreadsheet XML deflates 5 to 20 times
RATIO_FLOOR = 1024 * 1024  # small parts (styles, an empty sheet) may compress better than that
# While streaming: rows the reader looks at in all (blank ones included), bytes of XML one row or
# one shared string may take, and how many shared strings a roster can need.
MAX_SHEET_ROWS = 50_000
MAX_ROW_XML_BYTES = 2 * 1024 * 1024
MAX_SHARED_STRINGS = 600_000
STREAM_CHUNK = 64 * 1024
# A cell the reader cannot take as text: a formula (its value may never have been calculated) or
# an Excel error (#N/A). Kept in the staged rows as a small dict, reported on its own column.
FORMULA, CELL_ERROR = "formula", "cell_error"
CLEAR = "clear"  # (in a RowResult only) the clear marker written in a required column
# Written in an optional column of an update, this empties the stored value; a blank cell keeps it.
CLEAR_MARKER = "(清空)"  # normalize_text turns the full-width （清空） into this
CLEARABLE = ("birth_year", "phone", "residence_address", "occupation", "specialties")
PROGRESS_EVERY = 25
PROGRESS_TIMEOUT = 6 * 3600
BIRTH_YEAR_RE = re.compile(r"(\d{4})(?:\.0+|年.*|[-/.]\d{1,2}(?:[-/.]\d{1,2})?(?:[ T].*)?)?")


class Action:
    NEW = "new"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    ERROR = "error"
    CONFLICT = "conflict"  # same name, level, term and congress as someone, another phone: the user decides
    ALL = (NEW, UPDATE, UNCHANGED, ERROR, CONFLICT)


class Choice:
    """How the user resolved a conflict row: the same person (update them) or another one (new)."""

    SAME = "same"
    NEW = "new"


# --- Reading a file ----------------------------------------------------------------------------


def _cell_text(value) -> str:
    """A cell as the text a person sees: 13800001234.0 -> '13800001234', a date -> '1975-03-01'."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _decode_csv(data: bytes) -> str:
    if b"\x00" in data[:4096]:
        raise ValidationError(_("This file is not a spreadsheet: upload the .xlsx template or a .csv file."))
    for encoding in ("utf-8-sig", "gb18030"):  # gb18030 reads everything GBK does
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError(_("The CSV file's encoding was not recognised: save it as UTF-8 or GBK."))


def _csv_rows(data: bytes):
    text = _decode_csv(data)
    first_line = text.split("\n", 1)[0]
    # Excel writes commas, or semicolons and tabs in some locales: take the one the header uses.
    delimiter = max((",", "\t", ";"), key=first_line.count)
    try:
        yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    except csv.Error as exc:
        raise ValidationError(_("The CSV file could not be read: %(error)s") % {"error": exc}) from exc


def _not_a_workbook() -> ValidationError:
    return ValidationError(_("This file could not be opened as an Excel workbook: save it again as .xlsx and retry."))


def _too_big_unpacked() -> ValidationError:
    return ValidationError(
        _(
            "This workbook unpacks to far more data than a roster needs, so it was not opened. "
            "Copy the roster into a freshly downloaded template and upload that."
        )
    )


def check_archive(archive: zipfile.ZipFile) -> None:
    """Refuse a workbook whose parts would unpack to more than a roster can hold, before parsing it."""
    members = archive.infolist()
    if len(members) > MAX_ARCHIVE_MEMBERS:
        raise ValidationError(
            _("This workbook has %(count)s parts, more than a roster file has: save the roster sheet as a new .xlsx.")
            % {"count": len(members)}
        )
    total = 0
    for member in members:
        size = member.file_size
        total += size
        if size > MAX_MEMBER_BYTES or total > MAX_UNPACKED_BYTES:
            raise _too_big_unpacked()
        if size > RATIO_FLOOR and size > MAX_RATIO * max(member.compress_size, 1):
            raise _too_big_unpacked()


def _scan_xml(archive: zipfile.ZipFile, member: str, tag: str, *, max_items: int, too_many) -> None:
    """Stream one XML part and check that no `tag` element (a row, a shared string) is giant.

    Fed in small chunks, each element cleared when it ends, so memory stays small whatever the
    part holds; stops at `max_items` elements (the reader stops there too) with `too_many()`.
    """
    from xml.etree.ElementTree import ParseError, XMLPullParser

    parser = XMLPullParser(events=("start", "end"))
    fed = started_at = count = 0
    inside = False
    open_elements = []
    try:
        with archive.open(member) as stream:
            while chunk := stream.read(STREAM_CHUNK):
                fed += len(chunk)
                parser.feed(chunk)
                for event, element in parser.read_events():
                    if event == "end":
                        open_elements.pop()
                    mine = element.tag == tag or element.tag.endswith("}" + tag)
                    if event == "start":
                        open_elements.append(element)
                        if mine:
                            inside, started_at = True, fed - len(chunk)
                            count += 1
                            if count > max_items:
                                raise too_many()
                    elif mine:
                        inside = False
                        element.clear()
                        if open_elements:  # drop it from its parent too: nothing accumulates
                            open_elements[-1].remove(element)
                if inside and fed - started_at > MAX_ROW_XML_BYTES:
                    raise ValidationError(
                        _("Row %(row)s of the workbook holds far more data than a roster row: it was not read.")
                        % {"row": count}
                        if tag == "row"
                        else _("A cell of the workbook holds far more text than a roster needs: it was not read.")
                    )
    except ParseError as exc:
        raise _not_a_workbook() from exc


def _too_many_rows() -> ValidationError:
    return ValidationError(
        _("The file has more than %(count)s rows: split it and import the parts.") % {"count": MAX_ROWS}
    )


def _check_parts(data: bytes) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise _not_a_workbook() from exc
    with archive:
        check_archive(archive)
        try:
            for name in archive.namelist():
                if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                    _scan_xml(archive, name, "row", max_items=MAX_SHEET_ROWS, too_many=_too_many_rows)
                elif name == "xl/sharedStrings.xml":
                    _scan_xml(archive, name, "si", max_items=MAX_SHARED_STRINGS, too_many=_too_big_unpacked)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError) as exc:
            raise _not_a_workbook() from exc


def _xlsx_cell(cell):
    """A read-only cell as text, or a marker for what cannot be read as text (formula, #N/A)."""
    if cell.data_type == "f":
        return {FORMULA: str(cell.value)[:100]}
    if cell.data_type == "e":
        return {CELL_ERROR: str(cell.value)[:20]}
    return _cell_text(cell.value)


def _xlsx_rows(data: bytes):
    _check_parts(data)
    try:
        # Not data_only: a formula must be seen as one, not read as its (possibly missing) result.
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for a damaged or foreign file
        raise _not_a_workbook() from exc
    try:
        sheet = workbook[ROSTER_SHEET] if ROSTER_SHEET in workbook.sheetnames else workbook.worksheets[0]
        for cells in sheet.iter_rows(max_col=len(HEADERS) + 10):
            yield [_xlsx_cell(cell) for cell in cells]
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError) as exc:
        raise _not_a_workbook() from exc
    except MemoryError as exc:
        raise _too_big_unpacked() from exc
    finally:
        workbook.close()


def _is_blank(cell) -> bool:
    return not isinstance(cell, dict) and not str(cell).strip()


def _clean(cell):
    if isinstance(cell, dict):
        return cell
    # A NUL cannot be stored (PostgreSQL text and JSON refuse it): drop it with the cell's noise.
    return str(cell).replace("\x00", "")


def check_upload(*, name: str, data: bytes) -> None:
    """What can be told at once, without opening the file: its size, its kind."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The file is too large: at most %(size)s MB.") % {"size": MAX_UPLOAD_BYTES // (1024 * 1024)}
        )
    if not data:
        raise ValidationError(_("The file is empty."))
    suffix = name.lower().rsplit(".", 1)[-1] if "." in name else ""
    if suffix == "xls":
        raise ValidationError(_("Old .xls workbooks are not supported: save the file as .xlsx and retry."))
    if data[:4] != b"PK\x03\x04" and suffix not in ("csv", "txt"):
        raise ValidationError(_("This file is not a spreadsheet: upload the .xlsx template or a .csv file."))


def read_rows(*, name: str, data: bytes) -> list[list]:
    """The data rows of an uploaded roster as [row number, 13 cells...]; ValidationError if unusable.

    The row number is the spreadsheet's own (the header is row 1), so errors point at the line
    the user sees. Blank rows are skipped.
    """
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The file is too large: at most %(size)s MB.") % {"size": MAX_UPLOAD_BYTES // (1024 * 1024)}
        )
    if not data:
        raise ValidationError(_("The file is empty."))
    suffix = name.lower().rsplit(".", 1)[-1] if "." in name else ""
    if suffix == "xls":
        raise ValidationError(_("Old .xls workbooks are not supported: save the file as .xlsx and retry."))
    if data[:4] == b"PK\x03\x04":
        source = _xlsx_rows(data)
    elif suffix in ("csv", "txt"):
        source = _csv_rows(data)
    else:
        raise ValidationError(_("This file is not a spreadsheet: upload the .xlsx template or a .csv file."))

    rows: list[list] = []
    header_seen = False
    blank_run = 0
    for number, cells in enumerate(source, start=1):
        if number > MAX_SHEET_ROWS:
            raise _too_many_rows()
        if not header_seen:
            texts = [normalize_text(cell) for cell in cells]
            if any(texts):
                _check_header(texts)
                header_seen = True
            continue
        if all(_is_blank(cell) for cell in cells[: len(HEADERS)]):
            blank_run += 1
            if blank_run > MAX_BLANK_RUN:  # formatted but empty rows down to the sheet's end
                break
            continue
        blank_run = 0
        if len(rows) >= MAX_ROWS:
            raise _too_many_rows()
        cells = [_clean(cell) for cell in cells[: len(HEADERS)]]
        cells += [""] * (len(HEADERS) - len(cells))
        rows.append([number, *cells])
    if not header_seen:
        raise ValidationError(_("The file is empty."))
    if not rows:
        raise ValidationError(_("The file has a header row but no representatives."))
    return rows


def _check_header(cells: list[str]) -> None:
    header = [cell.lstrip("\ufeff") for cell in cells]
    while header and not header[-1]:
        header.pop()
    if tuple(header) == HEADERS:
        return
    missing = [name for name in HEADERS if name not in header]
    extra = [name for name in header if name and name not in HEADERS]
    detail = []
    if missing:
        detail.append(_("missing: %(columns)s") % {"columns": "、".join(missing)})
    if extra:
        detail.append(_("not in the template: %(columns)s") % {"columns": "、".join(extra)})
    if not detail:
        detail.append(_("the columns are in a different order"))
    raise ValidationError(
        _(
            "The first row must be the template's header: %(headers)s (%(detail)s). "
            "Download the template and copy the data into it."
        )
        % {"headers": "、".join(HEADERS), "detail": "；".join(detail)}
    )


# --- Places: what a cell may name ----------------------------------------------------------------


class Places:
    """All divisions and stations, loaded once, with the names a spreadsheet may use for them."""

    def __init__(self, *, actor):
        self.divisions = {d.pk: d for d in Division.objects.only("name", "kind", "parent_id", "path", "is_county_town")}
        self._by_key: dict[str, list[Division]] = defaultdict(list)
        for division in self.divisions.values():
            names = self._chain(division)
            for start in range(len(names)):
                self._by_key[PATH_SEPARATOR.join(names[start:])].append(division)
        self.stations = list(Station.objects.select_related("division").order_by("path"))
        self.stations_by_pk = {station.pk: station for station in self.stations}
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
                f["congress"] = places.divisions.get(township.ancestor_ids()[0])
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
        blank = not normalize_text(result.cells[KEYS.index(key)])
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


def validate_rows(*, actor, rows: list[list], resolutions: dict | None = None) -> ImportPlan:
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


# --- Use cases ---------------------------------------------------------------------------------


@transaction.atomic
def import_receive(*, actor, name: str, data: bytes) -> ImportBatch:
    """Take an upload: size and kind are checked at once; the worker reads and checks the rows.

    Opening a workbook can take long (a crafted one, much longer), so the request only stores the
    file and queues `representatives.tasks.import_check`; the preview page waits for it.
    """
    from representatives import tasks

    check_upload(name=name, data=data)
    batch = ImportBatch.objects.create(
        uploaded_by=actor, file_name=(name or "")[:200], upload=data, status=ImportBatch.Status.CHECKING
    )
    set_progress(batch.pk, done=0, total=0)
    tasks.import_check.delay_on_commit(batch.pk)
    return batch


def import_check(*, batch_id: int) -> ImportBatch:
    """In the worker: read an uploaded file and check its rows; the batch becomes the preview.

    A file that cannot be used at all is refused with the reason, in the batch's message.
    """
    from celery.exceptions import SoftTimeLimitExceeded

    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update(of=("self",)).select_related("uploaded_by").get(pk=batch_id)
        if batch.status != ImportBatch.Status.CHECKING:
            return batch
        data = bytes(batch.upload or b"")
        try:
            batch.rows = read_rows(name=batch.file_name, data=data)
            _stage(batch, validate_rows(actor=batch.uploaded_by, rows=batch.rows))
            batch.message = ""
        except ValidationError as exc:
            batch.status, batch.message = ImportBatch.Status.INVALID, " ".join(exc.messages)[:500]
        except MemoryError:
            batch.status, batch.message = ImportBatch.Status.INVALID, " ".join(_too_big_unpacked().messages)
        except SoftTimeLimitExceeded:
            batch.status = ImportBatch.Status.INVALID
            batch.message = _("Reading this file took too long, so it was stopped: check the file and upload it again.")
        batch.upload = None
        batch.save(update_fields=["rows", "status", "counts", "report", "message", "upload"])
    logger.info("roster upload %s checked: %s %s", batch.pk, batch.status, batch.counts)
    return batch


@transaction.atomic
def import_upload(*, actor, name: str, data: bytes) -> ImportBatch:
    """Read and check an uploaded roster; stage it for the preview. Nothing on the roster changes.

    Raises ValidationError (in Chinese) when the file cannot be used at all: too large, not a
    spreadsheet, empty, or without the template's header.
    """
    rows = read_rows(name=name, data=data)
    plan = validate_rows(actor=actor, rows=rows)
    batch = ImportBatch(uploaded_by=actor, file_name=(name or "")[:200], rows=rows)
    _stage(batch, plan)
    batch.save()
    return batch


def _stage(batch: ImportBatch, plan: ImportPlan) -> None:
    batch.counts, batch.report = plan.counts, plan.report
    batch.status = ImportBatch.Status.INVALID if plan.has_errors else ImportBatch.Status.READY


@transaction.atomic
def import_resolve(*, actor, batch: ImportBatch, row: int, choice: str, representative_id: int | None = None):
    """The uploader answers a conflict row: the same person as a namesake on the roster, or someone new.

    The whole file is checked again with the answer (the preview shown is then the current one).
    """
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.uploaded_by_id != actor.pk:
        raise ValidationError(_("Only the person who uploaded this file may import it."))
    if batch.status != ImportBatch.Status.READY:
        raise ValidationError(_("This file has already been imported or is being imported."))
    entry = next((r for r in batch.report if r["row"] == row and r.get("candidates")), None)
    if entry is None or choice not in (Choice.SAME, Choice.NEW):
        raise ValidationError(_("This row has nothing to decide: reload the preview."))
    answer = {"choice": choice}
    if choice == Choice.SAME:
        if representative_id not in {candidate["pk"] for candidate in entry["candidates"]}:
            raise ValidationError(_("This row has nothing to decide: reload the preview."))
        answer["representative"] = representative_id
    batch.resolutions = {**batch.resolutions, str(row): answer}
    _stage(batch, validate_rows(actor=actor, rows=batch.rows, resolutions=batch.resolutions))
    batch.message = ""
    batch.save(update_fields=["resolutions", "counts", "report", "status", "message"])
    return batch


def import_can_retry(batch: ImportBatch) -> bool:
    """A failed import that can simply be run again: stopped, not refused for its rows."""
    return (
        batch.status == ImportBatch.Status.FAILED
        and not batch.counts.get(Action.ERROR)
        and not batch.counts.get(Action.CONFLICT)
    )


@transaction.atomic
def import_confirm(*, actor, batch: ImportBatch) -> ImportBatch:
    """The uploader confirms a previewed file without errors: the apply task is queued after commit.

    An import that was interrupted (the worker stopped; nothing was written) may be confirmed again.
    """
    from representatives import tasks

    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.uploaded_by_id != actor.pk:
        raise ValidationError(_("Only the person who uploaded this file may import it."))
    if batch.status == ImportBatch.Status.INVALID:
        raise ValidationError(_("Correct the rows with errors and upload the file again."))
    if batch.status != ImportBatch.Status.READY and not import_can_retry(batch):
        raise ValidationError(_("This file has already been imported or is being imported."))
    if not batch.rows:
        raise ValidationError(_("The rows of this upload were cleared after 30 days: upload the file again."))
    if batch.counts.get(Action.CONFLICT):
        raise ValidationError(
            _("Some rows name someone already on the roster with another mobile number: decide each of them first.")
        )
    batch.status = ImportBatch.Status.QUEUED
    batch.message = ""
    batch.queued_at = timezone.now()
    batch.save(update_fields=["status", "message", "queued_at"])
    set_progress(batch.pk, done=0, total=len(batch.rows))
    tasks.import_apply.delay_on_commit(batch.pk)
    return batch


def progress_key(batch_id: int) -> str:
    return f"representatives:import:{batch_id}:progress"


def set_progress(batch_id: int, *, done: int, total: int) -> None:
    cache.set(progress_key(batch_id), {"done": done, "total": total, "at": time.time()}, PROGRESS_TIMEOUT)


def get_progress(batch_id: int) -> dict:
    progress = cache.get(progress_key(batch_id)) or {"done": 0, "total": 0}
    return {"done": progress["done"], "total": progress["total"]}


def _progress_at(batch_id: int) -> float | None:
    progress = cache.get(progress_key(batch_id))
    return progress.get("at") if progress else None


class _RowFailed(Exception):
    def __init__(self, result: RowResult):
        self.result = result


class _Stale(Exception):
    def __init__(self, plan: ImportPlan):
        self.plan = plan


def _apply_row(*, actor, result: RowResult) -> None:
    fields = {key: value for key, value in result.fields.items() if key in roster.ROSTER_FIELDS}
    try:
        if result.action == Action.NEW:
            result.representative = roster.representative_create(actor=actor, specialties=result.specialties, **fields)
        elif result.action == Action.UPDATE:
            specialties = result.specialties if "specialties" in result.changed_keys else None
            roster.representative_update(
                actor=actor, representative=result.representative, specialties=specialties, **fields
            )
    except ValidationError as exc:
        messages = exc.message_dict if hasattr(exc, "error_dict") else {"name": exc.messages}
        for key, texts in messages.items():
            for text in texts:
                result.errors.append((COLUMN.get(key, COLUMN["name"]), text))
        result.action = Action.ERROR
        raise _RowFailed(result) from exc


def _mark_stale(plan: ImportPlan, previewed: list[dict]) -> list[int]:
    """The rows whose representative changed (or appeared) since the preview the user confirmed.

    A row is compared with what its preview saw: the same representative matched (or none), in the
    same state. Reports staged before fingerprints existed have no "seen" and are not compared.
    """
    before = {entry["row"]: entry for entry in previewed}
    stale = []
    for result in plan.results:
        entry = before.get(result.row)
        if entry is None or "seen" not in entry:
            continue
        now_pk = result.representative.pk if result.representative else None
        if now_pk != entry.get("representative") or result.seen != entry["seen"] or result.candidates:
            result.stale = True
            stale.append(result.row)
    return stale


APPLY_CHUNK = 100
# After each chunk the import waits a little: SQLite's busy handler retries on a timer, so a writer
# that takes the lock again at once would starve the others.
CHUNK_PAUSE = 0.15


def commits_in_batches() -> bool:
    """SQLite (the demo) has one write lock for the whole database: the import commits in chunks."""
    return connection.vendor == "sqlite"


def _write(*, actor, batch_id: int, results: list[RowResult], total: int, start: int = 0) -> None:
    for done, result in enumerate(results, start=start + 1):
        _apply_row(actor=actor, result=result)
        if done % PROGRESS_EVERY == 0:
            set_progress(batch_id, done=done, total=total)


def _write_in_batches(*, actor, batch_id: int, plan: ImportPlan) -> None:
    """Write the rows in chunks, each its own transaction, and still all or nothing.

    Between chunks the write lock is free for a moment, so other people's saves (a sign-in, an
    edit) wait at most about one chunk (the busy timeout covers that). Each chunk first checks that the
    representatives it updates are still as validated (else _Stale); if any chunk fails, the
    chunks already committed are undone: representatives created are deleted, those updated get
    their previous values back.
    """
    results, total = plan.results, len(plan.results)
    undo: list[tuple] = []
    try:
        for start in range(0, total, APPLY_CHUNK):
            chunk = results[start : start + APPLY_CHUNK]
            chunk_undo = []
            with transaction.atomic():
                matched = [result for result in chunk if result.representative is not None]
                current = Representative.objects.filter(pk__in=[r.representative.pk for r in matched])
                current = current.select_related("congress", "district_township", "home_station", "residence_division")
                current = {rep.pk: rep for rep in current.prefetch_related("specialties")}
                for result in matched:
                    rep = current.get(result.representative.pk)
                    if rep is None or fingerprint(rep) != result.seen:
                        result.stale = True
                if any(result.stale for result in matched):
                    raise _Stale(plan)
                for done, result in enumerate(chunk, start=start + 1):
                    if result.action == Action.UPDATE:
                        rep = current[result.representative.pk]
                        before = {name: getattr(rep, name) for name in roster.ROSTER_FIELDS}
                        chunk_undo.append(("update", rep.pk, before, sorted(s.name for s in rep.specialties.all())))
                    _apply_row(actor=actor, result=result)
                    if result.action == Action.NEW:
                        chunk_undo.append(("new", result.representative.pk, None, None))
                    if done % PROGRESS_EVERY == 0:
                        set_progress(batch_id, done=done, total=total)
            undo += chunk_undo
            set_progress(batch_id, done=min(start + APPLY_CHUNK, total), total=total)
            if start + APPLY_CHUNK < total:
                time.sleep(CHUNK_PAUSE)
    except BaseException:
        _undo(actor=actor, undo=undo)
        raise


def _undo(*, actor, undo: list[tuple]) -> None:
    if not undo:
        return
    try:
        with transaction.atomic():
            for kind, pk, before, specialties in reversed(undo):
                rep = Representative.objects.filter(pk=pk).first()
                if rep is None:
                    continue
                if kind == "new":
                    rep._history_user = actor
                    rep.delete()
                else:
                    roster.representative_update(actor=actor, representative=rep, specialties=specialties, **before)
    except Exception:
        logger.exception("roster import: undoing %s committed rows failed", len(undo))
        raise
    logger.info("roster import: %s committed rows undone", len(undo))


def import_apply(*, batch_id: int) -> ImportBatch:
    """Write a confirmed file: every row through the roster services, all or nothing.

    Runs in the Celery worker. Validates again and compares each row with what the confirmed
    preview showed: if a representative it matched was changed since (or one appeared), nothing
    is written and the batch goes back to a fresh preview that says so. One bad row, then or while
    writing, rolls everything back and is reported. Safe to run twice: a batch that is no longer
    queued is left alone.
    """
    from celery.exceptions import SoftTimeLimitExceeded

    in_batches = commits_in_batches()
    # PostgreSQL: one transaction holding the batch's row. SQLite: no outer transaction (it would
    # hold the database's only write lock for the whole import); see _write_in_batches.
    with contextlib.nullcontext() if in_batches else transaction.atomic():
        batches = ImportBatch.objects.select_related("uploaded_by")
        if not in_batches:
            batches = batches.select_for_update(of=("self",))
        batch = batches.get(pk=batch_id)
        if batch.status != ImportBatch.Status.QUEUED:
            return batch
        actor = batch.uploaded_by
        total = len(batch.rows)
        set_progress(batch.pk, done=0, total=total)
        plan = None
        try:
            plan = validate_rows(actor=actor, rows=batch.rows, resolutions=batch.resolutions)
            if plan.has_errors:
                raise ValidationError("invalid")
            stale = _mark_stale(plan, batch.report)
            if stale:
                raise _Stale(plan)
            if in_batches:
                _write_in_batches(actor=actor, batch_id=batch.pk, plan=plan)
            else:
                with transaction.atomic():
                    _write(actor=actor, batch_id=batch.pk, results=plan.results, total=total)
        except _Stale:
            _stage(batch, plan)
            rows = [result.row for result in plan.results if result.stale]
            shown = "、".join(str(row) for row in rows[:10]) + ("…" if len(rows) > 10 else "")
            batch.message = _(
                "The roster changed after your preview (rows %(rows)s): nothing was imported. "
                "Below is the preview against the roster as it is now: check it and import again."
            ) % {"rows": shown}
        except (ValidationError, _RowFailed) as exc:
            batch.status = ImportBatch.Status.FAILED
            bad = exc.result if isinstance(exc, _RowFailed) else None
            batch.message = (
                _("Row %(row)s could not be saved: nothing was imported.") % {"row": bad.row}
                if bad
                else _("The roster changed since the preview and some rows are no longer valid: nothing was imported.")
            )
        except (OperationalError, InterfaceError):
            raise  # the connection failed: the task retries with backoff; everything rolled back
        except SoftTimeLimitExceeded:
            logger.warning("roster import %s stopped at its time limit", batch.pk)
            batch.status = ImportBatch.Status.FAILED
            batch.message = _("The import took too long and was stopped: nothing was imported. Import it again.")
            plan = None
        except Exception:
            logger.exception("roster import %s failed", batch.pk)
            batch.status = ImportBatch.Status.FAILED
            batch.message = _("The import stopped because of an unexpected error: nothing was imported.")
            plan = None
        else:
            batch.status = ImportBatch.Status.DONE
            batch.message = ""
        if plan is not None:
            batch.counts, batch.report = plan.counts, plan.report
        if batch.status in (ImportBatch.Status.DONE, ImportBatch.Status.FAILED):
            batch.finished_at = timezone.now()
        batch.save(update_fields=["status", "message", "counts", "report", "finished_at"])
    set_progress(batch.pk, done=total, total=total)
    logger.info("roster import %s: %s, %s", batch.pk, batch.status, batch.counts)
    return batch


STUCK_AFTER = datetime.timedelta(minutes=30)


def import_batches_fail_stuck(*, now=None) -> int:
    """Periodic: imports queued for longer than STUCK_AFTER with no progress since are marked failed
    (and uploads still being read after that long are refused).

    That is a worker killed or lost mid-import: the apply is one transaction, so nothing was
    written, and the uploader may confirm again. An import still running holds its batch's row
    lock and is skipped (PostgreSQL). Returns how many batches were marked.
    """
    now = now or timezone.now()
    cutoff = now - STUCK_AFTER
    marked = 0
    candidates = ImportBatch.objects.filter(status=ImportBatch.Status.QUEUED, queued_at__lt=cutoff)
    for pk in candidates.values_list("pk", flat=True):
        at = _progress_at(pk)
        if at is not None and at >= cutoff.timestamp():
            continue  # still moving
        with transaction.atomic():
            batch = (
                ImportBatch.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, status=ImportBatch.Status.QUEUED)
                .first()
            )
            if batch is None:
                continue
            batch.status = ImportBatch.Status.FAILED
            batch.message = _(
                "The import was interrupted (the background worker stopped): nothing was imported. "
                "You can import the file again."
            )
            batch.finished_at = now
            batch.save(update_fields=["status", "message", "finished_at"])
            marked += 1
            logger.warning("roster import %s was stuck since %s: marked failed", pk, batch.queued_at)
    # An upload whose reading never ended (its worker died): refused, to be uploaded again.
    unread = ImportBatch.objects.filter(status=ImportBatch.Status.CHECKING, created_at__lt=cutoff)
    marked += unread.update(
        status=ImportBatch.Status.INVALID,
        upload=None,
        message=_("Reading this file was interrupted: upload it again."),
    )
    return marked


# --- Template and export -------------------------------------------------------------------------

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="B22222")
COLUMN_WIDTHS = (10, 6, 8, 10, 14, 10, 10, 16, 18, 18, 28, 28, 20)


def _roster_sheet(sheet) -> None:
    sheet.title = ROSTER_SHEET
    sheet.append(HEADERS)
    for index, width in enumerate(COLUMN_WIDTHS, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = width
        sheet.cell(row=1, column=index).font = HEADER_FONT
        sheet.cell(row=1, column=index).fill = HEADER_FILL
    sheet.freeze_panes = "A2"


def template_workbook(*, actor) -> bytes:
    """The empty roster template, with a guidance sheet naming the stations and places to use."""
    places = Places(actor=actor)
    workbook = Workbook()
    sheet = workbook.active
    _roster_sheet(sheet)
    for column, values in (("B", "男,女"), ("F", "县,乡镇")):
        validation = DataValidation(type="list", formula1=f'"{values}"', allow_blank=True)
        validation.add(f"{column}2:{column}5001")
        sheet.add_data_validation(validation)

    guide = workbook.create_sheet("填写说明")
    guide.column_dimensions["A"].width = 16
    guide.column_dimensions["B"].width = 8
    guide.column_dimensions["C"].width = 90
    rows = [
        ("列", "必填", "说明"),
        ("姓名", "是", "代表姓名。"),
        ("性别", "是", "男 或 女。"),
        ("民族", "否", "如 汉族、畲族；不填视为汉族。"),
        ("出生年份", "否", "四位年份，如 1975。"),
        ("手机号码", "否", "11 位手机号码；全角数字、空格和短横线会自动整理。同一层级、同一届次中不能重复。"),
        ("代表层级", "是", "县 或 乡镇。"),
        ("届次", "是", "如 第十八届。"),
        ("选区", "是", "选区名称，如 第三选区。"),
        ("所属联络站", "是", "下方列出的联络站名称之一；乡镇代表属于该联络站所在乡镇的人大。"),
        ("居住地", "是", "村、社区或乡镇名称（见下方列表）；重名时写成“乡镇/社区”。"),
        ("居住地址", "否", "详细住址。"),
        ("工作单位及职务", "否", "如 甲镇中心小学校长。"),
        ("专长", "否", "多个专长用 、 或 , 分隔，如 法律、农业。"),
        (),
        (
            "导入规则",
            "",
            "同一层级、届次和手机号码的代表会被更新；没有手机号码时按同一层级、届次和姓名匹配；其余为新增。",
        ),
        ("", "", "上传后先预览每一行（新增 / 更新 / 无变化 / 错误），确认后全部导入；有任何错误则一行也不导入。"),
        (
            "",
            "",
            "更新已有代表时，空白单元格保留名册中的原值；要清空出生年份、手机号码、居住地址、工作单位及职务或专长，"
            "请在该格填写“（清空）”。",
        ),
        ("", "", "单元格不能是公式：请先复制，再“选择性粘贴 → 数值”。"),
        (
            "",
            "",
            "姓名、层级、届次相同而手机号码不同的行，预览时请确认是同一人（更新号码）还是另一人（新增）。",
        ),
        (),
        ("可填写的联络站", "", ""),
    ]
    for station in places.stations:
        if station.pk in places.changeable_ids and station.is_active:
            rows.append(("", "", station.name))
    rows += [(), ("可填写的居住地", "", "")]
    for division in sorted(places.divisions.values(), key=lambda d: d.path):
        if division.kind != Division.Kind.COUNTY:
            rows.append(("", "", places.division_label(division)))
    for row in rows:
        guide.append(row)
    for cell in guide[1]:
        cell.font = Font(bold=True)
    for row in guide.iter_rows(min_row=2, max_col=3):
        row[2].alignment = Alignment(wrap_text=True)
        if row[0].value in ("导入规则", "可填写的联络站", "可填写的居住地"):
            row[0].font = Font(bold=True)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def roster_row(rep: Representative, places: Places) -> list:
    """One representative as a row of the template (the import reads it back unchanged)."""
    return [
        rep.name,
        GENDER_WRITE.get(rep.gender, rep.gender),
        rep.ethnicity,
        str(rep.birth_year) if rep.birth_year else "",
        rep.phone,
        LEVEL_WRITE.get(rep.level, rep.level),
        rep.term,
        rep.electoral_district,
        rep.home_station.name,
        places.division_label(places.divisions[rep.residence_division_id])
        if rep.residence_division_id in places.divisions
        else "",
        rep.residence_address,
        rep.occupation,
        "、".join(sorted(s.name for s in rep.specialties.all())),
    ]


def text_cell(sheet, value: str) -> Cell:
    """A cell that holds the text as typed: '=…' stays text, never becomes a formula.

    Control characters, which Excel refuses (openpyxl raises), are left out.
    """
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = Cell(sheet, value=value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"
    return cell


def roster_workbook(*, actor, representatives) -> bytes:
    """The given representatives (a queryset) as a workbook in the template's format."""
    places = Places(actor=actor)
    workbook = Workbook()
    sheet = workbook.active
    _roster_sheet(sheet)
    queryset = representatives.select_related("home_station").prefetch_related("specialties")
    for rep in queryset.iterator(chunk_size=2000):
        sheet.append([text_cell(sheet, value) for value in roster_row(rep, places)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- Personal data minimisation ----------------------------------------------------------------

STAGED_DAYS = 30


def import_batches_purge(*, older_than_days: int = STAGED_DAYS, now=None) -> int:
    """Clear the staged cells and row report of uploads older than the limit.

    They hold representatives' phones and addresses and are not needed once the file is
    imported (the representatives' own history says who changed what) or abandoned. Who uploaded
    which file, when, and the counts stay. Returns how many batches were cleared.
    """
    cutoff = (now or timezone.now()) - datetime.timedelta(days=older_than_days)
    return (
        ImportBatch.objects.filter(created_at__lt=cutoff)
        .exclude(status=ImportBatch.Status.QUEUED)
        .exclude(rows=[], report=[], upload=None)
        .update(rows=[], report=[], upload=None)
    )
