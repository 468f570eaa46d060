"""Which sign-in accounts an officer may link to a representative (liaison.access.accounts_linkable)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from liaison import access
from liaison.models import RoleGrant
from representatives.services import roster
from tests.factories import UserFactory, grant
from tests.representatives.factories import make_representative

REFUSED = "无法关联该用户名的账号"


@pytest.fixture
def rep(network):
    return make_representative(network, name="甲代表")


def link(client, rep, username):
    response = client.post(reverse("representatives:link_user", args=[rep.pk]), {"username": username}, follow=True)
    rep.refresh_from_db()
    return response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["unit", "officer", "point_officer", "township", "county", "superuser"])
def test_an_account_with_another_role_cannot_be_linked(network, rep, client_for, username):
    client = client_for(network.users["officer"])
    page = link(client, rep, network.users[username].username)
    assert REFUSED in page
    assert rep.user is None
    assert not RoleGrant.objects.filter(user=network.users[username], role=RoleGrant.Role.REPRESENTATIVE).exists()


@pytest.mark.django_db
def test_the_answer_is_the_same_whether_or_not_the_account_exists(network, rep, client_for):
    client = client_for(network.users["officer"])
    other_officer = UserFactory(username="officer-b")
    grant(other_officer, RoleGrant.Role.STATION_OFFICER, station=network.station_b)
    elsewhere = make_representative(network, name="乙代表", station=network.station_b)
    taken = UserFactory(username="taken-elsewhere")
    roster.representative_link_user(actor=network.users["county"], representative=elsewhere, user=taken)
    inactive = UserFactory(username="inactive", is_active=False)

    def messages_for(username):
        response = client.post(reverse("representatives:link_user", args=[rep.pk]), {"username": username}, follow=True)
        return [str(m) for m in response.context["messages"]]

    answers = {
        name: messages_for(name) for name in ("no-such-user", "officer-b", "unit", "taken-elsewhere", inactive.username)
    }
    assert len({tuple(a) for a in answers.values()}) == 1, answers
    assert REFUSED in answers["no-such-user"][0]
    rep.refresh_from_db()
    assert rep.user is None


@pytest.mark.django_db
def test_a_new_account_or_one_of_the_officers_own_representatives_can_be_linked(network, rep, client_for):
    client = client_for(network.users["officer"])
    new = UserFactory(username="new-rep-account")
    link(client, rep, "new-rep-account")
    assert rep.user == new
    assert access.roles(new) == {RoleGrant.Role.REPRESENTATIVE}

    # An account set up with the representative role only, not yet linked: linkable.
    second = make_representative(network, name="丙代表")
    link(client, second, "representative")
    assert second.user == network.users["representative"]

    # Linked to a representative in the officer's scope: the officer is told it is taken.
    third = make_representative(network, name="丁代表")
    page = link(client, third, "new-rep-account")
    assert "该账号已关联其他代表" in page
    assert third.user is None


@pytest.mark.django_db
def test_the_service_refuses_too(network, rep):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        roster.representative_link_user(actor=network.users["officer"], representative=rep, user=network.users["unit"])
    assert "username" in exc.value.message_dict
    rep.refresh_from_db()
    assert rep.user is None


@pytest.mark.django_db
def test_accounts_linkable_is_empty_without_the_roster(network):
    for role in ("unit", "representative", "norole"):
        assert not access.accounts_linkable(network.users[role]).exists()
    assert access.accounts_linkable(network.users["officer"]).filter(username="norole").exists()
