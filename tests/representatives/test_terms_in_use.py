"""The term choices: the terms of the representatives in the user's scope, the same whichever way
they are read (a loose index scan for a user who sees everything, a DISTINCT over the scope)."""

import pytest

from representatives.selectors.roster import terms_in_use
from tests.representatives.factories import make_representative

pytestmark = pytest.mark.django_db


@pytest.fixture
def terms(network):
    make_representative(network, term="第十七届")
    make_representative(network, term="第十八届")
    make_representative(network, term="第十八届", station=network.station_b, name="李四")
    make_representative(network, term="第十九届", station=network.station_b, name="赵六")


def test_a_user_who_sees_everything_gets_every_term_in_order(network, terms):
    for role in ("superuser", "county"):
        assert terms_in_use(user=network.users[role]) == ["第十七届", "第十八届", "第十九届"]
        assert terms_in_use(user=network.users[role], changeable=True) == ["第十七届", "第十八届", "第十九届"]


def test_a_scoped_user_gets_the_terms_of_their_stations_only(network, terms):
    assert terms_in_use(user=network.users["officer"]) == ["第十七届", "第十八届"]
    assert terms_in_use(user=network.users["norole"]) == []


def test_the_roster_filter_offers_the_newest_term_first(network, terms, client):
    client.force_login(network.users["county"])
    html = client.get("/representatives/").content.decode()
    assert html.index('value="第十九届"') < html.index('value="第十八届"') < html.index('value="第十七届"')


def test_an_empty_roster_has_no_terms(network):
    assert terms_in_use(user=network.users["superuser"]) == []


@pytest.mark.parametrize(
    "terms, ordered",
    [
        (["第十九届", "第八届", "第十八届", "第九届"], ["第八届", "第九届", "第十八届", "第十九届"]),
        (["第二十一届", "第二十届", "第一百零二届"], ["第二十届", "第二十一届", "第一百零二届"]),
        (["18", "9"], ["9", "18"]),
        (["其他", "第三届"], ["第三届", "其他"]),
    ],
)
def test_terms_sort_by_their_number(terms, ordered):
    from representatives.text import term_sort_key

    assert sorted(terms, key=term_sort_key) == ordered
