"""The import writes new representatives together (`roster.representatives_create_many`): a constant
number of statements whatever the number of rows, and records exactly like `representative_create`'s."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from liaison.models import Division
from representatives import tasks
from representatives.models import ImportBatch, MobileRegisterEntry, Representative
from representatives.services import import_writing, imports, roster
from tests.representatives.factories import make_representative
from tests.representatives.import_helpers import row, xlsx_bytes


@pytest.fixture(autouse=True)
def _chinese():
    with translation.override("zh-hans"):
        yield


def new_rows(count: int, *, start: int) -> list[list[str]]:
    """Half live in another township (mobile: a register entry each); zero to two specialties."""
    return [
        row(
            姓名=f"新代表{start + i}",
            手机号码=str(13900000000 + start + i),
            居住地="乙村" if i % 2 else "甲村",
            专长=("农业、法律", "教育", "")[i % 3],
        )
        for i in range(count)
    ]


def statements_of_apply(network, data_rows) -> int:
    officer = network.users["officer"]
    batch = imports.import_upload(actor=officer, name="名册.xlsx", data=xlsx_bytes(data_rows))
    imports.import_confirm(actor=officer, batch=batch)
    with CaptureQueriesContext(connection) as applied:
        tasks.import_apply(batch.pk)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.DONE, batch.message
    return len(applied.captured_queries)


def test_the_apply_of_10_and_of_200_new_rows_issues_the_same_statements(network):
    roster.specialties_for(["农业", "法律", "教育"])  # both imports find them in place
    small = statements_of_apply(network, new_rows(10, start=0))
    large = statements_of_apply(network, new_rows(200, start=1000))
    assert small == large
    assert small < 40  # a constant: validation, scope, phones, rows, specialties, history, register
    assert Representative.objects.count() == 210
    assert MobileRegisterEntry.objects.filter(is_active=True).count() == 105
    assert Representative.history.filter(history_type="+").count() == 210


def test_more_rows_than_a_chunk_add_a_few_statements_a_chunk(network, monkeypatch):
    roster.specialties_for(["农业", "法律", "教育"])
    monkeypatch.setattr(import_writing, "WRITE_CHUNK", 100)
    one_chunk = statements_of_apply(network, new_rows(100, start=0))
    three_chunks = statements_of_apply(network, new_rows(300, start=1000))
    assert three_chunks - one_chunk <= 2 * 20


def fields_of(network, name, phone):
    return {
        "name": name,
        "gender": "female",
        "ethnicity": "畲族",
        "birth_year": 1980,
        "phone": phone,
        "level": "township",
        "term": "第十八届",
        "electoral_district": "甲村选区",
        "district_township": network.township_a,
        "home_station": network.station_a,
        "residence_division": Division.objects.get(name="乙村"),
        "residence_address": "乙村 8 号",
        "occupation": "合作社理事长",
    }


def test_a_representative_created_with_others_is_recorded_as_one_created_alone(network):
    officer = network.users["officer"]
    alone = roster.representative_create(
        actor=officer, specialties=["农业", "法律"], **fields_of(network, "欧阳", "13900000001")
    )
    (together,) = roster.representatives_create_many(
        actor=officer, rows=[(fields_of(network, "欧阳", "13900000002"), ["农业", "法律"])]
    )
    skip = {"id", "phone", "created_at", "updated_at", "history_id", "history_date"}

    def stored(rep):
        rep.refresh_from_db()
        return {
            f.attname: getattr(rep, f.attname) for f in Representative._meta.concrete_fields if f.attname not in skip
        }

    assert stored(together) == stored(alone)
    assert together.is_mobile and together.congress == network.township_a
    assert sorted(s.name for s in together.specialties.all()) == ["农业", "法律"]

    def history(rep):
        (record,) = rep.history.all()
        values = {f.attname: getattr(record, f.attname) for f in record._meta.concrete_fields if f.attname not in skip}
        values["specialties"] = sorted(m.specialty.name for m in record.specialties.all())
        return values

    assert history(together) == history(alone)
    assert history(together)["history_user_id"] == officer.pk
    assert history(together)["history_type"] == "+"
    assert history(together)["history_change_reason"] is None

    def entry(rep):
        entry = MobileRegisterEntry.objects.get(representative=rep)
        (record,) = entry.history.all()
        return (
            entry.origin_station,
            entry.host_station,
            entry.community,
            entry.is_active,
            record.history_type,
            record.history_user,
            record.host_station_id,
        )

    assert entry(together) == entry(alone)
    assert entry(together)[:3] == (network.station_a, network.station_b, Division.objects.get(name="乙村"))
    assert entry(together)[5] == officer


def test_a_row_that_breaks_a_rule_is_named_and_nothing_is_written(network):
    officer = network.users["officer"]
    rows = [
        (fields_of(network, "甲", "13900000001"), []),
        (fields_of(network, "乙", "13900000002"), []),
        ({**fields_of(network, "丙", "13900000003"), "home_station": network.station_b}, []),
    ]
    with pytest.raises(roster.RowInvalid) as raised:
        roster.representatives_create_many(actor=officer, rows=rows)
    assert raised.value.index == 2
    assert raised.value.message_dict == {"home_station": ["您无权管理该联络站的代表。"]}
    assert not Representative.objects.exists()


def test_a_phone_twice_in_the_rows_clashes_with_the_first(network):
    officer = network.users["officer"]
    make_representative(network, name="老代表", phone="13900000009")
    rows = [(fields_of(network, "甲", "13900000001"), []), (fields_of(network, "乙", "139 0000 0001"), [])]
    with pytest.raises(roster.RowInvalid) as raised:
        roster.representatives_create_many(actor=officer, rows=rows)
    assert raised.value.index == 1
    assert "甲" in raised.value.message_dict["phone"][0]
    rows = [(fields_of(network, "丁", "13900000009"), [])]
    with pytest.raises(roster.RowInvalid, match="老代表"):
        roster.representatives_create_many(actor=officer, rows=rows)
    assert Representative.objects.count() == 1


def test_a_phone_saved_by_someone_else_after_the_check_is_still_named_on_its_row(network, monkeypatch):
    officer = network.users["officer"]
    make_representative(network, name="抢先", phone="13900000002")
    # As if the other save came between the check and the insert: the check sees no holder.
    monkeypatch.setattr(roster.PrefetchedRosterLookups, "phone_holder", lambda self, rep: None)
    rows = [(fields_of(network, "甲", "13900000001"), ["农业"]), (fields_of(network, "乙", "13900000002"), [])]
    with pytest.raises(roster.RowInvalid) as raised:
        roster.representatives_create_many(actor=officer, rows=rows)
    assert raised.value.index == 1
    assert "phone" in raised.value.message_dict
    assert list(Representative.objects.values_list("name", flat=True)) == ["抢先"]


def test_an_overlong_value_is_refused_on_its_field(network):
    rows = [({**fields_of(network, "甲", "13900000001"), "occupation": "长" * 201}, [])]
    with pytest.raises(ValidationError) as raised:
        roster.representatives_create_many(actor=network.users["officer"], rows=rows)
    assert "occupation" in raised.value.message_dict
    assert not Representative.objects.exists()


def test_the_import_places_know_every_township_and_county_without_a_query(network, django_assert_num_queries):
    from representatives.services.import_rows import Places

    places = Places(actor=network.users["officer"])
    village = Division.objects.get(name="乙村")
    with django_assert_num_queries(0):
        answers = {pk: (d.township_id(), d.county_id()) for pk, d in places.divisions.items()}
        stations = {s.pk: s.division.township_id() for s in places.stations}
    assert answers[village.pk] == (network.township_b.pk, network.county.pk)
    assert answers[network.county.pk] == (None, network.county.pk)
    assert stations[network.point_a.pk] == network.township_a.pk
    fresh = {d.pk: (d.township_id(), d.county_id()) for d in Division.objects.all()}
    assert answers == fresh
