import pytest
from django.urls import reverse

from representatives.models import GroupMembership, RepresentativeGroup
from representatives.services import groups
from tests.representatives.factories import make_representative

ROLES = ["anonymous", "superuser", "county", "township", "officer", "point_officer", "representative", "unit", "norole"]


@pytest.fixture
def group_a(network):
    return groups.group_create(
        actor=network.users["officer"], name="甲镇帮搬团", kind="relocation_help", station=network.station_a
    )


@pytest.fixture
def group_b(network):
    return groups.group_create(
        actor=network.users["county"], name="乙乡共治组", kind="co_governance", station=network.station_b
    )


TABLE = {
    #           anon super county town  officer point rep  unit norole
    "list":     [302, 200, 200, 200, 200, 200, 403, 403, 403],
    "create":   [302, 200, 200, 200, 200, 200, 403, 403, 403],
    "detail_a": [302, 200, 200, 200, 200, 404, 403, 403, 403],
    "edit_a":   [302, 200, 200, 200, 200, 404, 403, 403, 403],
    "detail_b": [302, 200, 200, 404, 404, 404, 403, 403, 403],
    "edit_b":   [302, 200, 200, 404, 404, 404, 403, 403, 403],
}  # fmt: skip
CASES = [(page, role, statuses[i]) for page, statuses in TABLE.items() for i, role in enumerate(ROLES)]


@pytest.mark.parametrize(("page", "role", "expected"), CASES, ids=[f"{p}-{r}" for p, r, _ in CASES])
def test_group_pages_access(network, group_a, group_b, client_for, page, role, expected):
    urls = {
        "list": reverse("representatives:group_list"),
        "create": reverse("representatives:group_create"),
        "detail_a": reverse("representatives:group_detail", args=[group_a.pk]),
        "edit_a": reverse("representatives:group_update", args=[group_a.pk]),
        "detail_b": reverse("representatives:group_detail", args=[group_b.pk]),
        "edit_b": reverse("representatives:group_update", args=[group_b.pk]),
    }
    user = None if role == "anonymous" else network.users[role]
    assert client_for(user).get(urls[page]).status_code == expected


def test_officer_creates_a_group_and_adds_members(network, client_for):
    rep = make_representative(network, name="蓝丽芳")
    client = client_for(network.users["officer"])
    response = client.post(
        reverse("representatives:group_create"),
        {"name": "产业服务帮搬团", "kind": "relocation_help", "station": network.station_a.pk, "description": ""},
    )
    group = RepresentativeGroup.objects.get(name="产业服务帮搬团")
    assert response.status_code == 302
    client.post(reverse("representatives:group_members", args=[group.pk]), {"representative": rep.pk, "role": "leader"})
    assert GroupMembership.objects.get(group=group).role == "leader"
    page = client.get(group.get_absolute_url()).content.decode()
    assert "蓝丽芳" in page and "组长" in page
    client.post(reverse("representatives:group_members", args=[group.pk]), {"remove": rep.pk})
    assert not GroupMembership.objects.filter(group=group).exists()


def test_duplicate_or_empty_group_name_writes_nothing(network, group_a, client_for):
    client = client_for(network.users["officer"])
    for name, message in [("甲镇帮搬团", "已经存在"), ("  ", "请输入小组名称")]:
        response = client.post(
            reverse("representatives:group_create"), {"name": name, "kind": "group", "station": network.station_a.pk}
        )
        assert response.status_code == 200
        assert message in response.content.decode()
    assert RepresentativeGroup.objects.count() == 1


def test_officer_cannot_add_another_stations_representative(network, group_a, client_for):
    other = make_representative(network, station=network.station_b)
    client = client_for(network.users["officer"])
    response = client.post(
        reverse("representatives:group_members", args=[group_a.pk]),
        {"representative": other.pk, "role": "member"},
        follow=True,
    )
    assert "请选择一名代表" in response.content.decode()
    assert not GroupMembership.objects.exists()


def test_group_list_queries_are_constant(network, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(network.users["county"])

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("representatives:group_list")).status_code == 200
        return len(ctx.captured_queries)

    groups.group_create(actor=network.users["county"], name="组0", station=network.station_a)
    small = count()
    for i in range(1, 30):
        group = groups.group_create(actor=network.users["county"], name=f"组{i}", station=network.station_b)
        groups.group_add_member(actor=network.users["county"], group=group, representative=make_representative(network))
    assert count() == small


def test_membership_changes_are_attributed(network, group_a):
    rep = make_representative(network)
    officer = network.users["officer"]
    groups.group_add_member(actor=officer, group=group_a, representative=rep)
    groups.group_add_member(actor=officer, group=group_a, representative=rep, role="leader")
    groups.group_remove_member(actor=network.users["county"], group=group_a, representative_id=rep.pk)
    records = list(
        GroupMembership.history.order_by("history_date").values_list("history_type", "history_user__username")
    )
    assert records == [("+", "officer"), ("~", "officer"), ("-", "county")]


def test_services_refuse_a_group_the_actor_may_not_change_whoever_calls_them(network, group_b):
    """One rule for all services: each asks access itself and raises PermissionDenied (the view's
    404/403 comes first; a task, a command or another service gets the same answer)."""
    from django.core.exceptions import PermissionDenied

    officer = network.users["officer"]
    rep = make_representative(network, name="王五")
    with pytest.raises(PermissionDenied):
        groups.group_add_member(actor=officer, group=group_b, representative=rep)
    with pytest.raises(PermissionDenied):
        groups.group_remove_member(actor=officer, group=group_b, representative_id=rep.pk)
    with pytest.raises(PermissionDenied):
        groups.group_update(actor=officer, group=group_b, name="改名")
    group_b.refresh_from_db()
    assert group_b.name == "乙乡共治组" and not group_b.memberships.exists()
