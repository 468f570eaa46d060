"""Spreadsheets the apps hand out: the roster template and export, the mobile register."""

from __future__ import annotations

import io
import logging

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from liaison import access
from liaison.models import Division, Station, User
from liaison.privacy import mask_phone
from representatives.models import Representative
from representatives.selectors.mobile_register import register_entry_contacts
from representatives.services.import_format import GENDER_WRITE, HEADERS, LEVEL_WRITE, ROSTER_SHEET
from representatives.services.import_rows import Places

logger = logging.getLogger(__name__)

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


def template_workbook(*, actor: User) -> bytes:
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


def roster_row(rep: Representative, places: Places, *, full_phone: bool = True) -> list:
    """One representative as a row of the template (the import reads it back unchanged; a masked
    phone reads as a blank cell, which keeps the stored number)."""
    return [
        rep.name,
        GENDER_WRITE.get(rep.gender, rep.gender),
        rep.ethnicity,
        str(rep.birth_year) if rep.birth_year else "",
        rep.phone if full_phone else mask_phone(rep.phone),
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


def roster_workbook(*, actor: User, representatives) -> bytes:
    """The given representatives (a queryset) as a workbook in the template's format. Phones as the
    actor may read them (access.sees_full_phones): masked ones import back as "keep the number"."""
    places = Places(actor=actor)
    workbook = Workbook()
    sheet = workbook.active
    _roster_sheet(sheet)
    queryset = representatives.select_related("home_station__division").prefetch_related("specialties")
    for rep in queryset.iterator(chunk_size=2000):
        full = access.sees_full_phones(actor, rep.home_station, owner_id=rep.user_id)
        sheet.append([text_cell(sheet, value) for value in roster_row(rep, places, full_phone=full)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- The mobile register -------------------------------------------------------------------------

REGISTER_HEADERS = (
    "序号",
    "姓名",
    "代表层级",
    "届次",
    "流出地联络站",
    "流入地联络站",
    "报到社区",
    "报到日期",
    "核实人",
    "核实时间",
    "手机号码",
    "其他联系方式",
    "专长",
    "发挥作用情况",
    "本站角色",
)


def register_workbook(*, user, entries, station: Station | None = None) -> bytes:
    """Register entries as a workbook: one station's register (as origin and as host), or the list
    the user filtered. Phones as `user` may read them (access.sees_full_phones)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet = workbook.active
    sheet.title = "流动代表登记册"
    sheet.append(REGISTER_HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for number, entry in enumerate(entries, start=1):
        if station is not None:
            side = [
                label
                for label, held in (("流出地", entry.origin_station_id), ("流入地", entry.host_station_id))
                if held == station.pk
            ]
        else:
            side = [label for label, held in (("流出地", entry.user_is_origin), ("流入地", entry.user_is_host)) if held]
        row = [
            number,
            entry.representative.name,
            entry.representative.get_level_display(),
            entry.representative.term,
            entry.origin_station.name,
            entry.host_station.name,
            entry.community.name if entry.community else "",
            entry.checked_in_on,
            str(entry.verified_by) if entry.verified_by else "",
            timezone.localtime(entry.verified_at).strftime("%Y-%m-%d %H:%M") if entry.verified_at else "",
            *register_entry_contacts(user, entry),
            entry.specialties_note,
            entry.role_played,
            "、".join(side),
        ]
        # Typed text stays text: no formulas, no characters Excel refuses.
        sheet.append([text_cell(sheet, value) for value in row])
    for column, width in zip(
        "ABCDEFGHIJKLMNO", (6, 10, 14, 10, 18, 18, 14, 12, 10, 17, 14, 16, 20, 30, 10), strict=True
    ):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
