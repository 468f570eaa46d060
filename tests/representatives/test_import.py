"""Roster import: template, upload and preview, all-or-nothing apply through the Celery task."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from liaison import services as network_services
from representatives import tasks
from representatives.models import ImportBatch, Representative
from representatives.services import import_format, import_writing, imports, roster
from tests.representatives.factories import make_representative
from tests.representatives.import_helpers import csv_bytes, row, rows, upload_file, xlsx_bytes


def upload(client, content, name="名册.xlsx"):
    return client.post(reverse("representatives:import"), {"file": upload_file(content, name)})


def preview(network, content, *, user="officer", name="名册.xlsx") -> ImportBatch:
    return imports.import_upload(actor=network.users[user], name=name, data=content)


def apply(batch, user) -> ImportBatch:
    imports.import_confirm(actor=user, batch=batch)
    tasks.import_apply(batch.pk)  # what the worker runs, called in-process
    batch.refresh_from_db()
    return batch


def errors_of(batch) -> list[str]:
    return [f"第 {r['row']} 行「{e['column']}」：{e['message']}" for r in batch.report for e in r["errors"]]


# --- Template ----------------------------------------------------------------------------------


def test_template_has_the_exact_header_and_a_guidance_sheet(network, client_for):
    response = client_for(network.users["officer"]).get(reverse("representatives:import_template"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content))
    header = [cell.value for cell in workbook.worksheets[0][1]]
    assert header == [
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
    ]
    assert workbook.worksheets[0].max_row == 1
    guide = [cell for values in workbook.worksheets[1].iter_rows(values_only=True) for cell in values if cell]
    assert "甲镇联络站" in guide and "甲村联络点" in guide
    assert "乙乡联络站" not in guide  # the officer may only use their own stations
    assert "乙村" in guide  # but anyone may live anywhere


# --- Preview ---------------------------------------------------------------------------------


def test_upload_shows_a_preview_and_writes_nothing(network, client_for):
    client = client_for(network.users["officer"])
    response = upload(client, xlsx_bytes(rows(3)))
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == batch.get_absolute_url()
    assert batch.status == ImportBatch.Status.READY
    assert batch.counts == {"new": 3, "update": 0, "unchanged": 0, "error": 0, "conflict": 0, "total": 3}
    assert not Representative.objects.exists()
    page = client.get(batch.get_absolute_url())
    assert page.status_code == 200
    assert "导入全部" in page.content.decode()
    assert len(page.context["page_obj"]) == 3


def test_one_bad_row_changes_nothing_and_names_the_row_and_column(network, client_for):
    make_representative(network, name="老代表", phone="13900009999")
    data = rows(4)
    data[2] = row(姓名="坏号码", 手机号码="1380000")  # spreadsheet row 4 (the header is row 1)
    client = client_for(network.users["officer"])
    upload(client, xlsx_bytes(data))
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.INVALID
    assert errors_of(batch) == ["第 4 行「手机号码」：请输入以 1 开头的 11 位手机号码。"]
    page = client.get(batch.get_absolute_url()).content.decode()
    assert "第 4 行「手机号码」" in page
    assert "1 行有错误" in page
    # Confirming anyway is refused and writes nothing.
    response = client.post(reverse("representatives:import_confirm", args=[batch.pk]), follow=True)
    assert "请修改有错误的行" in response.content.decode()
    assert list(Representative.objects.values_list("name", flat=True)) == ["老代表"]
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.INVALID


@pytest.mark.parametrize(
    ("cells", "column", "message"),
    [
        ({"姓名": " "}, "姓名", "请输入代表姓名"),
        ({"性别": ""}, "性别", "请填写 男 或 女"),
        ({"性别": "M"}, "性别", "“M”不是有效的性别"),
        ({"出生年份": "75"}, "出生年份", "出生年份"),
        ({"出生年份": "1890"}, "出生年份", "出生年份"),
        ({"手机号码": "23800000001"}, "手机号码", "11 位手机号码"),
        ({"代表层级": "市"}, "代表层级", "“市”不是有效的代表层级"),
        ({"代表层级": ""}, "代表层级", "请填写 县 或 乡镇"),
        ({"届次": ""}, "届次", "请填写届次"),
        ({"选区": ""}, "选区", "请填写选区"),
        ({"所属联络站": "丙镇联络站"}, "所属联络站", "没有名为 丙镇联络站 的联络站"),
        ({"所属联络站": "乙乡联络站"}, "所属联络站", "乙乡联络站 不在您管理的联络站范围内"),
        ({"居住地": "丙村"}, "居住地", "县内没有名为 丙村 的地方"),
        ({"居住地": ""}, "居住地", "请填写代表居住的"),
    ],
)
def test_each_kind_of_bad_cell_is_reported_on_its_column(network, cells, column, message):
    batch = preview(network, xlsx_bytes([row(**cells)]))
    assert batch.status == ImportBatch.Status.INVALID
    (error,) = batch.report[0]["errors"]
    assert error["column"] == column
    assert message in error["message"]
    assert not Representative.objects.exists()


def test_the_general_station_is_in_no_township(network):
    batch = preview(network, xlsx_bytes([row(所属联络站="县联络总站")]), user="county")
    (error,) = batch.report[0]["errors"]
    assert error["column"] == "所属联络站"
    assert "不在任何乡镇" in error["message"]


def test_station_outside_scope_is_an_error_for_an_officer_but_fine_for_the_county(network):
    data = xlsx_bytes([row(所属联络站="乙乡联络站", 居住地="乙村")])
    assert preview(network, data, user="officer").status == ImportBatch.Status.INVALID
    assert preview(network, data, user="county").status == ImportBatch.Status.READY


def test_duplicates_inside_the_file_and_with_the_roster(network):
    make_representative(network, name="王建国", phone="13900001111", level="township", term="第十八届")
    data = [
        row(姓名="甲", 手机号码="13800000001"),
        row(姓名="乙", 手机号码="13800000001"),  # same phone as row 2
        row(姓名="丙", 手机号码="13900001111"),  # 王建国's phone, another name
        row(姓名="丙", 手机号码="13900001111", 代表层级="县"),  # other congress: allowed
        row(姓名="无号", 手机号码=""),
        row(姓名="无号", 手机号码=""),  # same name, no phones
    ]
    batch = preview(network, xlsx_bytes(data))
    assert errors_of(batch) == [
        "第 3 行「手机号码」：与第 2 行的手机号码、代表层级和届次相同。",
        "第 4 行「手机号码」：该手机号码已属于同届同级代表“王建国”。",
        "第 7 行「姓名」：与第 6 行的姓名、代表层级和届次相同，且都没有手机号码。",
    ]
    assert [r["action"] for r in batch.report] == ["new", "error", "error", "new", "new", "error"]


def test_a_phone_of_another_stations_representative_is_an_error_without_naming_them(network):
    make_representative(network, name="乙代表", phone="13900002222", station=network.station_b)
    batch = preview(network, xlsx_bytes([row(姓名="乙代表", 手机号码="13900002222")]))
    (error,) = batch.report[0]["errors"]
    assert error["column"] == "手机号码"
    assert "乙代表" not in error["message"]


def test_full_width_digits_and_spaces_are_normalised_not_rejected(network):
    data = [row(姓名="全角", 手机号码="１３８ ０００-０１２３４", 出生年份="１９７５", 届次="第十八届 ")]
    batch = preview(network, xlsx_bytes(data))
    assert batch.status == ImportBatch.Status.READY
    apply(batch, network.users["officer"])
    rep = Representative.objects.get()
    assert (rep.phone, rep.birth_year, rep.term) == ("13800001234", 1975, "第十八届")


def test_ambiguous_place_names_need_a_path(network):
    admin = network.users["superuser"]
    network_services.division_create(name="新村", kind="village", parent=network.township_a)
    other = network_services.division_create(name="新村", kind="village", parent=network.township_b)
    batch = preview(network, xlsx_bytes([row(居住地="新村")]))
    assert "甲镇/新村、乙乡/新村" in batch.report[0]["errors"][0]["message"]
    batch = preview(network, xlsx_bytes([row(居住地="乙乡／新村")]))  # full-width slash is fine too
    assert batch.status == ImportBatch.Status.READY
    apply(batch, network.users["officer"])
    rep = Representative.objects.get()
    assert rep.residence_division == other
    assert rep.is_mobile  # lives in township B, elected in township A
    assert admin  # the network's superuser made the places


# --- Files that cannot be used -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("名册.xlsx", b"not a workbook at all", "不是表格文件"),
        ("名册.pdf", b"%PDF-1.4 something", "不是表格文件"),
        ("名册.xlsx", b"PK\x03\x04broken zip", "无法作为 Excel 工作簿打开"),
        ("名册.xls", b"\xd0\xcf\x11\xe0old excel", ".xlsx"),
        ("名册.csv", b"\r\n\r\n", "文件是空的"),
        ("名册.csv", "姓名,性别\n张三,男\n".encode(), "第一行必须是模板的表头"),
        ("名册.csv", csv_bytes([]), "只有表头"),
        ("名册.csv", "\xff\xfe\x00\x00".encode("latin-1") * 10, "不是表格文件"),
    ],
)
def test_unusable_files_get_a_clear_message_and_nothing_is_written(network, client_for, name, content, message):
    """What size and kind tell is refused on the form; the rest once the worker has read the file."""
    response = upload(client_for(network.users["officer"]), content, name)
    if response.status_code == 302:
        batch = ImportBatch.objects.get()
        assert batch.status == ImportBatch.Status.INVALID and batch.rows == [] and batch.upload is None
        response = client_for(network.users["officer"]).get(response["Location"])
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Representative.objects.exists()


def test_wrong_header_names_what_is_missing(network, client_for):
    header = ["姓名", "性别", "民族", "出生年", "手机号码", "代表层级", "届次", "选区", "所属联络站", "居住地"]
    client = client_for(network.users["officer"])
    response = upload(client, xlsx_bytes([], header=header))
    page = client.get(response["Location"]).content.decode()
    assert "缺少：出生年份、居住地址、工作单位及职务、专长" in page
    assert "多出：出生年" in page


def test_an_empty_upload_and_a_too_large_file_are_refused(network, client_for, monkeypatch):
    client = client_for(network.users["officer"])
    assert "所提交的是空文件" in upload(client, b"").content.decode()
    monkeypatch.setattr(import_format, "MAX_UPLOAD_BYTES", 1000)
    assert "文件太大" in upload(client, xlsx_bytes(rows(50))).content.decode()
    assert not ImportBatch.objects.exists()


# --- Encodings ---------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["gbk", "utf-8-sig", "utf-8"])
def test_csv_in_gbk_and_utf8_with_or_without_bom(network, encoding):
    data = csv_bytes([row(姓名="欧阳晓燕", 居住地址="甲村·幸福路 8 号", 专长="教育,法律")], encoding=encoding)
    assert data.startswith(b"\xef\xbb\xbf") == (encoding == "utf-8-sig")
    batch = apply(preview(network, data, name="名册.csv"), network.users["officer"])
    assert batch.status == ImportBatch.Status.DONE
    rep = Representative.objects.get()
    assert (rep.name, rep.residence_address) == ("欧阳晓燕", "甲村·幸福路 8 号")
    assert sorted(s.name for s in rep.specialties.all()) == ["教育", "法律"]


def test_csv_with_semicolons_or_tabs(network):
    text = ";".join(import_format.HEADERS) + "\n" + ";".join(row(姓名="分号")) + "\n"
    assert preview(network, text.encode(), name="名册.csv").counts["new"] == 1
    text = "\t".join(import_format.HEADERS) + "\n" + "\t".join(row(姓名="制表符")) + "\n"
    assert preview(network, text.encode("gbk"), name="名册.txt").counts["new"] == 1


# --- Apply: all or nothing, through the task -------------------------------------------------------


def test_confirm_queues_the_task_after_commit_and_the_task_writes_every_row(
    network, client_for, django_capture_on_commit_callbacks, monkeypatch
):
    queued = []
    monkeypatch.setattr(tasks.import_apply, "delay", lambda *args: queued.append(args))
    officer = network.users["officer"]
    client = client_for(officer)
    batch = preview(network, xlsx_bytes(rows(30)))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("representatives:import_confirm", args=[batch.pk]))
    assert response.status_code == 302
    assert queued == [(batch.pk,)]
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.QUEUED
    assert not Representative.objects.exists()  # nothing until the worker runs
    page = client.get(batch.get_absolute_url()).content.decode()
    assert 'role="progressbar"' in page
    assert "every 1s" in page

    assert tasks.import_apply(batch.pk) == ImportBatch.Status.DONE
    assert Representative.objects.count() == 30
    assert imports.get_progress(batch.pk) == {"done": 30, "total": 30}
    rep = Representative.objects.get(name="代表7")
    assert rep.history.get().history_user == officer
    assert rep.congress == network.township_a
    assert rep.district_township == network.township_a
    # Running the task again (a redelivery) changes nothing.
    assert tasks.import_apply(batch.pk) == ImportBatch.Status.DONE
    assert Representative.objects.count() == 30
    # The progress poll now tells htmx to reload the page, which shows the result.
    poll = client.get(reverse("representatives:import_progress", args=[batch.pk]), headers={"HX-Request": "true"})
    assert poll["HX-Refresh"] == "true"
    assert "已导入：新增 30 人" in client.get(batch.get_absolute_url()).content.decode()


def test_a_row_that_fails_while_writing_rolls_back_the_rows_before_it(network, monkeypatch):
    batch = preview(network, xlsx_bytes(rows(5)))
    real_validate = roster.validate_representative

    def failing_validate(**kwargs):
        if kwargs["representative"].name == "代表3":  # row 5, in the second chunk
            from django.core.exceptions import ValidationError

            raise ValidationError({"phone": ["号码冲突"]})
        real_validate(**kwargs)

    monkeypatch.setattr(roster, "validate_representative", failing_validate)
    monkeypatch.setattr(import_writing, "WRITE_CHUNK", 2)
    batch = apply(batch, network.users["officer"])
    assert batch.status == ImportBatch.Status.FAILED
    assert "第 5 行" in batch.message
    assert errors_of(batch) == ["第 5 行「手机号码」：号码冲突"]
    assert not Representative.objects.exists()  # the rows written before it were rolled back


def test_the_roster_changing_after_the_preview_fails_the_whole_import(network):
    batch = preview(network, xlsx_bytes(rows(3)))
    make_representative(network, name="抢先", phone="13800000000")  # row 2's phone, another name
    batch = apply(batch, network.users["officer"])
    assert batch.status == ImportBatch.Status.FAILED
    assert "没有导入任何数据" in batch.message
    assert errors_of(batch) == ["第 2 行「手机号码」：该手机号码已属于同届同级代表“抢先”。"]
    assert list(Representative.objects.values_list("name", flat=True)) == ["抢先"]


def test_rows_update_matching_representatives_and_keep_the_rest(network):
    officer = network.users["officer"]
    by_phone = make_representative(network, name="王建国", phone="13900003333", occupation="村主任")
    no_phone = make_representative(network, name="赵敏", phone="", specialties=["教育"])
    data = [
        row(姓名="王建国", 手机号码="13900003333", 工作单位及职务="村党支部书记", 专长="农业"),
        row(姓名="赵敏", 手机号码="", 居住地="甲镇", 居住地址="幸福路 1 号", 工作单位及职务="村委会主任", 专长="教育"),
        row(姓名="新人", 手机号码="13900004444"),
    ]
    batch = preview(network, xlsx_bytes(data))
    assert [r["action"] for r in batch.report] == ["update", "update", "new"]
    assert batch.report[0]["changes"] == [
        {"key": "residence_division", "column": "居住地", "old": "甲镇", "new": "甲村"},
        {"key": "residence_address", "column": "居住地址", "old": "幸福路 1 号", "new": "甲村 1 号"},
        {"key": "occupation", "column": "工作单位及职务", "old": "村主任", "new": "村党支部书记"},
    ]
    batch = apply(batch, officer)
    assert batch.status == ImportBatch.Status.DONE
    by_phone.refresh_from_db()
    no_phone.refresh_from_db()
    assert by_phone.occupation == "村党支部书记"
    assert by_phone.residence_division == network.village_a
    assert by_phone.history.first().history_user == officer
    assert no_phone.occupation == "村委会主任"
    assert Representative.objects.count() == 3


def test_only_the_uploader_sees_and_confirms_their_file(network, client_for):
    batch = preview(network, xlsx_bytes(rows(2)), user="officer")
    client = client_for(network.users["township"])
    assert client.get(batch.get_absolute_url()).status_code == 404
    assert client.post(reverse("representatives:import_confirm", args=[batch.pk])).status_code == 404
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.READY


def test_a_batch_is_imported_once(network):
    officer = network.users["officer"]
    batch = apply(preview(network, xlsx_bytes(rows(2))), officer)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        imports.import_confirm(actor=officer, batch=batch)
    assert Representative.objects.count() == 2


def test_old_staged_uploads_lose_their_personal_data_but_keep_the_record(network):
    import datetime

    from django.utils import timezone

    from representatives.models import ImportBatch
    from representatives.services.imports import import_batches_purge

    user = network.users["officer"]
    old = ImportBatch.objects.create(
        uploaded_by=user, file_name="old.xlsx", rows=[[2, "张三", "13900001111"]], counts={"new": 1}
    )
    ImportBatch.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=31))
    recent = ImportBatch.objects.create(uploaded_by=user, file_name="new.xlsx", rows=[[2, "李四", "13900002222"]])
    assert import_batches_purge() == 1
    assert import_batches_purge() == 0
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.rows == [] and old.counts == {"new": 1} and old.file_name == "old.xlsx"
    assert recent.rows != []
