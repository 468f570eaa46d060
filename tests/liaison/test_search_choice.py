"""The one search-as-you-type choice (liaison.widgets, liaison.search_views): endpoints scoped by
access, chosen values rendered server-side, ids outside the scope refused as form errors."""

import re

import pytest
from django.urls import reverse

from representatives.models import GroupMembership
from representatives.services import groups as group_services
from tests.representatives.factories import make_representative
from voters.models import Voter


def search(client, kind, **params):
    response = client.get(reverse(f"liaison:search_{kind}"), params)
    return response.status_code, response.content.decode()


def values(html, name="choice"):
    return {int(v) for v in re.findall(rf'name="{name}" value="(\d+)"', html)}


# --- Endpoints: scoped by access --------------------------------------------------------------


def test_station_search_finds_only_the_users_stations(network, client_for):
    officer = client_for(network.users["officer"])
    _, html = search(officer, "stations", q="联络")
    assert network.station_a.pk in values(html) and network.point_a.pk in values(html)
    assert network.station_b.pk not in values(html) and network.point_b.pk not in values(html)
    _, html = search(officer, "stations", q="乙乡")
    assert values(html) == set() and "没有找到" in html
    county = client_for(network.users["county"])
    _, html = search(county, "stations", q="联络")
    assert {network.station_a.pk, network.station_b.pk} <= values(html)


def test_station_search_narrows_to_the_named_scope(network, client_for):
    county = client_for(network.users["county"])
    _, html = search(county, "stations", q="联络", points="0")
    assert network.point_a.pk not in values(html) and network.station_a.pk in values(html)
    _, html = search(county, "stations", q="联络", scope="no-such-scope")
    assert values(html) == set()


def test_division_search_is_scoped(network, client_for):
    _, html = search(client_for(network.users["officer"]), "divisions", q="乙", kinds="township")
    assert network.township_b.pk not in values(html)
    _, html = search(client_for(network.users["county"]), "divisions", q="乙", kinds="township")
    assert values(html) == {network.township_b.pk}


def test_representative_search_by_name_initials_and_phone_is_scoped(network, client_for):
    a = make_representative(network, name="王建国", phone="13800000001")
    b = make_representative(network, name="王建军", phone="13800000002", station=network.station_b)
    officer = client_for(network.users["officer"])
    for text in ("王建", "wjg", "0000"):
        _, html = search(officer, "representatives", q=text)
        assert a.pk in values(html) and b.pk not in values(html), text
    _, html = search(client_for(network.users["county"]), "representatives", q="王建")
    assert values(html) == {a.pk, b.pk}


def test_officer_search_offers_officers_of_the_scope(network, client_for):
    _, html = search(client_for(network.users["county"]), "officers", q="officer")
    assert network.users["officer"].pk in values(html)
    assert network.users["county"].pk not in values(html)


def test_search_endpoints_need_the_capability(network, client_for):
    for kind in ("stations", "divisions", "representatives", "households", "officers", "groups", "specialties"):
        status, _ = search(client_for(network.users["representative"]), kind, q="甲")
        assert status == 403, kind
        status, _ = search(client_for(None), kind, q="甲")
        assert status == 302, kind


def test_search_returns_at_most_twenty_and_says_there_are_more(network, client_for):
    from liaison import services
    from liaison.models import Division

    for i in range(25):
        village = services.division_create(name=f"多村{i}", kind=Division.Kind.VILLAGE, parent=network.township_a)
        services.station_create(
            actor=network.users["superuser"], name=f"多点{i}", kind="point", division=village,
            parent=network.station_a, slug=f"many-{i}",
        )
    _, html = search(client_for(network.users["county"]), "stations", q="多点", field="home_station", multiple="1")
    assert len(values(html, "home_station")) == 20
    assert 'type="checkbox"' in html
    assert "还有更多结果" in html


def test_an_empty_search_lists_nothing(network, client_for):
    _, html = search(client_for(network.users["county"]), "stations", q="  ")
    assert values(html) == set()


# --- Forms: the scope is the field's queryset -------------------------------------------------


def test_a_voter_posted_with_another_scopes_station_is_a_form_error(network, client_for):
    client = client_for(network.users["officer"])
    response = client.post(
        reverse("voters:voter_create"), {"name": "外站选民", "station": network.station_b.pk, "address": "一号"}
    )
    assert response.status_code == 200
    assert "station" in response.context["form"].errors
    assert not Voter.objects.filter(name="外站选民").exists()
    # Nothing of the other station is shown back.
    assert network.station_b.name not in response.content.decode()


def test_the_chosen_station_is_shown_after_a_failed_post_and_on_the_edit_form(network, client_for):
    client = client_for(network.users["officer"])
    response = client.post(reverse("voters:voter_create"), {"name": "", "station": network.station_a.pk})
    html = response.content.decode()
    assert response.status_code == 200 and "name" in response.context["form"].errors
    assert f'name="station" value="{network.station_a.pk}" checked' in html
    assert "甲镇联络站" in html
    from tests.voters.factories import make_voter

    voter = make_voter(network, station=network.station_a_town)
    html = client.get(reverse("voters:voter_update", args=[voter.pk])).content.decode()
    assert f'name="station" value="{network.station_a_town.pk}" checked' in html


def test_without_javascript_a_name_typed_exactly_is_chosen(network, client_for):
    client = client_for(network.users["officer"])
    response = client.post(
        reverse("voters:voter_create"), {"name": "无脚本", "station_q": "甲镇城区联络站", "address": "二号"}
    )
    assert response.status_code == 302
    assert Voter.objects.get(name="无脚本").station == network.station_a_town
    # Another scope's station typed by name is not found, so it is a form error.
    response = client.post(reverse("voters:voter_create"), {"name": "无脚本二", "station_q": "乙乡联络站"})
    assert response.status_code == 200 and "station" in response.context["form"].errors


def test_a_group_member_of_another_scope_is_a_form_error(network, client_for):
    b = make_representative(network, name="乙站代表", station=network.station_b)
    group = group_services.group_create(
        actor=network.users["officer"], name="甲组", kind="group", station=network.station_a, specialty=None,
        description="",
    )
    client = client_for(network.users["officer"])
    response = client.post(
        reverse("representatives:group_members", args=[group.pk]), {"representative": b.pk, "role": "member"}
    )
    assert response.status_code in (200, 302)
    assert not GroupMembership.objects.filter(group=group, representative=b).exists()


@pytest.mark.parametrize("bad", ["999999999", "abc", "-1", str(2**70)])
def test_a_filter_with_a_bad_or_foreign_station_is_ignored_not_an_error_page(network, client_for, bad):
    client = client_for(network.users["officer"])
    for url, name in ((reverse("representatives:list"), "home_station"), (reverse("voters:voter_list"), "station")):
        response = client.get(url, {name: bad})
        assert response.status_code == 200
    response = client.get(reverse("representatives:list"), {"home_station": network.station_b.pk})
    assert response.status_code == 200
    assert network.station_b.name not in response.content.decode()


def test_a_roster_filter_by_a_chosen_station_shows_its_label(network, client_for):
    a = make_representative(network, name="甲站代表")
    b = make_representative(network, name="城区代表", station=network.station_a_town)
    client = client_for(network.users["county"])
    response = client.get(reverse("representatives:list"), {"home_station": network.station_a_town.pk})
    html = response.content.decode()
    assert response.status_code == 200
    assert f'name="home_station" value="{network.station_a_town.pk}" checked' in html
    assert "甲镇城区联络站" in html
    assert b.name in html and a.name not in html
    # "All" is offered and, without a chosen station, checked.
    html = client.get(reverse("representatives:list")).content.decode()
    assert 'name="home_station" value="" checked' in html


def test_the_representative_edit_form_shows_its_chosen_places(network, client_for):
    rep = make_representative(network, name="编辑代表", residence=network.village_a)
    html = client_for(network.users["officer"]).get(reverse("representatives:update", args=[rep.pk])).content.decode()
    for name, obj in (
        ("home_station", network.station_a),
        ("district_township", network.township_a),
        ("residence_division", network.village_a),
    ):
        assert f'name="{name}" value="{obj.pk}" checked' in html, name
    assert "<select" not in html.split('data-testid="search-choice-home_station"')[1].split("</div>")[0]


def test_duty_candidates_are_searched_only_at_a_station_of_the_users_scope(network, client_for):
    a = make_representative(network, name="值班甲")
    b = make_representative(network, name="值班乙", station=network.station_b)
    officer = client_for(network.users["officer"])
    _, html = search(officer, "representatives", q="值班", scope="duty", station=network.station_a.pk)
    assert values(html) == {a.pk}
    _, html = search(officer, "representatives", q="值班", scope="duty", station=network.station_b.pk)
    assert values(html) == set()
    _, html = search(client_for(network.users["county"]), "representatives", q="值班", scope="duty",
                     station=network.station_b.pk)
    assert values(html) == {b.pk}


def test_activity_invitations_by_a_station_of_another_scope_are_refused(network, client_for):
    from tests.activities.helpers import make_activity

    activity = make_activity(network)
    make_representative(network, name="乙站受邀", station=network.station_b)
    client = client_for(network.users["officer"])
    response = client.post(reverse("activities:invite", args=[activity.pk]), {"stations": [network.station_b.pk]})
    assert response.status_code in (200, 302)
    assert not activity.invitations.filter(representative__name="乙站受邀").exists()


def test_several_stations_can_be_chosen_and_are_shown_back(network, client_for):
    from liaison.activities.forms import InviteForm

    user = network.users["county"]
    form = InviteForm({"stations": [network.station_a.pk, network.station_b.pk]}, user=user)
    assert form.is_valid(), form.errors
    assert set(form.cleaned_data["stations"]) == {network.station_a, network.station_b}
    html = str(form["stations"])
    assert html.count('type="checkbox"') == 2 and html.count("checked") == 2
    assert "甲镇联络站" in html and "乙乡联络站" in html


def test_register_communities_are_searched_only_for_an_entry_the_user_may_change(network, client_for):
    from tests.representatives.register_helpers import build_register

    register = build_register(network)
    to_b = register.entry("乡甲去乙")  # origin station A, host station B
    from_b = register.entry("县乙进城")  # origin station B, host the county town
    officer = client_for(network.users["officer"])
    _, html = search(officer, "divisions", q="乙村", scope="community", entry=to_b.pk)
    assert values(html) == {register.village_b.pk}
    _, html = search(officer, "divisions", q="社区", scope="community", entry=from_b.pk)
    assert values(html) == set()
    _, html = search(client_for(register.users["officer_town"]), "divisions", q="社区", scope="community",
                     entry=from_b.pk)
    assert values(html) == {register.community.pk}
    # The edit form shows the entry's community (its label rendered by the server).
    from representatives.services.mobile_register import register_entry_update

    register_entry_update(actor=network.users["superuser"], entry=to_b, community=register.village_b)
    client = client_for(network.users["county"])
    html = client.get(reverse("representatives:register_update", args=[to_b.pk])).content.decode()
    assert f'name="community" value="{register.village_b.pk}" checked' in html
