"""Correction requests: proposed values per field, applied (all or some) or rejected in one step,
with the representative told exactly once and the record's history naming the officer."""

import pytest
from django.urls import reverse

from liaison import services as network_services
from liaison.models import Notification
from representatives.models import RecordCorrection
from representatives.services import corrections as correction_services
from representatives.services import roster
from tests.representatives.factories import make_representative

PROPOSAL = {
    "phone": "13911112222",
    "residence_address": "县城东路 8 号",
    "occupation": "县农业合作社理事长",
    "specialties_text": "农业、法律",
    "message": "",
}


@pytest.fixture
def rep(network):
    network_services.station_update(
        actor=network.users["superuser"], station=network.station_a, officer=network.users["officer"]
    )
    rep = make_representative(network, name="李四", phone="13900009999", occupation="村主任", specialties=["农业"])
    roster.representative_link_user(
        actor=network.users["superuser"], representative=rep, user=network.users["representative"]
    )
    return rep


def propose(client_for, network, rep, **values):
    client = client_for(network.users["representative"])
    response = client.post(reverse("representatives:correction_request", args=[rep.pk]), {**PROPOSAL, **values})
    assert response.status_code == 302
    return rep.corrections.get()


def told(network):
    return Notification.objects.filter(recipient=network.users["representative"], kind="record_correction_resolved")


def test_the_request_holds_structured_values_and_reaches_the_officer(network, rep, client_for):
    correction = propose(client_for, network, rep)
    assert correction.proposed == {
        "phone": "13911112222",
        "residence_address": "县城东路 8 号",
        "occupation": "县农业合作社理事长",
        "specialties": ["农业", "法律"],
    }
    assert correction.original["phone"] == "13900009999"
    assert correction.original["specialties"] == ["农业"]
    notification = Notification.objects.get(recipient=network.users["officer"], kind="record_correction")
    assert "13911112222" in notification.body
    assert notification.url == reverse("representatives:correction_detail", args=[correction.pk])


def test_unchanged_values_are_no_proposal(network, rep, client_for):
    correction = propose(
        client_for, network, rep, phone="13900009999", residence_address="幸福路 1 号", specialties_text="农业"
    )
    assert set(correction.proposed) == {"occupation"}


def test_an_empty_request_is_refused_in_chinese(network, rep, client_for):
    client = client_for(network.users["representative"])
    response = client.post(
        reverse("representatives:correction_request", args=[rep.pk]),
        {
            **PROPOSAL,
            "phone": "13900009999",
            "residence_address": "幸福路 1 号",
            "occupation": "村主任",
            "specialties_text": "农业",
        },
        follow=True,
    )
    assert "请至少修改一项内容，或说明需要更正什么。" in response.content.decode()
    assert not RecordCorrection.objects.exists()
    response = client.post(
        reverse("representatives:correction_request", args=[rep.pk]), {**PROPOSAL, "phone": "12345"}, follow=True
    )
    assert "请输入以 1 开头的 11 位手机号码。" in response.content.decode()
    # The form comes back as typed.
    assert response.context["correction_form"]["occupation"].value() == "县农业合作社理事长"
    assert not RecordCorrection.objects.exists()


def test_accept_all_applies_through_the_roster_and_tells_the_representative_once(network, rep, client_for):
    correction = propose(client_for, network, rep)
    officer = client_for(network.users["officer"])
    page = officer.get(reverse("representatives:correction_detail", args=[correction.pk]))
    assert page.status_code == 200
    assert len(page.context["rows"]) == 4
    response = officer.post(
        reverse("representatives:correction_detail", args=[correction.pk]),
        {"decision": "accept", "fields": ["phone", "residence_address", "occupation", "specialties"]},
    )
    assert response.status_code == 302
    rep.refresh_from_db()
    assert rep.phone == "13911112222"
    assert rep.occupation == "县农业合作社理事长"
    assert sorted(s.name for s in rep.specialties.all()) == ["农业", "法律"]
    last = rep.history.latest("history_date")
    assert last.history_user == network.users["officer"]
    assert last.phone == "13911112222"
    correction.refresh_from_db()
    assert correction.outcome == RecordCorrection.Outcome.ACCEPTED
    assert correction.resolved_by == network.users["officer"]
    (notification,) = told(network)
    assert notification.title == "您的信息更正申请已采纳"
    assert notification.key == f"record_correction_resolved:{correction.pk}"
    # Handled twice (a double click): refused, and still one notification.
    again = officer.post(
        reverse("representatives:correction_detail", args=[correction.pk]), {"decision": "accept", "fields": ["phone"]}
    )
    assert "该更正申请已经处理过了。" in again.content.decode()
    assert told(network).count() == 1


def test_accept_some_needs_a_reason_and_applies_only_those(network, rep, client_for):
    correction = propose(client_for, network, rep)
    officer = client_for(network.users["officer"])
    url = reverse("representatives:correction_detail", args=[correction.pk])
    response = officer.post(url, {"decision": "accept", "fields": ["phone"]})
    assert response.status_code == 200
    assert "请说明其余内容不予采纳的原因。" in response.content.decode()
    rep.refresh_from_db()
    assert rep.phone == "13900009999"
    assert not told(network).exists()
    response = officer.post(url, {"decision": "accept", "fields": ["phone"], "reason": "单位名称以任职文件为准"})
    assert response.status_code == 302
    rep.refresh_from_db()
    assert rep.phone == "13911112222"
    assert rep.occupation == "村主任"
    assert [s.name for s in rep.specialties.all()] == ["农业"]
    correction.refresh_from_db()
    assert correction.outcome == RecordCorrection.Outcome.PARTLY_ACCEPTED
    assert correction.applied_fields == ["phone"]
    (notification,) = told(network)
    assert notification.title == "您的信息更正申请已部分采纳"
    assert "单位名称以任职文件为准" in notification.body
    assert "手机号码" in notification.body
    assert rep.history.latest("history_date").history_user == network.users["officer"]


def test_reject_needs_a_reason_and_changes_nothing(network, rep, client_for):
    correction = propose(client_for, network, rep)
    officer = client_for(network.users["officer"])
    url = reverse("representatives:correction_detail", args=[correction.pk])
    history_before = rep.history.count()
    response = officer.post(url, {"decision": "reject", "reason": "  "})
    assert "请填写不予采纳的原因。" in response.content.decode()
    correction.refresh_from_db()
    assert correction.resolved_at is None
    assert not told(network).exists()
    response = officer.post(url, {"decision": "reject", "reason": "号码与选举登记不一致，请到站核实"})
    assert response.status_code == 302
    rep.refresh_from_db()
    assert rep.phone == "13900009999"
    assert rep.history.count() == history_before
    correction.refresh_from_db()
    assert correction.outcome == RecordCorrection.Outcome.REJECTED
    (notification,) = told(network)
    assert notification.title == "您的信息更正申请未被采纳"
    assert "号码与选举登记不一致" in notification.body
    # The representative reads the outcome on their own list and page.
    mine = client_for(network.users["representative"]).get(
        reverse("representatives:correction_detail", args=[correction.pk])
    )
    assert "号码与选举登记不一致" in mine.content.decode()


def test_a_record_changed_since_shows_old_current_and_proposed(network, rep, client_for):
    correction = propose(client_for, network, rep)
    roster.representative_update(actor=network.users["county"], representative=rep, phone="13955556666")
    page = client_for(network.users["officer"]).get(reverse("representatives:correction_detail", args=[correction.pk]))
    phone = next(row for row in page.context["rows"] if row["name"] == "phone")
    assert (phone["original"], phone["current"], phone["proposed"]) == ("13900009999", "13955556666", "13911112222")
    assert phone["changed_since"]
    assert "申请后已被修改" in page.content.decode()


def test_a_free_text_request_stays_readable_and_can_be_marked_applied(network, rep, client_for):
    correction = correction_services.correction_request(
        actor=network.users["representative"], representative=rep, message="民族应为畲族"
    )
    officer = client_for(network.users["officer"])
    page = officer.get(reverse("representatives:correction_detail", args=[correction.pk]))
    assert "民族应为畲族" in page.content.decode()
    assert page.context["rows"] == []
    officer.post(reverse("representatives:correction_resolve", args=[correction.pk]), {"decision": "accept"})
    correction.refresh_from_db()
    assert correction.outcome == RecordCorrection.Outcome.ACCEPTED
    assert told(network).count() == 1


def test_only_the_representatives_station_may_decide(network, rep, client_for):
    from tests.factories import UserFactory, grant

    correction = propose(client_for, network, rep)
    other = UserFactory(username="officer_other")
    grant(other, "station_officer", station=network.station_b)
    url = reverse("representatives:correction_detail", args=[correction.pk])
    assert client_for(other).get(url).status_code == 404
    assert client_for(other).post(url, {"decision": "reject", "reason": "x"}).status_code == 404
    # The representative sees their request but cannot decide on it.
    assert client_for(network.users["representative"]).get(url).status_code == 200
    response = client_for(network.users["representative"]).post(url, {"decision": "accept", "fields": ["phone"]})
    assert response.status_code == 404
    correction.refresh_from_db()
    assert correction.resolved_at is None


def test_the_request_reaches_every_officer_of_the_home_station_as_reminders_do(network, rep, client_for):
    """One rule for whom a station's news goes to (liaison.selectors.station_officers): the officer
    named on the station and every officer grant on it, each once; not the officers of its points."""
    from liaison.models import RoleGrant
    from liaison.selectors import station_officers
    from tests.factories import UserFactory, grant

    second = UserFactory(username="second_officer")
    grant(second, RoleGrant.Role.STATION_OFFICER, station=network.station_a)
    gone = UserFactory(username="gone_officer", is_active=False)
    grant(gone, RoleGrant.Role.STATION_OFFICER, station=network.station_a)
    officers = station_officers([network.station_a.pk])[network.station_a.pk]
    assert officers == sorted([network.users["officer"], second], key=lambda user: user.pk)
    correction = propose(client_for, network, rep)
    told_officers = Notification.objects.filter(kind="record_correction").values_list("recipient__username", flat=True)
    assert sorted(told_officers) == ["officer", "second_officer"]
    assert {n.url for n in Notification.objects.filter(kind="record_correction")} == {
        reverse("representatives:correction_detail", args=[correction.pk])
    }
