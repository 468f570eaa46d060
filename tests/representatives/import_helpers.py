"""Building roster files for the import tests and the benchmark."""

from __future__ import annotations

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from representatives.services.import_format import HEADERS

DEFAULTS = {
    "姓名": "张三",
    "性别": "男",
    "民族": "汉族",
    "出生年份": "1975",
    "手机号码": "13800000001",
    "代表层级": "乡镇",
    "届次": "第十八届",
    "选区": "甲村选区",
    "所属联络站": "甲镇联络站",
    "居住地": "甲村",
    "居住地址": "甲村 1 号",
    "工作单位及职务": "村委会主任",
    "专长": "农业、法律",
}


def row(**overrides) -> list[str]:
    """One data row; keyword names are the Chinese headers (姓名="李四")."""
    values = {**DEFAULTS, **overrides}
    return [values[header] for header in HEADERS]


def rows(count: int, *, start: int = 0, **overrides) -> list[list[str]]:
    return [row(姓名=f"代表{start + i}", 手机号码=str(13800000000 + start + i), **overrides) for i in range(count)]


def xlsx_bytes(data_rows, header=HEADERS) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(header))
    for values in data_rows:
        sheet.append(list(values))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(data_rows, *, encoding="utf-8", header=HEADERS) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(data_rows)
    return buffer.getvalue().encode(encoding)


def upload_file(content: bytes, name: str = "名册.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def read_xlsx(content: bytes) -> list[list[str]]:
    sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    return [["" if cell is None else str(cell) for cell in values] for values in sheet.iter_rows(values_only=True)]
