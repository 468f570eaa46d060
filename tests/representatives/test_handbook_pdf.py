"""The handbook as a PDF (WeasyPrint): one representative's, a station's (one handbook per
representative, each on new pages), the same access as the HTML handbook, a bounded number of
queries, local static files only, and a friendly page when the server has no PDF libraries."""

import datetime
import io
import sys
from urllib.parse import quote

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse
from pypdf import PdfReader

from liaison import pdf
from representatives.models import PerformanceRecord
from representatives.services import report_backs as report_back_services
from tests.perf.test_station_and_roster_page_queries import count_queries
from tests.representatives.factories import make_representative

YEAR = 2025


def add_records(rep, how_many):
    PerformanceRecord.objects.bulk_create(
        [
            PerformanceRecord(
                representative=rep,
                kind="other" if i % 10 else "proposal_filed",
                date=datetime.date(YEAR, 1 + i % 12, 1 + i % 28),
                points=1,
                note=f"第{i}次走访选民，了解村道修缮和饮水安全的意见",
            )
            for i in range(how_many)
        ]
    )


def read(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    content = b"".join(response.streaming_content) if response.streaming else response.content
    assert content.startswith(b"%PDF")
    return PdfReader(io.BytesIO(content))


def text_of(reader):
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def without_weasyprint(monkeypatch):
    """A server without WeasyPrint's native libraries: importing it fails."""
    pdf._load.cache_clear()
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # `import weasyprint` raises ImportError
    yield
    pdf._load.cache_clear()


def test_the_pdf_of_a_representative_without_records(network, client_for):
    rep = make_representative(network, name="空白代表")
    response = client_for(network.users["officer"]).get(reverse("representatives:handbook_pdf", args=[rep.pk, YEAR]))
    reader = read(response)
    assert len(reader.pages) == 2  # the cover, then the (empty) record
    assert "空白代表" in reader.metadata.title
    text = text_of(reader)
    assert "空白代表" in text
    assert "第 2 页 / 共 2 页" in text
    assert "本年度暂无履职记录" in text
    # RFC 5987: the Chinese name in filename*, an ASCII name for old clients.
    disposition = response["Content-Disposition"]
    assert disposition.startswith(f'attachment; filename="handbook-{rep.pk}-{YEAR}.pdf";')
    assert "filename*=utf-8''" + quote(f"履职记实手册-空白代表-{YEAR}.pdf") in disposition
    assert "no-store" in response["Cache-Control"]


def test_the_pdf_of_a_representative_with_hundreds_of_records(network, client_for):
    rep = make_representative(network, name="勤勉代表")
    add_records(rep, 300)
    report_back_services.report_back_plan(actor=network.users["superuser"], representative=rep, year=YEAR)
    reader = read(
        client_for(network.users["officer"]).get(reverse("representatives:handbook_pdf", args=[rep.pk, YEAR]))
    )
    pages = len(reader.pages)
    assert 6 <= pages <= 40, pages  # 300 lines of records and 30 proposals: several pages, not hundreds
    text = text_of(reader)
    assert "勤勉代表" in text
    assert "第299次走访选民" in text
    assert f"第 {pages} 页 / 共 {pages} 页" in text
    # The representative's name heads every page after the cover.
    assert all("勤勉代表" in page.extract_text() for page in reader.pages)


def test_the_station_pdf_has_one_handbook_per_representative(network, client_for):
    names = ["甲代表", "乙代表", "丙代表"]
    for i, name in enumerate(names):
        add_records(make_representative(network, name=name), 20 * i)
    make_representative(network, name="外站代表", station=network.station_b)
    response = client_for(network.users["officer"]).get(
        reverse("representatives:station_handbooks_pdf", args=[network.station_a.pk, YEAR])
    )
    reader = read(response)
    # One bookmark per handbook, in the page's order (by pinyin initials); each starts on its own
    # cover page, which carries no page number.
    assert [item.title for item in reader.outline] == ["丙代表", "甲代表", "乙代表"]
    covers = [i for i, page in enumerate(reader.pages) if "人大代表履职记实手册" in page.extract_text().split("\n")[0]]
    assert len(covers) == 3
    assert covers[0] == 0
    for cover in covers:
        assert "页 / 共" not in reader.pages[cover].extract_text()
    text = text_of(reader)
    assert "外站代表" not in text
    assert "第39次走访选民" in text and "第40次走访选民" not in text  # 甲 has no record, 乙 20, 丙 40
    filename = quote(f"履职记实手册-{network.station_a.name}-{YEAR}.pdf")
    assert response["Content-Disposition"].endswith("filename*=utf-8''" + filename)


def test_the_station_pdf_without_representatives(network, client_for):
    reader = read(
        client_for(network.users["county"]).get(
            reverse("representatives:station_handbooks_pdf", args=[network.general.pk, YEAR])
        )
    )
    assert len(reader.pages) == 1


def test_another_stations_representative_and_station_are_404(network, client_for):
    other = make_representative(network, name="乙乡代表", station=network.station_b)
    client = client_for(network.users["officer"])
    assert client.get(reverse("representatives:handbook_pdf", args=[other.pk, YEAR])).status_code == 404
    url = reverse("representatives:station_handbooks_pdf", args=[network.station_b.pk, YEAR])
    assert client.get(url).status_code == 404
    assert client.get(reverse("representatives:handbook_pdf", args=[other.pk, 1999])).status_code == 404


def test_the_pdf_queries_do_not_grow_with_records(network, client_for):
    client = client_for(network.users["officer"])
    rep = make_representative(network, name="代表")
    url = reverse("representatives:handbook_pdf", args=[rep.pk, YEAR])
    station_url = reverse("representatives:station_handbooks_pdf", args=[network.station_a.pk, YEAR])
    add_records(rep, 2)
    small = count_queries(client, url)[0], count_queries(client, station_url)[0]
    add_records(rep, 200)
    add_records(make_representative(network, name="代表二"), 50)
    large = count_queries(client, url)[0], count_queries(client, station_url)[0]
    assert small == large


def test_the_html_handbook_offers_the_pdf(network, client_for):
    rep = make_representative(network, name="代表")
    client = client_for(network.users["officer"])
    page = client.get(reverse("representatives:handbook", args=[rep.pk, YEAR])).content.decode()
    assert reverse("representatives:handbook_pdf", args=[rep.pk, YEAR]) in page
    page = client.get(reverse("representatives:station_handbooks", args=[network.station_a.pk, YEAR])).content.decode()
    assert reverse("representatives:station_handbooks_pdf", args=[network.station_a.pk, YEAR]) in page


def test_without_the_pdf_libraries_the_button_is_hidden_and_the_pdf_page_says_to_print(
    network, client_for, without_weasyprint
):
    rep = make_representative(network, name="代表")
    client = client_for(network.users["officer"])
    page = client.get(reverse("representatives:handbook", args=[rep.pk, YEAR])).content.decode()
    assert 'data-testid="pdf-download"' not in page
    assert "data-print" in page
    for url in (
        reverse("representatives:handbook_pdf", args=[rep.pk, YEAR]),
        reverse("representatives:station_handbooks_pdf", args=[network.station_a.pk, YEAR]),
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/html")
        assert "此服务器未安装 PDF 组件，请使用“打印”另存为 PDF" in response.content.decode()
    # Still a 404 for another station's representative.
    other = make_representative(network, name="乙乡代表", station=network.station_b)
    assert client.get(reverse("representatives:handbook_pdf", args=[other.pk, YEAR])).status_code == 404


def test_weasyprint_reads_only_the_projects_static_files():
    assert pdf.static_path(pdf.BASE_URL + "static/css/handbook-pdf.css") is not None
    assert pdf.static_path(pdf.BASE_URL + "static/css/no-such.css") is None
    assert pdf.static_path(pdf.BASE_URL + "static/../liaison/settings/base.py") is None
    assert pdf.static_path(pdf.BASE_URL + "static/%2e%2e/liaison/settings/base.py") is None
    assert pdf.static_path(pdf.BASE_URL + "media/evidence/x.pdf") is None
    assert pdf.static_path("https://example.com/static/css/handbook-pdf.css") is None
    assert pdf.static_path("file:///etc/passwd") is None
    # A document pointing elsewhere still renders, without the foreign resources.
    html = (
        '<html><head><link rel="stylesheet" href="https://example.com/x.css">'
        '<link rel="stylesheet" href="file:///etc/passwd"></head>'
        '<body><img src="http://169.254.169.254/latest"><p>代表</p></body></html>'
    )
    assert pdf.render([html], title="t").startswith(b"%PDF")


def test_a_large_station_downloads_its_handbooks_in_parts(network, client_for, monkeypatch):
    from representatives.views import performance as views

    monkeypatch.setattr(views, "PDF_PART_SIZE", 2)
    for name in ["甲代表", "乙代表", "丙代表"]:
        make_representative(network, name=name)
    client = client_for(network.users["officer"])
    url = reverse("representatives:station_handbooks_pdf", args=[network.station_a.pk, YEAR])
    page = client.get(reverse("representatives:station_handbooks", args=[network.station_a.pk, YEAR])).content.decode()
    assert f'href="{url}?part=1"' in page and f'href="{url}?part=2"' in page and "part=3" not in page
    assert "下载 PDF（第 3–3 人）" in page
    first = client.get(url + "?part=1")
    assert [item.title for item in read(first).outline] == ["丙代表", "甲代表"]
    assert first["Content-Disposition"].endswith(quote(f"履职记实手册-{network.station_a.name}-1-{YEAR}.pdf"))
    assert [item.title for item in read(client.get(url + "?part=2")).outline] == ["乙代表"]
    for part in ("3", "0", "x", "99999999999999999999999"):
        assert client.get(url + f"?part={part}").status_code == 404


def test_a_part_is_bounded_by_handbooks_and_by_records(monkeypatch):
    from representatives.views import performance as views

    monkeypatch.setattr(views, "PDF_PART_SIZE", 3)
    monkeypatch.setattr(views, "PDF_PART_RECORDS", 100)
    assert views.pdf_parts([]) == []
    assert views.pdf_parts([0] * 7) == [(0, 3), (3, 6), (6, 7)]
    assert views.pdf_parts([60, 40, 1, 300, 5]) == [(0, 2), (2, 3), (3, 4), (4, 5)]


def test_a_station_with_busy_representatives_gets_parts_by_records(network, client_for, monkeypatch):
    from representatives.views import performance as views

    monkeypatch.setattr(views, "PDF_PART_RECORDS", 50)
    for name, records in [("甲代表", 40), ("乙代表", 30), ("丙代表", 10)]:  # in pinyin order: 丙 甲 乙
        add_records(make_representative(network, name=name), records)
    client = client_for(network.users["officer"])
    page = client.get(reverse("representatives:station_handbooks", args=[network.station_a.pk, YEAR])).content.decode()
    assert "下载 PDF（第 1–2 人）" in page and "下载 PDF（第 3–3 人）" in page
    url = reverse("representatives:station_handbooks_pdf", args=[network.station_a.pk, YEAR])
    assert [item.title for item in read(client.get(url + "?part=1")).outline] == ["丙代表", "甲代表"]
    assert [item.title for item in read(client.get(url + "?part=2")).outline] == ["乙代表"]
    assert client.get(url + "?part=3").status_code == 404


@override_settings(RATELIMIT_ENABLE=True, HANDBOOK_PDF_RATELIMIT="2/h")
def test_pdfs_are_rate_limited_per_user(network, client_for):
    """Each PDF takes seconds of CPU in the request: past the limit a user gets the 429 page."""
    cache.clear()
    rep = make_representative(network, name="限速代表")
    url = reverse("representatives:handbook_pdf", args=[rep.pk, YEAR])
    officer = client_for(network.users["officer"])
    assert [officer.get(url).status_code for _ in range(2)] == [200, 200]
    limited = officer.get(url)
    assert limited.status_code == 429 and "短时间内操作次数过多" in limited.content.decode()
    station_pdf = reverse("representatives:station_handbooks_pdf", args=[network.station_a.pk, YEAR])
    assert officer.get(station_pdf).status_code == 429  # one budget for both kinds of PDF
    assert client_for(network.users["township"]).get(url).status_code == 200  # another user's own budget
    cache.clear()
