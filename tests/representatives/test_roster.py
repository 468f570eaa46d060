"""The roster: create, edit, end service, search, masking, history, corrections."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from liaison import services as network_services
from liaison.models import Notification
from representatives.models import MobileRegisterEntry, Representative
from representatives.services import roster
from tests.representatives.factories import make_representative


def form_data(network, **overrides):
    data = {
        "name": "李秀英",
        "gender": "female",
        "ethnicity": "汉族",
        "birth_year": "1980",
        "phone": "13900001111",
        "level": "township",
        "term": "第十八届",
        "electoral_district": "甲村选区",
        "district_township": network.township_a.pk,
        "home_station": network.station_a.pk,
        "residence_division": network.village_a.pk,
        "residence_address": "甲村 8 号",
        "occupation": "教师",
        "specialties_text": "教育、法律",
    }
    data.update(overrides)
    return data


def test_officer_adds_a_representative(network, client_for):
    client = client_for(network.users["officer"])
    response = client.post(reverse("representatives:create"), form_data(network, phone="１３９ ００００ １１１１"))
    rep = Representative.objects.get()
    assert response.status_code == 302
    assert rep.phone == "13900001111"  # full-width digits normalised
    assert rep.name_initials == "lxy"
    assert rep.congress == network.township_a
    assert sorted(s.name for s in rep.specialties.all()) == ["教育", "法律"]
    assert not rep.is_mobile
    assert rep.history.get().history_user == network.users["officer"]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": "  "}, "请输入代表姓名"),
        ({"phone": "12345"}, "请输入以 1 开头的 11 位手机号码"),
        ({"birth_year": "1890"}, "出生年份"),
        ({"level": "township", "district_township": "zone"}, "街道和开发区不设人民代表大会"),
        ({"home_station": "station_b"}, "选择一个有效的选项"),
    ],
)
def test_bad_input_writes_nothing_and_says_why(network, client_for, overrides, message):
    zone = network_services.division_create(name="开发区", kind="development_zone", parent=network.county)
    places = {"zone": zone.pk, "station_b": network.station_b.pk}
    data = form_data(network, **{k: places.get(v, v) for k, v in overrides.items()})
    response = client_for(network.users["officer"]).post(reverse("representatives:create"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Representative.objects.count() == 0
    assert Representative.history.count() == 0


def test_same_phone_in_same_congress_and_term_is_refused(network):
    make_representative(network, phone="13900002222", name="张三")
    with pytest.raises(ValidationError) as exc:
        make_representative(network, phone="13900002222", name="李四")
    assert "张三" in exc.value.message_dict["phone"][0]
    # The same person may also sit in the county congress.
    make_representative(network, phone="13900002222", name="张三", level="county")


def test_living_outside_the_district_township_makes_a_representative_mobile(network):
    rep = make_representative(network, residence=network.point_b.division)
    assert rep.is_mobile
    entry = MobileRegisterEntry.objects.get(representative=rep)
    assert entry.origin_station == network.station_a
    assert entry.host_station == network.station_b
    assert entry.community == network.point_b.division
    roster.representative_update(
        actor=network.users["officer"], representative=rep, residence_division=network.village_a
    )
    entry.refresh_from_db()
    assert not rep.is_mobile and not entry.is_active


def test_edit_keeps_a_readable_history(network, client_for):
    rep = make_representative(network)
    client = client_for(network.users["officer"])
    data = form_data(network, name=rep.name, phone=rep.phone, home_station=network.station_a_town.pk)
    assert client.post(reverse("representatives:update", args=[rep.pk]), data).status_code == 302
    page = client.get(rep.get_absolute_url()).content.decode()
    assert "甲镇联络站 → 甲镇城区联络站" in page
    assert network.users["officer"].full_name in page


def test_end_service_keeps_the_record_with_date_and_reason(network, client_for):
    rep = make_representative(network)
    client = client_for(network.users["officer"])
    url = reverse("representatives:end_service", args=[rep.pk])
    response = client.post(url, {"status": "resigned", "date": "2026-03-01", "reason": ""}, follow=True)
    assert "这个字段是必填项" in response.content.decode() or "请填写原因" in response.content.decode()
    rep.refresh_from_db()
    assert rep.is_serving
    client.post(url, {"status": "resigned", "date": "2026-03-01", "reason": "工作调动"})
    rep.refresh_from_db()
    assert rep.status == "resigned"
    assert str(rep.status_date) == "2026-03-01"
    assert rep.status_reason == "工作调动"


@pytest.mark.parametrize(
    ("query", "expected"),
    [("王建", {"王建国"}), ("wjg", {"王建国"}), ("WJ", {"王建国"}), ("0003", {"李秀英"}), ("秀", {"李秀英"})],
)
def test_search_by_name_initials_and_phone(network, client_for, query, expected):
    make_representative(network, name="王建国", phone="13900000001")
    make_representative(network, name="李秀英", phone="13900000003")
    response = client_for(network.users["officer"]).get(reverse("representatives:list"), {"q": query})
    assert {rep.name for rep in response.context["representatives"]} == expected


def test_filters_and_count(network, client_for):
    make_representative(network, name="甲一", level="county")
    make_representative(network, name="甲二", residence=network.point_b.division)
    make_representative(network, name="乙一", station=network.station_b)
    client = client_for(network.users["county"])
    response = client.get(reverse("representatives:list"), {"is_mobile": "true"})
    assert [r.name for r in response.context["representatives"]] == ["甲二"]
    response = client.get(reverse("representatives:list"), {"level": "county"})
    assert [r.name for r in response.context["representatives"]] == ["甲一"]
    response = client.get(reverse("representatives:list"), {"home_station": network.station_b.pk})
    assert [r.name for r in response.context["representatives"]] == ["乙一"]
    response = client.get(reverse("representatives:list"), {"home_station": "not-a-number", "o": "bogus"})
    assert response.status_code == 200


def test_phones_are_masked_for_county_staff_and_shown_to_officers(network, client_for):
    make_representative(network, phone="13912345678")
    county_page = client_for(network.users["county"]).get(reverse("representatives:list")).content.decode()
    assert "139****5678" in county_page and "13912345678" not in county_page
    officer_page = client_for(network.users["officer"]).get(reverse("representatives:list")).content.decode()
    assert "13912345678" in officer_page


def test_correction_request_reaches_the_officer(network, client_for):
    network_services.station_update(
        actor=network.users["superuser"], station=network.station_a, officer=network.users["officer"]
    )
    rep = make_representative(network)
    roster.representative_link_user(
        actor=network.users["superuser"], representative=rep, user=network.users["representative"]
    )
    client = client_for(network.users["representative"])
    client.post(reverse("representatives:correction_request", args=[rep.pk]), {"message": "工作单位已变更"})
    notification = Notification.objects.get(recipient=network.users["officer"])
    assert "工作单位已变更" in notification.body
    correction = rep.corrections.get()
    client = client_for(network.users["officer"])
    client.post(reverse("representatives:correction_resolve", args=[correction.pk]), {"note": "已更正"})
    correction.refresh_from_db()
    assert correction.resolved_by == network.users["officer"]


def test_columns_sort_both_ways(network, client_for):
    make_representative(network, name="王建国", birth_year=1970)
    make_representative(network, name="李秀英", birth_year=1990)
    client = client_for(network.users["officer"])
    page = client.get(reverse("representatives:list"), {"o": "birth_year"})
    assert [r.name for r in page.context["representatives"]] == ["王建国", "李秀英"]
    assert page.context["sort_links"]["birth_year"]["url"].endswith("o=-birth_year")
    page = client.get(reverse("representatives:list"), {"o": "-birth_year"})
    assert [r.name for r in page.context["representatives"]] == ["李秀英", "王建国"]


def test_officer_links_a_sign_in_account(network, client_for):
    from liaison import access

    rep = make_representative(network)
    other = make_representative(network, name="另一位")
    client = client_for(network.users["officer"])
    url = reverse("representatives:link_user", args=[rep.pk])
    response = client.post(url, {"username": "nobody-here"}, follow=True)
    assert "无法关联该用户名的账号" in response.content.decode()
    client.post(url, {"username": "norole"})
    rep.refresh_from_db()
    assert rep.user == network.users["norole"]
    assert access.Role.REPRESENTATIVE in access.roles(network.users["norole"])
    response = client.post(reverse("representatives:link_user", args=[other.pk]), {"username": "norole"}, follow=True)
    assert "该账号已关联其他代表" in response.content.decode()
    other.refresh_from_db()
    assert other.user is None
    # Another station's representative: 404.
    far = make_representative(network, station=network.station_b)
    assert client.post(reverse("representatives:link_user", args=[far.pk]), {"username": "unit"}).status_code == 404
