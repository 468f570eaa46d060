"""Edge cases of text and exports: control characters, typed formulas, a NUL deep in a CSV, phone
numbers of other stations, sort labels; each test failed before its fix."""

import io

from django.urls import reverse
from openpyxl import load_workbook

from liaison.text import normalize_text
from representatives.models import ImportBatch, Representative
from representatives.services import mobile_register as register_services
from tests.representatives.factories import make_representative
from tests.representatives.import_helpers import csv_bytes, row, upload_file
from tests.representatives.register_helpers import build_register


def test_control_characters_are_dropped_when_text_is_normalised():
    assert normalize_text("王\x07建国\x00 ") == "王建国"
    assert normalize_text("甲村\x1f1 号") == "甲村 1 号"  # a separator stays a space


def test_roster_export_survives_control_characters_in_stored_text(network, client_for):
    # Address and occupation come from forms as typed; Excel refuses control characters.
    make_representative(network, name="王建国", residence_address="幸福路\x07 1 号", occupation="主任\x01")
    response = client_for(network.users["officer"]).get(reverse("representatives:export"))
    assert response.status_code == 200
    values = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(min_row=2, values_only=True))[0]
    assert "幸福路 1 号" in values and "主任" in values


def test_register_export_keeps_typed_text_as_text(network, client_for):
    register = build_register(network)
    entry = register.entry("乡甲进城")
    register_services.register_entry_update(
        actor=network.users["officer"], entry=entry, role_played='=HYPERLINK("http://x.example","点")\x07'
    )
    response = client_for(network.users["officer"]).get(reverse("representatives:register_export"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    column = [c.value for c in sheet[1]].index("发挥作用情况")
    cell = next(r[column] for r in sheet.iter_rows(min_row=2) if r[1].value == "乡甲进城")
    assert cell.data_type == "s"
    assert cell.value == '=HYPERLINK("http://x.example","点")'


def test_a_nul_deep_inside_a_csv_is_no_server_error(network, client_for):
    rows = [row(姓名=f"代表{i}", 手机号码=str(13800000000 + i)) for i in range(60)]
    rows.append(row(姓名="坏\x00名", 手机号码="13811111111"))
    content = csv_bytes(rows)
    assert b"\x00" not in content[:4096]
    response = client_for(network.users["officer"]).post(
        reverse("representatives:import"), {"file": upload_file(content, "名册.csv")}
    )
    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    assert batch.report[-1]["name"] == "坏名"


def test_the_form_does_not_name_another_stations_representative_by_phone(network, client_for):
    other = make_representative(network, name="乙乡秘密", station=network.station_b)
    data = {
        "name": "甲代表",
        "gender": "male",
        "ethnicity": "汉族",
        "birth_year": "1975",
        "phone": other.phone,
        "level": other.level,
        "term": other.term,
        "electoral_district": "甲村选区",
        "district_township": network.township_a.pk,
        "home_station": network.station_a.pk,
        "residence_division": network.township_a.pk,
        "residence_address": "",
        "occupation": "",
    }
    response = client_for(network.users["officer"]).post(reverse("representatives:create"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "乙乡秘密" not in html
    assert "该手机号码已属于其他联络站的同届同级代表" in html
    assert Representative.objects.count() == 1


def test_descending_sort_choices_are_in_chinese(network, client_for):
    response = client_for(network.users["county"]).get(reverse("representatives:list"))
    html = response.content.decode()
    assert "descending" not in html
    assert "出生年份（降序）" in html


def test_a_phone_taken_in_the_same_station_gets_a_clear_message_on_edit(network, client_for):
    first = make_representative(network, name="王建国")
    second = make_representative(network, name="李秀英")
    data = {
        "name": second.name,
        "gender": second.gender,
        "ethnicity": second.ethnicity,
        "birth_year": second.birth_year,
        "phone": first.phone,
        "level": second.level,
        "term": second.term,
        "electoral_district": second.electoral_district,
        "district_township": second.district_township_id,
        "home_station": second.home_station_id,
        "residence_division": second.residence_division_id,
        "residence_address": second.residence_address,
        "occupation": second.occupation,
    }
    response = client_for(network.users["officer"]).post(reverse("representatives:update", args=[second.pk]), data)
    assert response.status_code == 200
    assert "该手机号码已属于同届同级代表“王建国”" in response.content.decode()
    assert "约束" not in response.content.decode()
    second.refresh_from_db()
    assert second.phone != first.phone
