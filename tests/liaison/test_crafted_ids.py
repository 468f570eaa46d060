"""Crafted ids never answer 500: every URL with an id and every id read from a query or a form.

'²' passes str.isdigit() but not int(); 23 digits overflow PostgreSQL's bigint; '-1' and '0' are
ids no row has. Each is a 404, a redirect, or a form error, for every role that can reach the page.
"""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from liaison.ids import MAX_ID, IdConverter, parse_id, parse_ids
from representatives.models import GroupMembership, RepresentativeGroup
from representatives.services import refresh as refresh_services
from tests.representatives.register_helpers import build_register

CRAFTED = ["²", "-1", "0", "1" * 23, str(MAX_ID + 1), "1e3", " 7", "٣"]
ROLES = ["county", "township", "officer", "representative", "unit", None]
OK = {200, 302, 403, 404}


def test_parse_id():
    assert parse_id("12") == 12
    assert parse_id(12) == 12
    assert parse_id(str(MAX_ID)) == MAX_ID
    for value in [*CRAFTED[:-2], "", None, "abc", "1.0", True, 0, -5, MAX_ID + 1, ["1"]]:
        assert parse_id(value) is None, value
    assert parse_ids(["3", "²", "x", "1" * 23, "4"]) == [3, 4]


def test_id_converter_refuses_out_of_range():
    converter = IdConverter()
    assert converter.to_python("42") == 42
    for value in ("0", str(MAX_ID + 1)):
        with pytest.raises(ValueError):
            converter.to_python(value)


def id_routes():
    """(route with '{id}' in place of each id, names of the ids) for every URL pattern taking one."""
    found = []

    def walk(patterns, prefix):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern) and any(
                name == "pk" or name.endswith("_id") for name in pattern.pattern.converters
            ):
                found.append((re.sub(r"<\w+:\w+>", "{id}", route), sorted(pattern.pattern.converters)))

    walk(get_resolver().url_patterns, "/")
    return found


def test_every_id_in_the_urlconf_uses_the_bounded_converter():
    ours = []

    def walk(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if str(pattern.pattern) != "admin/":  # Django's admin parses its own ids
                    walk(pattern.url_patterns)
            elif pattern.pattern.converters:
                ours.append(pattern)

    walk(get_resolver().url_patterns)
    assert len(ours) >= 20
    for pattern in ours:
        for name, converter in pattern.pattern.converters.items():
            if name.endswith(("pk", "id")):
                assert isinstance(converter, IdConverter), pattern


@pytest.fixture
def world(network):
    reg = build_register(network)
    admin = network.users["superuser"]
    group = RepresentativeGroup.objects.create(station=network.station_a, name="甲镇代表小组")
    GroupMembership.objects.create(group=group, representative=reg.reps["乡甲在家"])
    campaign = refresh_services.register_refresh_open(
        actor=admin, period_start=refresh_services.half_year_start(timezone.localdate())
    )
    return network, reg, group, campaign


@pytest.mark.django_db
def test_every_url_with_an_id_answers_404_to_crafted_ids(world, client_for):
    network, *_ = world
    routes = [(route, names) for route, names in id_routes() if not route.startswith("/admin/")]
    assert len(routes) >= 20
    for role in ROLES:
        client = client_for(network.users[role] if role else None)
        for route, _names in routes:
            for value in CRAFTED:
                url = route.replace("{id}", value)
                for method in (client.get, client.post):
                    response = method(url)
                    assert response.status_code in OK, (role, method.__name__, url, response.status_code)
                    if response.status_code == 200:
                        pytest.fail(f"{url} answered 200 to a crafted id")


def query_cases(network, reg, group, campaign):
    """(method, url, parameter names read as ids)."""
    entry = reg.entry("乡甲进城")
    confirmation = campaign.confirmations.first()
    return [
        ("get", reverse("liaison:station_tree"), ["township"]),
        ("get", reverse("liaison:station_create"), ["parent"]),
        ("post", reverse("liaison:station_create"), ["parent", "division", "officer"]),
        ("post", reverse("liaison:station_update", args=[network.station_a.pk]), ["parent", "division", "officer"]),
        ("post", reverse("liaison:inbox"), ["notification"]),
        ("get", reverse("representatives:list"), ["home_station", "district_township", "specialty"]),
        (
            "post",
            reverse("representatives:create"),
            ["home_station", "district_township", "residence_division"],
        ),
        ("post", reverse("representatives:group_create"), ["station", "specialty"]),
        ("post", reverse("representatives:group_update", args=[group.pk]), ["station", "specialty"]),
        ("post", reverse("representatives:group_members", args=[group.pk]), ["remove"]),
        ("post", reverse("representatives:group_members", args=[group.pk]), ["representative"]),
        ("get", reverse("representatives:register"), ["origin", "host"]),
        ("get", reverse("representatives:register_print"), ["origin", "host"]),
        ("get", reverse("representatives:register_export"), ["station"]),
        ("get", reverse("representatives:register_export"), ["origin", "host"]),
        ("get", reverse("representatives:joint_meeting_record"), ["origin", "host"]),
        ("post", reverse("representatives:register_update", args=[entry.pk]), ["community"]),
        ("get", reverse("representatives:refresh_detail", args=[campaign.pk]), ["station"]),
        ("post", reverse("representatives:refresh_confirm", args=[confirmation.pk]), ["community"]),
        ("post", reverse("representatives:refresh_mine"), ["community"]),
        ("get", reverse("representatives:mobility_report"), ["township", "station"]),
    ]


@pytest.mark.django_db
def test_ids_in_queries_and_forms_never_answer_500(world, client_for):
    network, reg, group, campaign = world
    users = {**network.users, **reg.users}
    roles = [*ROLES, "officer_b", "superuser"]
    for role in roles:
        client = client_for(users[role] if role else None)
        for method, url, names in query_cases(network, reg, group, campaign):
            for value in CRAFTED:
                data = dict.fromkeys(names, value)
                if method == "post":
                    data.setdefault("name", "新名称")
                    data.setdefault("action", "correct")
                response = getattr(client, method)(url, data)
                assert response.status_code in OK, (role, method, url, data, response.status_code)


@pytest.mark.django_db
def test_crafted_joint_meeting_ids_redirect_to_the_register(world, client_for):
    network, *_ = world
    client = client_for(network.users["officer"])
    url = reverse("representatives:joint_meeting_record")
    for value in CRAFTED:
        response = client.get(url, {"origin": value, "host": value})
        assert response.status_code in (302, 404)
