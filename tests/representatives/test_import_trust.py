"""Roster import made trustworthy: formula cells, blank cells on an update, a changed phone,
a preview gone stale, an import whose worker died, and the progress poll while an import runs."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation

from representatives import tasks
from representatives.models import ImportBatch, Representative
from representatives.services import import_format, import_writing, imports, roster
from tests.representatives.factories import make_representative
from tests.representatives.import_helpers import row, rows, xlsx_bytes


@pytest.fixture(autouse=True)
def _chinese():
    with translation.override("zh-hans"):
        yield


def preview(network, content, *, user="officer") -> ImportBatch:
    return imports.import_upload(actor=network.users[user], name="名册.xlsx", data=content)


def apply(batch, user) -> ImportBatch:
    imports.import_confirm(actor=user, batch=batch)
    tasks.import_apply(batch.pk)
    batch.refresh_from_db()
    return batch


def same_as_row(network, **fields):
    """A representative on the roster exactly as the default import row describes them."""
    values = {
        "name": "张三",
        "phone": "13800000001",
        "residence": network.village_a,
        "residence_address": "甲村 1 号",
        "occupation": "村委会主任",
        "specialties": ["农业", "法律"],
        "birth_year": 1975,
        **fields,
    }
    return make_representative(network, **values)


# --- Formula cells -------------------------------------------------------------------------------


@pytest.mark.parametrize("column", import_format.HEADERS)
def test_a_formula_in_any_column_is_an_error_of_its_own(network, column):
    batch = preview(network, xlsx_bytes([row(**{column: '=HYPERLINK("http://example.org","李四")'})]))
    assert batch.status == ImportBatch.Status.INVALID
    (error,) = batch.report[0]["errors"]  # not also "请输入代表姓名" or another empty-cell message
    assert error["column"] == column
    assert error["message"] == "此单元格是公式，请粘贴为数值后再上传。"


def test_an_excel_error_value_is_reported_not_read_as_text(network):
    batch = preview(network, xlsx_bytes([row(居住地址="#N/A")]))
    (error,) = batch.report[0]["errors"]
    assert (error["column"], error["message"]) == ("居住地址", "此单元格是 Excel 错误值 #N/A，请填写实际内容后再上传。")


def test_a_formula_address_on_an_update_never_wipes_the_stored_address(network, client_for):
    rep = same_as_row(network)
    client = client_for(network.users["officer"])
    data = xlsx_bytes([row(居住地址="=A1&B1", 工作单位及职务="新职务")])
    page = client.post(reverse("representatives:import"), {"file": imports_upload(data)}, follow=True)  # read at once
    assert "第 2 行「居住地址」：此单元格是公式，请粘贴为数值后再上传。" in page.content.decode()
    rep.refresh_from_db()
    assert rep.residence_address == "甲村 1 号"


def imports_upload(content):
    from tests.representatives.import_helpers import upload_file

    return upload_file(content)


def test_text_that_starts_with_an_equals_sign_is_text(network):
    """The export writes such a value as text; it reads back as the text, not as a formula."""
    from openpyxl import Workbook

    from representatives.services.exports import text_cell
    from representatives.services.import_format import HEADERS

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(HEADERS))
    sheet.append([text_cell(sheet, value) for value in row(居住地址="=甲村 1 号")])
    import io

    buffer = io.BytesIO()
    workbook.save(buffer)
    batch = preview(network, buffer.getvalue())
    assert batch.status == ImportBatch.Status.READY


# --- Blank cells on an update, the clear marker, old → new ------------------------------------------


def test_blank_optional_cells_keep_the_stored_values(network):
    rep = same_as_row(network)
    data = [row(出生年份="", 居住地址="", 工作单位及职务="", 专长="", 民族="")]
    batch = preview(network, xlsx_bytes(data))
    assert batch.report[0]["action"] == "unchanged"
    assert apply(batch, network.users["officer"]).status == ImportBatch.Status.DONE
    rep.refresh_from_db()
    assert (rep.birth_year, rep.residence_address, rep.occupation) == (1975, "甲村 1 号", "村委会主任")
    assert sorted(s.name for s in rep.specialties.all()) == ["农业", "法律"]


def test_a_blank_phone_matched_by_name_keeps_the_phone(network):
    rep = same_as_row(network)
    batch = preview(network, xlsx_bytes([row(手机号码="", 工作单位及职务="新职务")]))
    assert [change["column"] for change in batch.report[0]["changes"]] == ["工作单位及职务"]
    apply(batch, network.users["officer"])
    rep.refresh_from_db()
    assert (rep.phone, rep.occupation) == ("13800000001", "新职务")


def test_the_clear_marker_empties_a_field_and_the_preview_says_so(network, client_for):
    rep = same_as_row(network)
    data = [row(居住地址="（清空）", 工作单位及职务="(清空)", 专长="（清空）", 出生年份="（清空）")]
    batch = preview(network, xlsx_bytes(data))
    changes = {change["column"]: (change["old"], change["new"]) for change in batch.report[0]["changes"]}
    assert changes == {
        "出生年份": ("1975", ""),
        "居住地址": ("甲村 1 号", ""),
        "工作单位及职务": ("村委会主任", ""),
        "专长": ("农业、法律", ""),
    }
    page = client_for(network.users["officer"]).get(batch.get_absolute_url()).content.decode()
    assert "居住地址：甲村 1 号 → （空）" in page
    apply(batch, network.users["officer"])
    rep.refresh_from_db()
    assert (rep.birth_year, rep.residence_address, rep.occupation) == (None, "", "")
    assert not rep.specialties.exists()


def test_the_clear_marker_in_a_required_column_is_an_error(network):
    batch = preview(network, xlsx_bytes([row(选区="（清空）")]))
    (error,) = batch.report[0]["errors"]
    assert error["column"] == "选区"
    assert "只能用于清空选填列" in error["message"]


def test_the_preview_shows_old_and_new_for_every_changed_field_including_the_residence(network, client_for):
    same_as_row(network, residence=network.township_a, phone="13800000001")
    batch = preview(network, xlsx_bytes([row(性别="女", 工作单位及职务="校长")]))
    changes = [(c["column"], c["old"], c["new"]) for c in batch.report[0]["changes"]]
    assert changes == [("性别", "男", "女"), ("居住地", "甲镇", "甲村"), ("工作单位及职务", "村委会主任", "校长")]
    page = client_for(network.users["officer"]).get(batch.get_absolute_url()).content.decode()
    assert "居住地：甲镇 → 甲村" in page
    assert "性别：男 → 女" in page


# --- Same name, level, term and congress; another phone ----------------------------------------------


def test_a_changed_phone_is_a_row_to_decide_never_a_silent_second_person(network, client_for):
    rep = same_as_row(network, phone="13900000077")
    officer = network.users["officer"]
    client = client_for(officer)
    batch = preview(network, xlsx_bytes([row(手机号码="13800000099")]))
    assert batch.status == ImportBatch.Status.READY
    assert batch.report[0]["action"] == "conflict"
    assert batch.report[0]["candidates"][0]["pk"] == rep.pk
    page = client.get(batch.get_absolute_url()).content.decode()
    assert "是同一人：更新其记录" in page and "是另一人：新增" in page
    assert "导入全部" not in page
    # Confirming before deciding is refused.
    response = client.post(reverse("representatives:import_confirm", args=[batch.pk]), follow=True)
    assert "请先逐行确认" in response.content.decode()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.READY

    # Same person: the row becomes an update of the phone, shown old → new.
    client.post(
        reverse("representatives:import_resolve", args=[batch.pk]),
        {"row": 2, "choice": "same", "representative": rep.pk},
    )
    batch.refresh_from_db()
    assert batch.report[0]["action"] == "update"
    assert [(c["column"], c["old"], c["new"]) for c in batch.report[0]["changes"]] == [
        ("手机号码", "13900000077", "13800000099")
    ]
    assert apply(batch, officer).status == ImportBatch.Status.DONE
    assert Representative.objects.count() == 1
    rep.refresh_from_db()
    assert rep.phone == "13800000099"


def test_a_namesake_confirmed_as_another_person_is_added(network, client_for):
    same_as_row(network, phone="13900000077")
    client = client_for(network.users["officer"])
    batch = preview(network, xlsx_bytes([row(手机号码="13800000099")]))
    client.post(reverse("representatives:import_resolve", args=[batch.pk]), {"row": 2, "choice": "new"})
    batch.refresh_from_db()
    assert batch.report[0]["action"] == "new"
    assert apply(batch, network.users["officer"]).status == ImportBatch.Status.DONE
    assert sorted(Representative.objects.values_list("phone", flat=True)) == ["13800000099", "13900000077"]


def test_a_namesake_of_another_term_or_congress_is_no_conflict(network):
    same_as_row(network, phone="13900000077", term="第十七届")
    same_as_row(network, phone="13900000078", level="county")
    batch = preview(network, xlsx_bytes([row(手机号码="13800000099")]))
    assert batch.report[0]["action"] == "new"


@pytest.mark.parametrize(
    "post",
    [
        {"row": 2, "choice": "same", "representative": 999999},
        {"row": 3, "choice": "new"},
        {"row": "x", "choice": "new"},
        {"row": 2, "choice": "maybe"},
    ],
)
def test_a_bad_answer_changes_nothing(network, client_for, post):
    same_as_row(network, phone="13900000077")
    client = client_for(network.users["officer"])
    batch = preview(network, xlsx_bytes([row(手机号码="13800000099")]))
    response = client.post(reverse("representatives:import_resolve", args=[batch.pk]), post, follow=True)
    assert response.status_code == 200
    assert "这一行没有需要确认的内容" in response.content.decode()
    batch.refresh_from_db()
    assert batch.report[0]["action"] == "conflict" and batch.resolutions == {}


def test_only_the_uploader_may_answer(network, client_for):
    rep = same_as_row(network, phone="13900000077")
    batch = preview(network, xlsx_bytes([row(手机号码="13800000099")]))
    client = client_for(network.users["township"])
    url = reverse("representatives:import_resolve", args=[batch.pk])
    assert client.post(url, {"row": 2, "choice": "same", "representative": rep.pk}).status_code == 404


# --- A preview gone stale ----------------------------------------------------------------------------


def test_edits_made_after_the_preview_survive_and_the_import_is_refused(network, client_for):
    rep = same_as_row(network)
    officer = network.users["officer"]
    batch = preview(network, xlsx_bytes([row(工作单位及职务="导入的职务"), *rows(2, start=10)]))
    assert batch.counts["update"] == 1
    # Someone edits the record after the preview was shown.
    roster.representative_update(
        actor=network.users["township"], representative=rep, occupation="后来改的职务", residence_address="新地址 9 号"
    )
    batch = apply(batch, officer)
    rep.refresh_from_db()
    assert (rep.occupation, rep.residence_address) == ("后来改的职务", "新地址 9 号")  # the later edit survives
    assert Representative.objects.count() == 1  # nothing of the file was written
    # The user is told, and shown the new preview (old → new against the roster as it is now).
    assert batch.status == ImportBatch.Status.READY
    assert "预览之后名册有改动（第 2 行）" in batch.message
    assert batch.report[0]["stale"] is True
    changes = {c["column"]: (c["old"], c["new"]) for c in batch.report[0]["changes"]}
    assert changes["工作单位及职务"] == ("后来改的职务", "导入的职务")
    page = client_for(officer).get(batch.get_absolute_url()).content.decode()
    assert "预览之后名册有改动" in page
    assert "预览之后这位代表的记录已被修改" in page
    # Confirming the new preview imports it.
    assert apply(batch, officer).status == ImportBatch.Status.DONE
    rep.refresh_from_db()
    assert rep.occupation == "导入的职务" and rep.residence_address == "甲村 1 号"
    assert Representative.objects.count() == 3


def test_a_stale_preview_after_another_import_is_refused_and_shown_anew(network):
    officer = network.users["officer"]
    first = preview(network, xlsx_bytes(rows(3)))
    second = preview(network, xlsx_bytes(rows(3)))
    assert apply(first, officer).status == ImportBatch.Status.DONE
    second = apply(second, officer)
    assert second.status == ImportBatch.Status.READY
    assert "没有导入任何数据" in second.message
    assert [r["action"] for r in second.report] == ["unchanged"] * 3  # the new preview
    assert all(r["stale"] for r in second.report)
    assert Representative.objects.count() == 3


# --- An import whose worker died -----------------------------------------------------------------------


def test_an_import_stuck_in_the_queue_is_marked_failed_and_can_be_confirmed_again(network, client_for):
    officer = network.users["officer"]
    batch = preview(network, xlsx_bytes(rows(3)))
    imports.import_confirm(actor=officer, batch=batch)  # queued; no worker ever takes it
    recent = preview(network, xlsx_bytes(rows(2, start=50)))
    imports.import_confirm(actor=officer, batch=recent)
    later = timezone.now() + imports.STUCK_AFTER + datetime.timedelta(minutes=1)
    ImportBatch.objects.filter(pk=recent.pk).update(queued_at=later - datetime.timedelta(minutes=5))
    imports.cache.delete(imports.progress_key(batch.pk))
    imports.cache.delete(imports.progress_key(recent.pk))
    assert imports.import_batches_fail_stuck(now=later) == 1
    assert imports.import_batches_fail_stuck(now=later) == 0
    batch.refresh_from_db()
    recent.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED and "导入中断" in batch.message
    assert recent.status == ImportBatch.Status.QUEUED
    page = client_for(officer).get(batch.get_absolute_url()).content.decode()
    assert "再次导入全部" in page
    assert apply(batch, officer).status == ImportBatch.Status.DONE
    assert Representative.objects.count() == 3


def test_a_stuck_import_that_still_moves_is_left_alone(network):
    officer = network.users["officer"]
    batch = preview(network, xlsx_bytes(rows(3)))
    imports.import_confirm(actor=officer, batch=batch)
    later = timezone.now() + imports.STUCK_AFTER + datetime.timedelta(minutes=1)
    imports.cache.set(imports.progress_key(batch.pk), {"done": 1, "total": 3, "at": later.timestamp()})
    assert imports.import_batches_fail_stuck(now=later) == 0


def test_a_failed_import_of_bad_rows_is_not_offered_again(network):
    officer = network.users["officer"]
    batch = preview(network, xlsx_bytes(rows(3)))
    make_representative(network, name="抢先", phone="13800000000")
    assert apply(batch, officer).status == ImportBatch.Status.FAILED
    with pytest.raises(ValidationError):
        imports.import_confirm(actor=officer, batch=batch)


def test_purged_stuck_imports_cannot_be_confirmed(network):
    officer = network.users["officer"]
    batch = preview(network, xlsx_bytes(rows(1)))
    imports.import_confirm(actor=officer, batch=batch)
    later = timezone.now() + datetime.timedelta(days=31)
    imports.cache.delete(imports.progress_key(batch.pk))
    assert imports.import_batches_fail_stuck(now=later) == 1
    ImportBatch.objects.filter(pk=batch.pk).update(created_at=timezone.now() - datetime.timedelta(days=31))
    assert imports.import_batches_purge() == 1  # the staged phone numbers go
    batch.refresh_from_db()
    with pytest.raises(ValidationError, match="30 天后清除"):
        imports.import_confirm(actor=officer, batch=batch)


def test_the_periodic_job_is_scheduled():
    from django.conf import settings

    tasks_scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "representatives.tasks.import_batches_fail_stuck" in tasks_scheduled


# --- The progress poll while an import applies ---------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_progress_endpoint_answers_while_an_import_applies(network, client_for, monkeypatch):
    officer = network.users["officer"]
    batch = preview(network, xlsx_bytes(rows(60)))
    imports.import_confirm(actor=officer, batch=batch)
    halfway, go_on = threading.Event(), threading.Event()
    real_write_chunk = import_writing._write_chunk
    count = [0]

    def slow_write_chunk(**kwargs):
        count[0] += 1
        if count[0] == 2:  # the first 30 rows are written (and reported)
            halfway.set()
            go_on.wait(30)
        real_write_chunk(**kwargs)

    monkeypatch.setattr(import_writing, "WRITE_CHUNK", 30)
    monkeypatch.setattr(import_writing, "_write_chunk", slow_write_chunk)

    def run():
        try:
            tasks.import_apply(batch.pk)
        finally:
            connection.close()  # this thread's own connection

    worker = threading.Thread(target=run)
    worker.start()
    try:
        assert halfway.wait(30)
        # Signing in (the uploader's own user row is not locked by the import) and polling both answer.
        client = client_for(network.users["township"])
        assert client.get(reverse("liaison:dashboard")).status_code == 200
        client = client_for(officer)
        poll = client.get(reverse("representatives:import_progress", args=[batch.pk]), headers={"HX-Request": "true"})
        assert poll.status_code == 200
        assert 'aria-valuenow="30"' in poll.content.decode()
        assert client.get(batch.get_absolute_url()).status_code == 200
    finally:
        go_on.set()
        worker.join(60)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.DONE


# --- SQLite (the demo): commits in chunks, still all or nothing ------------------------------------------


@pytest.fixture
def in_chunks(monkeypatch):
    """The chunked writing the demo's SQLite uses, exercised here on PostgreSQL, two rows a chunk."""
    monkeypatch.setattr(import_writing, "commits_in_batches", lambda: True)
    monkeypatch.setattr(import_writing, "APPLY_CHUNK", 2)
    monkeypatch.setattr(import_writing, "CHUNK_PAUSE", 0)


def test_in_chunks_every_row_is_written(network, in_chunks):
    rep = same_as_row(network)
    batch = preview(network, xlsx_bytes([row(工作单位及职务="新职务"), *rows(4, start=10)]))
    assert apply(batch, network.users["officer"]).status == ImportBatch.Status.DONE
    assert Representative.objects.count() == 5
    rep.refresh_from_db()
    assert rep.occupation == "新职务"
    assert imports.get_progress(batch.pk) == {"done": 5, "total": 5}


def test_in_chunks_a_failing_row_undoes_the_chunks_already_committed(network, in_chunks, monkeypatch):
    rep = same_as_row(network)
    batch = preview(network, xlsx_bytes([row(工作单位及职务="新职务", 专长="教育"), *rows(4, start=10)]))
    real_validate = roster.validate_representative

    def failing_validate(**kwargs):
        if kwargs["representative"].name == "代表12":  # row 5, in the second chunk
            raise ValidationError({"phone": ["号码冲突"]})
        real_validate(**kwargs)

    monkeypatch.setattr(roster, "validate_representative", failing_validate)
    batch = apply(batch, network.users["officer"])
    assert batch.status == ImportBatch.Status.FAILED
    assert "第 5 行" in batch.message
    assert list(Representative.objects.all()) == [rep]  # the two created in earlier chunks are gone
    rep.refresh_from_db()
    assert rep.occupation == "村委会主任"  # the update is undone too
    assert sorted(s.name for s in rep.specialties.all()) == ["农业", "法律"]


def test_in_chunks_an_edit_between_chunks_is_kept_and_nothing_is_imported(network, in_chunks, monkeypatch):
    rep = same_as_row(network, phone="13800000099", name="后面的人")
    data = [*rows(2, start=10), row(姓名="后面的人", 手机号码="13800000099", 工作单位及职务="导入的职务")]
    batch = preview(network, xlsx_bytes(data))
    real_write_chunk = import_writing._write_chunk
    done = []

    def edit_after_first_chunk(**kwargs):
        real_write_chunk(**kwargs)
        done.append(1)
        if len(done) == 1:  # another user saves the row-4 representative between chunks
            fresh = Representative.objects.get(pk=rep.pk)
            roster.representative_update(actor=network.users["township"], representative=fresh, occupation="别人改的")

    monkeypatch.setattr(import_writing, "_write_chunk", edit_after_first_chunk)
    batch = apply(batch, network.users["officer"])
    assert batch.status == ImportBatch.Status.READY and "预览之后名册有改动（第 4 行）" in batch.message
    assert list(Representative.objects.all()) == [rep]
    rep.refresh_from_db()
    assert rep.occupation == "别人改的"


def test_an_upload_whose_reading_never_ended_is_refused_by_the_periodic_job(network, monkeypatch):
    monkeypatch.setattr(tasks.import_check, "delay_on_commit", lambda batch_id: None)  # no worker takes it
    batch = imports.import_receive(actor=network.users["officer"], name="名册.xlsx", data=xlsx_bytes(rows(2)))
    later = timezone.now() + imports.STUCK_AFTER + datetime.timedelta(minutes=1)
    assert imports.import_batches_fail_stuck(now=later) == 1
    batch.refresh_from_db()
    assert (batch.status, batch.upload) == (ImportBatch.Status.INVALID, None)
    assert "读取这个文件时中断了" in batch.message
