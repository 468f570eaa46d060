"""Invisible characters never reach the database, and overlong text is a Chinese error, not a 500."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from liaison import services as liaison_services
from liaison.models import Station
from liaison.text import normalize_multiline, normalize_text, strip_invisible
from representatives.models import JointMeeting, RecordCorrection, Representative, RepresentativeGroup
from representatives.services import corrections as correction_services
from representatives.services import groups as group_services
from representatives.services import mobile_register as register_services
from representatives.services import roster
from tests.representatives.factories import make_representative
from tests.representatives.register_helpers import build_register

# Each a control character, an escape, a right-to-left override, a zero-width space, an isolate.
DIRTY = "\x01林\x1b\u202e福\u200b\u2066"
CLEAN = "林福"


def test_strip_invisible_keeps_text_and_line_breaks():
    assert strip_invisible(DIRTY) == CLEAN
    assert strip_invisible("第一行\n第二行\t完") == "第一行\n第二行\t完"
    assert normalize_text(" ＡＢ\u200c  12\x00 ") == "AB 12"
    assert normalize_multiline("\u202e一\r\n二 ") == "一\n二"


@pytest.fixture
def rep(network):
    return make_representative(network)


def _station(network, **fields):
    values = {"name": "丙站", "kind": "point", "division": network.village_a, "parent": network.station_a, "slug": "c"}
    values.update(fields)
    return liaison_services.station_create(actor=network.users["county"], **values)


def _rep(network, **fields):
    return make_representative(network, **fields)


SERVICE_CASES = [
    # (label, write(network, text) -> saved object, field to read back)
    ("station name", lambda n, t: _station(n, name=t), "name"),
    ("station address", lambda n, t: _station(n, address=t), "address"),
    ("station opening hours", lambda n, t: _station(n, opening_hours=t), "opening_hours"),
    ("representative name", lambda n, t: _rep(n, name=t), "name"),
    ("ethnicity", lambda n, t: _rep(n, ethnicity=t), "ethnicity"),
    ("term", lambda n, t: _rep(n, term=t), "term"),
    ("electoral district", lambda n, t: _rep(n, electoral_district=t), "electoral_district"),
    ("residence address", lambda n, t: _rep(n, residence_address=t), "residence_address"),
    ("occupation", lambda n, t: _rep(n, occupation=t), "occupation"),
    (
        "end-of-service reason",
        lambda n, t: roster.representative_end_service(
            actor=n.users["county"], representative=_rep(n), status="resigned", date=timezone.localdate(), reason=t
        ),
        "status_reason",
    ),
    (
        "correction request",
        lambda n, t: correction_services.correction_request(actor=n.users["county"], representative=_rep(n), message=t),
        "message",
    ),
    (
        "correction note",
        lambda n, t: correction_services.correction_resolve(
            actor=n.users["county"],
            correction=RecordCorrection.objects.create(representative=_rep(n), message="改电话"),
            note=t,
        ),
        "resolution_note",
    ),
    (
        "group name",
        lambda n, t: group_services.group_create(actor=n.users["county"], name=t, station=n.station_a),
        "name",
    ),
    (
        "group description",
        lambda n, t: group_services.group_create(
            actor=n.users["county"], name="组", station=n.station_a, description=t
        ),
        "description",
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("label", "write", "field"), SERVICE_CASES, ids=[case[0] for case in SERVICE_CASES])
def test_services_strip_invisible_characters(network, label, write, field):
    obj = write(network, DIRTY)
    obj.refresh_from_db()
    assert getattr(obj, field) == CLEAN, label


@pytest.mark.django_db
def test_specialties_are_stripped(network):
    rep = make_representative(network, specialties=[normalize_text(DIRTY)])
    assert [s.name for s in rep.specialties.all()] == [CLEAN]


@pytest.mark.django_db
def test_register_and_joint_meeting_text_is_stripped(network):
    reg = build_register(network)
    entry = reg.entry("乡甲进城")
    admin = network.users["superuser"]
    register_services.register_entry_update(
        actor=admin, entry=entry, contact=DIRTY, specialties_note=DIRTY, role_played=DIRTY + "\n第二行"
    )
    entry.refresh_from_db()
    assert (entry.contact, entry.specialties_note, entry.role_played) == (CLEAN, CLEAN, CLEAN + "\n第二行")
    meeting = register_services.joint_meeting_record(
        actor=admin,
        origin_station=entry.origin_station,
        host_station=entry.host_station,
        held_on=timezone.localdate() - datetime.timedelta(days=1),
        summary=DIRTY,
    )
    assert JointMeeting.objects.get(pk=meeting.pk).summary == CLEAN


@pytest.mark.django_db
def test_a_name_of_only_invisible_characters_is_refused(network):
    with pytest.raises(ValidationError) as exc:
        make_representative(network, name="\u202e\u200b\x01")
    assert "name" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        _station(network, name="\u200b")
    assert "name" in exc.value.message_dict


@pytest.mark.django_db
def test_forms_strip_invisible_characters(network, client_for):
    client = client_for(network.users["county"])
    response = client.post(
        reverse("liaison:station_create"),
        {
            "name": DIRTY,
            "kind": "point",
            "parent": network.station_a.pk,
            "division": network.village_a.pk,
            "address": DIRTY,
            "opening_hours": DIRTY,
            "phone": "0578-1234567",
            "slug": "dirty",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    station = Station.objects.get(slug="dirty")
    assert (station.name, station.address, station.opening_hours) == (CLEAN, CLEAN, CLEAN)

    response = client.post(
        reverse("representatives:create"),
        {
            "name": DIRTY,
            "gender": "male",
            "ethnicity": "汉族\u200b",
            "birth_year": 1970,
            "phone": "13912340000",
            "level": "township",
            "term": "第十八届\u202e",
            "electoral_district": DIRTY,
            "district_township": network.township_a.pk,
            "home_station": network.station_a.pk,
            "residence_division": network.village_a.pk,
            "residence_address": DIRTY,
            "occupation": DIRTY,
            "specialties_text": "法\u200b律、" + DIRTY,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    rep = Representative.objects.get(phone="13912340000")
    assert (rep.name, rep.ethnicity, rep.term, rep.electoral_district) == (CLEAN, "汉族", "第十八届", CLEAN)
    assert (rep.residence_address, rep.occupation) == (CLEAN, CLEAN)
    assert sorted(s.name for s in rep.specialties.all()) == sorted(["法律", CLEAN])

    response = client.post(
        reverse("representatives:group_create"),
        {"name": DIRTY, "kind": "group", "station": network.station_a.pk, "description": DIRTY},
    )
    assert response.status_code == 302
    group = RepresentativeGroup.objects.get(station=network.station_a)
    assert (group.name, group.description) == (CLEAN, CLEAN)

    client.post(
        reverse("representatives:end_service", args=[rep.pk]),
        {"status": "resigned", "date": timezone.localdate(), "reason": DIRTY},
    )
    rep.refresh_from_db()
    assert rep.status_reason == CLEAN


# --- Lengths -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_overlong_text_through_services_is_a_chinese_validation_error(network, rep):
    county = network.users["county"]
    correction = RecordCorrection.objects.create(representative=rep, message="改电话")
    cases = [
        (
            "reason",
            lambda: correction_services.correction_resolve(actor=county, correction=correction, note="注" * 10_000),
        ),
        (
            "message",
            lambda: correction_services.correction_request(actor=county, representative=rep, message="改" * 10_000),
        ),
        ("specialties", lambda: make_representative(network, specialties=["专" * 40])),
        (
            "status_reason",
            lambda: roster.representative_end_service(
                actor=county, representative=rep, status="resigned", date=timezone.localdate(), reason="因" * 300
            ),
        ),
        ("name", lambda: _station(network, name="站" * 101)),
        ("address", lambda: _station(network, address="址" * 201)),
        ("occupation", lambda: make_representative(network, occupation="职" * 201)),
    ]
    for field, call in cases:
        with translation.override("zh-hans"), pytest.raises(ValidationError) as exc:
            call()
        assert field in exc.value.message_dict, field
        message = exc.value.message_dict[field][0]
        assert any("\u4e00" <= ch <= "\u9fff" for ch in message), message
    correction.refresh_from_db()
    assert correction.resolved_at is None


@pytest.mark.django_db
def test_an_overlong_note_on_a_correction_is_a_message_not_a_500(network, rep, client_for):
    correction = RecordCorrection.objects.create(representative=rep, message="改电话")
    client = client_for(network.users["officer"])
    response = client.post(
        reverse("representatives:correction_resolve", args=[correction.pk]), {"note": "注" * 10_000}, follow=True
    )
    assert response.status_code == 200
    assert "不超过 200" in response.content.decode() or "不要超过 200" in response.content.decode()
    correction.refresh_from_db()
    assert correction.resolved_at is None


@pytest.mark.django_db
def test_pre_save_refuses_overlong_text_even_outside_a_service(network):
    station = Station.objects.get(pk=network.station_a.pk)
    station.address = "址" * 201
    with pytest.raises(ValidationError) as exc:
        station.save()
    assert "address" in exc.value.message_dict
