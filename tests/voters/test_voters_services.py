"""Voters: duplicate detection by phone, consent (who recorded it, when), search by name, pinyin
initials and phone digits, households in scope."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.voters.factories import make_household, make_voter
from voters.models import Voter
from voters.selectors.people import voter_search_q
from voters.services import people


def test_a_second_voter_with_the_same_phone_is_refused_and_links_to_the_first(network, client_for):
    first = make_voter(network, name="李秀英", phone="13812341234")
    client = client_for(network.users["officer"])
    response = client.post(
        reverse("voters:voter_create"),
        {"name": "李秀英", "phone": "138 1234 1234", "station": network.station_a.pk, "consents_to_contact": "on"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "李秀英" in html
    assert reverse("voters:voter_detail", args=[first.pk]) in html
    assert Voter.objects.count() == 1


def test_a_phone_kept_by_another_township_is_refused_without_naming_anyone(network, client_for):
    other = make_voter(network, name="林芳", phone="13700001111", station=network.station_b)
    response = client_for(network.users["officer"]).post(
        reverse("voters:voter_create"), {"name": "别人", "phone": "13700001111", "station": network.station_a.pk}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "林芳" not in html
    assert reverse("voters:voter_detail", args=[other.pk]) not in html
    assert "其他联络站" in html or "another station" in html
    assert Voter.objects.count() == 1


def test_phone_owner_detects_a_duplicate_written_differently():
    assert people.phone_owner(phone="") is None


def test_bad_phone_and_empty_name_are_refused_in_chinese(network):
    with pytest.raises(ValidationError) as info:
        people.voter_create(actor=network.users["officer"], name=" ", phone="12345", station=network.station_a)
    assert set(info.value.error_dict) == {"name", "phone"}
    assert Voter.objects.count() == 0


def test_an_officer_cannot_file_a_voter_under_another_township(network):
    with pytest.raises(ValidationError) as info:
        people.voter_create(actor=network.users["officer"], name="某人", station=network.station_b)
    assert "station" in info.value.error_dict


def test_consent_records_who_and_when_and_is_recorded_again_on_withdrawal(network):
    officer = network.users["officer"]
    voter = make_voter(network, actor=officer, consents_to_contact=True)
    assert voter.consent_recorded_by == officer and voter.consent_recorded_at is not None
    first_time = voter.consent_recorded_at
    people.voter_update(actor=network.users["township"], voter=voter, note="再次核实")
    voter.refresh_from_db()
    assert voter.consent_recorded_by == officer  # unchanged consent: not re-recorded
    people.voter_update(actor=network.users["township"], voter=voter, consents_to_contact=False)
    voter.refresh_from_db()
    assert voter.consent_recorded_by == network.users["township"]
    assert voter.consent_recorded_at >= first_time


def test_a_voter_without_consent_has_no_consent_record(network):
    voter = make_voter(network, consents_to_contact=False)
    assert voter.consent_recorded_by is None and voter.consent_recorded_at is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("王建国", {"王建国"}),
        ("建国", set()),  # short text: by prefix (fast at a million voters)
        ("王建", {"王建国", "王建华"}),
        ("wjg", {"王建国"}),
        ("WJ", {"王建国", "王建华"}),
        ("1234", {"王建国"}),
        ("139", {"王建华"}),
        ("0000", {"王建华", "李秀英"}),
    ],
)
def test_search_by_name_initials_or_phone_digits(network, text, expected):
    make_voter(network, name="王建国", phone="13812341234")
    make_voter(network, name="王建华", phone="13900000000")
    make_voter(network, name="李秀英", phone="13600000001")
    found = set(Voter.objects.filter(voter_search_q(text)).values_list("name", flat=True))
    assert found == expected


def test_the_list_search_finds_by_phone_digits_within_scope(network, client_for):
    make_voter(network, name="王建国", phone="13812341234")
    make_voter(network, name="林芳", phone="13812349999", station=network.station_b)
    html = client_for(network.users["officer"]).get(reverse("voters:voter_list"), {"q": "1234"}).content.decode()
    assert "王建国" in html and "林芳" not in html


def test_search_text_a_user_types_never_breaks_the_page(network, client_for):
    client = client_for(network.users["county"])
    for text in ["%", "_", "'", "\x00", "王" * 500, "１２３４"]:
        assert client.get(reverse("voters:voter_list"), {"q": text}).status_code == 200
    assert client.get(reverse("voters:voter_list"), {"page": "999999"}).status_code == 200
    assert client.get(reverse("voters:voter_list"), {"station": "abc"}).status_code == 200


def test_a_household_out_of_scope_cannot_be_chosen_for_a_voter(network):
    household_b = make_household(network, station=network.station_b)
    with pytest.raises(ValidationError) as info:
        make_voter(network, actor=network.users["officer"], household=household_b)
    assert "household" in info.value.error_dict


def test_the_voter_form_offers_households_by_search_not_a_select(network, client_for):
    make_household(network)
    html = client_for(network.users["officer"]).get(reverse("voters:voter_create")).content.decode()
    assert 'name="household"' not in html.split("search-choice-household")[0][-200:]
    assert "<select" not in html.split('data-testid="search-choice-household"')[1].split("</div>")[0]
    assert 'hx-get="/search/households/' in html


def test_saving_a_voter_unchanged_writes_no_history(network, client_for):
    voter = make_voter(network, actor=network.users["officer"])
    count = voter.history.count()
    client = client_for(network.users["officer"])
    url = reverse("voters:voter_update", args=[voter.pk])
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and k in form.fields}
    data["consents_to_contact"] = "on"
    response = client.post(url, data)
    assert response.status_code == 302
    assert voter.history.count() == count


def test_household_search_offers_only_the_households_of_the_township(network, client_for):
    make_household(network, head_name="张大明")
    make_household(network, head_name="张小明", station=network.station_b)
    client = client_for(network.users["county"])
    html = client.get(
        reverse("liaison:search_households"), {"q": "张", "township": network.township_a.pk}
    ).content.decode()
    assert "张大明" in html and "张小明" not in html


def test_the_list_count_stops_at_the_cap(network, client_for, monkeypatch):
    from liaison import pagination

    monkeypatch.setattr(pagination, "MAX_ROWS", 3)
    for i in range(5):
        make_voter(network, name=f"选民{i}")
    response = client_for(network.users["county"]).get(reverse("voters:voter_list"))
    assert response.context["count_capped"]
    assert "超过 3 人" in response.content.decode()
    assert len(response.context["voters"]) == 3  # beyond the cap: narrow the search


def test_search_indexes_exist_on_postgresql(db):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'voters_voter'")
        names = {row[0] for row in cursor.fetchall()}
    assert {"voters_voter_name_trgm", "voters_voter_phone_trgm", "voters_voter_initials_prefix"} <= names
