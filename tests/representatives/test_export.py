"""Roster export: the filtered list in the template's format; exporting then importing is a no-op."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from liaison import services as network_services
from representatives.models import ImportBatch, Representative
from representatives.services import import_format, imports
from tests.representatives.factories import make_representative
from tests.representatives.import_helpers import read_xlsx, upload_file, xlsx_bytes


def export(client, **params):
    response = client.get(reverse("representatives:export"), params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    return response.content


def varied_roster(network):
    """Representatives with everything the format must carry: both levels, no phone, mobile, several
    specialties, an address with odd spacing, and a place whose name exists twice."""
    new_a = network_services.division_create(name="新村", kind="village", parent=network.township_a)
    network_services.division_create(name="新村", kind="village", parent=network.township_b)
    village_b = network.point_b.division
    make_representative(network, name="王建国", specialties=["农业", "法律"], residence=new_a)
    make_representative(network, name="李秀英", phone="", gender="female", birth_year=None, specialties=[])
    make_representative(network, name="张伟", level="county", ethnicity="畲族", residence=village_b)  # mobile
    make_representative(network, name="陈静", station=network.point_a, residence_address="幸福路  8 号 ", occupation="")
    make_representative(network, name="乙乡代表", station=network.station_b)


def test_export_then_import_changes_nothing(network, client_for):
    varied_roster(network)
    client = client_for(network.users["officer"])
    content = export(client)
    table = read_xlsx(content)
    assert table[0] == list(import_format.HEADERS)
    assert sorted(r[0] for r in table[1:]) == ["张伟", "李秀英", "王建国", "陈静"]  # not township B's
    by_name = {r[0]: r for r in table[1:]}
    assert by_name["王建国"][9] == "甲镇/新村"  # an ambiguous place is written as a path
    assert by_name["王建国"][12] in ("农业、法律", "法律、农业")
    assert by_name["张伟"][5] == "县"

    before = list(Representative.objects.order_by("pk").values())
    response = client.post(reverse("representatives:import"), {"file": upload_file(content, "导出.xlsx")})
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert batch.counts == {"new": 0, "update": 0, "unchanged": 4, "error": 0, "conflict": 0, "total": 4}
    page = client.get(batch.get_absolute_url()).content.decode()
    assert "没有需要导入的内容" in page
    assert list(Representative.objects.order_by("pk").values()) == before


def test_an_edited_export_updates_only_what_changed(network, client_for):
    varied_roster(network)
    client = client_for(network.users["county"])
    table = read_xlsx(export(client))
    from tests.representatives.import_helpers import xlsx_bytes

    for values in table[1:]:
        if values[0] == "陈静":
            values[11] = "甲村小学教师"
    batch = imports.import_upload(actor=network.users["county"], name="x.xlsx", data=xlsx_bytes(table[1:]))
    assert batch.counts["update"] == 1 and batch.counts["unchanged"] == 4
    (changed,) = [r for r in batch.report if r["action"] == "update"]
    assert [change["column"] for change in changed["changes"]] == ["工作单位及职务"]


def test_export_follows_the_list_filters(network, client_for):
    varied_roster(network)
    client = client_for(network.users["county"])
    assert [r[0] for r in read_xlsx(export(client, level="county"))[1:]] == ["张伟"]
    names = [r[0] for r in read_xlsx(export(client, home_station=network.station_b.pk))[1:]]
    assert names == ["乙乡代表"]
    assert len(read_xlsx(export(client, q="王"))) == 2


def test_export_queries_do_not_grow_with_representatives(network, client_for):
    client = client_for(network.users["county"])
    for i in range(10):
        make_representative(network, name=f"代表{i}", specialties=["农业", "法律"])

    def count():
        with CaptureQueriesContext(connection) as ctx:
            content = export(client)
        return len(ctx.captured_queries), len(read_xlsx(content)) - 1

    small, rows = count()
    assert rows == 10
    for i in range(10, 200):
        station = network.station_b if i % 2 else network.point_a
        make_representative(network, name=f"代表{i}", station=station, specialties=["教育"])
    large, rows = count()
    assert rows == 200
    assert small == large


def test_a_cell_that_looks_like_a_formula_is_exported_as_text(network, client_for):
    make_representative(network, name="=HYPERLINK(1)", occupation="=1+1")
    content = export(client_for(network.users["officer"]))
    import io

    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    assert sheet["A2"].value == "=HYPERLINK(1)"
    assert sheet["A2"].data_type == "s"
    assert sheet["L2"].data_type == "s"


def test_export_masks_phones_for_those_who_may_not_read_them_and_imports_back_unchanged(network, client_for):
    """County staff read 138****5678 on every page, so also in the export; such a file imported back
    keeps every stored number (a masked cell reads as a blank one). The officer's export is in full."""
    varied_roster(network)
    phones = dict(Representative.objects.exclude(phone="").values_list("name", "phone"))
    county = network.users["county"]
    table = read_xlsx(export(client_for(county)))
    exported = {row[0]: row[4] for row in table[1:]}
    for name, phone in phones.items():
        assert exported[name] == f"{phone[:3]}****{phone[-4:]}", name
        assert phone not in {str(cell) for row in table for cell in row}
    before = list(Representative.objects.order_by("pk").values())
    batch = imports.import_upload(actor=county, name="x.xlsx", data=xlsx_bytes(table[1:]))
    assert batch.counts["unchanged"] == len(table) - 1 and batch.counts["update"] == 0, batch.report
    imports.import_confirm(actor=county, batch=batch)
    assert list(Representative.objects.order_by("pk").values()) == before

    officer_table = read_xlsx(export(client_for(network.users["officer"])))
    officer_phones = {row[0]: row[4] for row in officer_table[1:]}
    assert officer_phones["王建国"] == phones["王建国"]
