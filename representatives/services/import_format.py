"""The roster spreadsheet's format, and reading an uploaded file into plain cells.

No database here: the columns (`HEADERS`), the words a cell may use, the limits a file must keep
(size, rows, what a workbook may unpack to), and `read_rows`, which turns an upload into lists of
cells or refuses it with a Chinese message.
"""

from __future__ import annotations

import csv
import datetime
import io
import logging
import re
import zipfile

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from liaison.text import normalize_text
from representatives.models import Representative

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


def too_big_unpacked() -> ValidationError:
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
            raise too_big_unpacked()
        if size > RATIO_FLOOR and size > MAX_RATIO * max(member.compress_size, 1):
            raise too_big_unpacked()


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
                    _scan_xml(archive, name, "si", max_items=MAX_SHARED_STRINGS, too_many=too_big_unpacked)
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
        raise too_big_unpacked() from exc
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
