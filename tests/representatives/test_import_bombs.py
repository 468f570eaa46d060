"""Spreadsheet bombs: a few KB of deflated repetition that would unpack to far more than a roster.

Each is refused by the archive check (sizes the zip directory declares, before anything is
parsed) or, with that check relaxed, by the streaming limits (rows, bytes per row, shared
strings), never by reading everything. Memory is measured with tracemalloc: bounded, not timed.
"""

import io
import tracemalloc
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from representatives.models import ImportBatch
from representatives.services import import_format, imports
from tests.representatives.import_helpers import row, rows, xlsx_bytes

SHEET = "xl/worksheets/sheet1.xml"
SST = "xl/sharedStrings.xml"
SST_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
REFUSED = "解压后的数据量远超"


def rebuild(base: bytes, replace: dict[str, bytes]) -> bytes:
    """The workbook `base` with some parts replaced or added, deflated as hard as zlib can."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            data = replace.pop(name, None) or source.read(name)
            if name == "[Content_Types].xml" and SST in replace:
                data = data.replace(
                    b"</Types>", f'<Override PartName="/{SST}" ContentType="{SST_TYPE}"/></Types>'.encode()
                )
            target.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
        for name, data in replace.items():
            target.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return out.getvalue()


def sheet_xml(body: bytes) -> bytes:
    return (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        + body
        + b"</sheetData></worksheet>"
    )


def header_row() -> bytes:
    cells = "".join(
        f'<c r="{chr(65 + i)}1" t="inlineStr"><is><t>{name}</t></is></c>'
        for i, name in enumerate(import_format.HEADERS)
    )
    return f'<row r="1">{cells}</row>'.encode()


def huge_shared_strings(count: int) -> bytes:
    strings = b"<si><t>a</t></si>" * count
    return (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' + strings + b"</sst>"
    )


def huge_sheet(count: int) -> bytes:
    body = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>' * count  # "r" is optional
    return sheet_xml(header_row() + body)


def giant_row(size: int) -> bytes:
    return sheet_xml(
        header_row() + b'<row r="2"><c r="A2" t="inlineStr"><is><t>' + b"A" * size + b"</t></is></c></row>"
    )


BASE = xlsx_bytes([row()])
BOMBS = {
    "huge shared strings": lambda: rebuild(BASE, {SST: huge_shared_strings(1_500_000)}),
    "huge sheet": lambda: rebuild(BASE, {SHEET: huge_sheet(400_000)}),
    "one giant row": lambda: rebuild(BASE, {SHEET: giant_row(30 * 1024 * 1024)}),
}


def refused(network, data: bytes) -> tuple[str, int]:
    """Upload `data`; the Chinese refusal and the peak of Python memory while refusing it."""
    tracemalloc.start()
    try:
        with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
            imports.import_upload(actor=network.users["officer"], name="名册.xlsx", data=data)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert not ImportBatch.objects.exists()
    return " ".join(caught.value.messages), peak


@pytest.mark.parametrize("kind", list(BOMBS))
def test_each_bomb_is_a_few_kb_and_refused_by_the_archive_check(network, kind, monkeypatch):
    data = BOMBS[kind]()
    assert len(data) < 200 * 1024  # a small upload ...
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert sum(info.file_size for info in archive.infolist()) > 15 * 1024 * 1024  # ... claiming a lot
    # Nothing is parsed: the directory alone refuses it.
    monkeypatch.setattr(import_format, "_scan_xml", lambda *args, **kwargs: pytest.fail("parsed a bomb"))
    monkeypatch.setattr(import_format, "load_workbook", lambda *args, **kwargs: pytest.fail("opened a bomb"))
    message, peak = refused(network, data)
    assert REFUSED in message
    assert peak < 5 * 1024 * 1024


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("huge shared strings", REFUSED),
        ("huge sheet", "超过 20000 行"),
        ("one giant row", "第 2 行的数据量远超"),
    ],
)
def test_past_the_archive_check_the_streaming_limits_stop_each_bomb(network, kind, message, monkeypatch):
    """With the ratio check off (as if a bomb slipped past it), the reader still stops early."""
    monkeypatch.setattr(import_format, "MAX_RATIO", 10**9)
    monkeypatch.setattr(import_format, "load_workbook", lambda *args, **kwargs: pytest.fail("opened a bomb"))
    text, peak = refused(network, BOMBS[kind]())
    assert message in text
    assert peak < 16 * 1024 * 1024  # streamed in chunks: far less than the part's size


def test_a_workbook_of_too_many_parts_is_refused(network):
    data = rebuild(BASE, {f"xl/media/image{n}.png": b"x" for n in range(600)})
    text, _peak = refused(network, data)
    assert "个部件" in text


def test_an_ordinary_large_roster_passes_the_checks(network):
    batch = imports.import_upload(actor=network.users["officer"], name="名册.xlsx", data=xlsx_bytes(rows(2000)))
    assert batch.counts["new"] == 2000


def test_rows_past_the_sheet_limit_are_refused_while_reading(network, monkeypatch):
    monkeypatch.setattr(import_format, "MAX_ROWS", 10)
    text, _peak = refused(network, xlsx_bytes(rows(11)))
    assert "超过 10 行" in text


# --- Off the request: the worker reads the file ----------------------------------------------------


def test_the_request_only_stores_the_file_and_the_worker_reads_it(network, client_for, monkeypatch):
    from django.urls import reverse

    from representatives import tasks
    from tests.representatives.import_helpers import upload_file

    queued = []
    monkeypatch.setattr(tasks.import_check, "delay_on_commit", lambda batch_id: queued.append(batch_id))
    real_read_rows = imports.read_rows
    monkeypatch.setattr(imports, "read_rows", lambda **kwargs: pytest.fail("the request read the file"))
    client = client_for(network.users["officer"])
    with translation.override("zh-hans"):
        response = client.post(reverse("representatives:import"), {"file": upload_file(BOMBS["huge sheet"]())})
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and queued == [batch.pk]
    assert batch.status == ImportBatch.Status.CHECKING and batch.upload and batch.rows == []
    page = client.get(batch.get_absolute_url()).content.decode()
    assert "正在读取并检查文件" in page
    poll = reverse("representatives:import_progress", args=[batch.pk])
    assert client.get(poll, headers={"HX-Request": "true"}).status_code == 200  # still checking

    monkeypatch.setattr(imports, "read_rows", real_read_rows)
    with translation.override("zh-hans"):
        assert tasks.import_check(batch.pk) == ImportBatch.Status.INVALID  # what the worker runs
    batch.refresh_from_db()
    assert batch.upload is None  # the file is not kept
    assert REFUSED in batch.message
    assert client.get(poll, headers={"HX-Request": "true"})["HX-Refresh"] == "true"
    assert REFUSED in client.get(batch.get_absolute_url()).content.decode()


def test_an_upload_never_checked_is_purged_too(network, monkeypatch):
    import datetime

    from django.utils import timezone

    from representatives import tasks

    monkeypatch.setattr(tasks.import_check, "delay_on_commit", lambda batch_id: None)
    batch = imports.import_receive(actor=network.users["officer"], name="名册.xlsx", data=xlsx_bytes(rows(2)))
    ImportBatch.objects.filter(pk=batch.pk).update(created_at=timezone.now() - datetime.timedelta(days=31))
    assert imports.import_batches_purge() == 1
    batch.refresh_from_db()
    assert batch.upload is None


def test_the_worker_reads_within_a_memory_limit(network, monkeypatch):
    """Past the limit, allocation fails with MemoryError: refused with the reason, the process lives on."""
    from representatives import tasks

    monkeypatch.setattr(tasks.import_check, "delay_on_commit", lambda batch_id: None)
    batch = imports.import_receive(actor=network.users["officer"], name="名册.xlsx", data=xlsx_bytes(rows(2)))

    def greedy(**kwargs):
        return [bytearray(64 * 1024 * 1024) for _ in range(64)]  # 4 GB

    monkeypatch.setattr(imports, "read_rows", greedy)
    with translation.override("zh-hans"):
        assert tasks.import_check(batch.pk) == ImportBatch.Status.INVALID
    batch.refresh_from_db()
    assert REFUSED in batch.message
    assert bytearray(256 * 1024 * 1024)  # the limit is lifted afterwards
