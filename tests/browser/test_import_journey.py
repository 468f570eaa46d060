"""An officer imports a roster: downloads the template, uploads a file with a bad phone and sees
the error row, uploads the corrected file, imports it and watches a real Celery worker write it."""

import io
from pathlib import Path

import pytest
from celery.contrib.testing.worker import start_worker
from openpyxl import Workbook, load_workbook
from playwright.sync_api import expect

from liaison.celery_app import app
from representatives.models import ImportBatch, Representative

pytestmark = [pytest.mark.browser, pytest.mark.worker]

# The template's header row, as stations know it.
HEADERS = [
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


def cells(line: str) -> list[str]:
    """One data row written as its cells joined by "|", in the order of HEADERS."""
    return line.split("|")


GOOD_ROWS = [
    cells("韩春梅|女|汉族|1976|13957800001|乡镇|第十八届|甲村选区|甲镇联络站|甲村|甲村 3 号|甲村党支部书记|农业"),
    cells("郑国平|男|畲族|1968|139 5780 0002|乡镇|第十八届|甲村选区|甲镇联络站|甲村|甲村 8 号|甲镇小学校长|教育、法律"),
    cells("钟丽华|女|汉族|1981|13957800003|县|第十八届|甲镇第二选区|甲镇联络站|甲镇||县人民医院医生|医疗"),
]
BAD_ROW = cells("吴建新|男|汉族|1972|1395780|乡镇|第十八届|甲村选区|甲镇联络站|甲村||个体户|")
RESULTS = Path("test-results")


def xlsx_file(name: str, rows: list[list[str]]) -> dict:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "代表名册"
    sheet.append(HEADERS)
    for values in rows:
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return {"name": name, "mimeType": mime, "buffer": buffer.getvalue()}


def upload(page, file: dict) -> None:
    """Upload a file; a real worker reads it (off the request) while the page says so, then shows the preview."""
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        page.get_by_label("名册文件").set_input_files(file)
        page.get_by_role("button", name="上传并预览").click()
        page.wait_for_url("**/representatives/import/*/")
        expect(page.get_by_test_id("import-checking")).to_have_count(0, timeout=30_000)


def test_officer_imports_a_roster_file(browser_network, live_server, login):
    RESULTS.mkdir(exist_ok=True)
    page = login("officer")

    page.get_by_role("button", name="人大代表").click()
    page.get_by_role("link", name="导入代表名册").click()
    expect(page.get_by_role("heading", name="导入代表名册")).to_be_visible()

    # The template: an .xlsx whose first row is exactly the 13 headers.
    with page.expect_download() as download_info:
        page.get_by_test_id("template-link").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    content = Path(download.path()).read_bytes()
    assert content[:4] == b"PK\x03\x04"
    sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    assert list(next(sheet.iter_rows(max_row=1, values_only=True))) == HEADERS

    # A file with a bad phone on its third data row (spreadsheet row 4): shown, nothing offered.
    upload(page, xlsx_file("甲镇代表名册.xlsx", [GOOD_ROWS[0], GOOD_ROWS[1], BAD_ROW, GOOD_ROWS[2]]))
    expect(page.get_by_test_id("import-invalid")).to_contain_text("1 行有错误")
    expect(page.get_by_test_id("import-error")).to_have_count(1)
    expect(page.get_by_test_id("import-error")).to_have_text("第 4 行「手机号码」：请输入以 1 开头的 11 位手机号码。")
    expect(page.locator('[data-testid="import-row"][data-action="error"]')).to_contain_text("吴建新")
    expect(page.get_by_role("button", name="导入全部")).to_have_count(0)
    page.screenshot(path=str(RESULTS / "import-preview-errors.png"), full_page=True)
    assert not Representative.objects.exists()

    # The corrected file: three new representatives, nothing written until confirmed.
    page.get_by_role("link", name="重新上传").click()
    upload(page, xlsx_file("甲镇代表名册-修改.xlsx", GOOD_ROWS))
    expect(page.get_by_test_id("import-ready")).to_contain_text("未发现错误：新增 3 人，更新 0 人，无变化 0 人。")
    expect(page.locator('[data-testid="import-row"][data-action="new"]')).to_have_count(3)
    expect(page.get_by_test_id("import-error")).to_have_count(0)
    page.screenshot(path=str(RESULTS / "import-preview-ready.png"), full_page=True)
    assert not Representative.objects.exists()

    # Confirm: the task is queued after commit; the page shows the progress and polls for it.
    page.get_by_role("button", name="导入全部").click()
    progress = page.get_by_test_id("import-progress")
    expect(progress).to_contain_text("正在等待导入开始")
    batch = ImportBatch.objects.get(file_name="甲镇代表名册-修改.xlsx")
    assert batch.status == ImportBatch.Status.QUEUED
    with page.expect_request(f"**/representatives/import/{batch.pk}/progress/"):
        pass  # htmx asks every second
    page.screenshot(path=str(RESULTS / "import-progress.png"), full_page=True)

    # A real worker takes the task from Redis; the next poll reloads the page with the result.
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        expect(page.get_by_test_id("import-done")).to_contain_text(
            "已导入：新增 3 人，更新 0 人，无变化 0 人。", timeout=30_000
        )
    expect(page.get_by_test_id("import-progress")).to_have_count(0)
    page.screenshot(path=str(RESULTS / "import-result.png"), full_page=True)

    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.DONE
    imported = Representative.objects.filter(home_station=browser_network.station_a)
    assert sorted(imported.values_list("name", flat=True)) == sorted(row[0] for row in GOOD_ROWS)
    assert imported.get(name="郑国平").phone == "13957800002"
    assert Representative.objects.count() == 3

    page.get_by_role("link", name="返回代表名册").click()
    rows = page.get_by_test_id("roster-row")
    expect(rows).to_have_count(3)
    for name in ("韩春梅", "郑国平", "钟丽华"):
        expect(rows.filter(has_text=name)).to_have_count(1)
    page.screenshot(path=str(RESULTS / "import-roster.png"), full_page=True)
