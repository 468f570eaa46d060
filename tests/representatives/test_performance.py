"""Performance records: each source makes exactly one record and undoing it removes it; points
follow the rules in force on the record's date; yearly caps; records added by hand are verified."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from liaison.activities.services import activities as activity_services
from liaison.models import ActivityInvitation
from representatives.models import PerformanceKind, PerformanceRecord
from representatives.selectors import performance as selectors
from representatives.services import performance as services
from tests.activities.helpers import invite, local, make_activity
from tests.representatives.factories import make_representative
from tests.voters.factories import make_household
from tests.voters.reception_helpers import make_day
from voters.services import grid as grid_services
from voters.services import visits as visit_services

K = PerformanceKind


def kinds(rep):
    return sorted(PerformanceRecord.objects.filter(representative=rep).values_list("kind", flat=True))


def rules(**points):
    """Every kind at 1 point without a cap, but for those given as kind=(points, cap)."""
    values = dict.fromkeys(K.values, ("1", ""))
    values.update({kind: (str(p), "" if cap is None else str(cap)) for kind, (p, cap) in points.items()})
    return values


@pytest.fixture
def rep(network):
    return make_representative(network, name="履职甲")


def test_attendance_makes_one_record_by_the_activitys_kind_and_undoing_removes_it(network, rep):
    admin = network.users["superuser"]
    training = make_activity(network, kind="training", starts_at=timezone.now() - datetime.timedelta(hours=1))
    meeting = make_activity(network, kind="meeting", starts_at=timezone.now() - datetime.timedelta(hours=2))
    for activity in (training, meeting):
        invite(network, activity, rep)
        invitation = activity.invitations.get()
        for _twice in range(2):
            activity_services.activity_attendance_record(actor=admin, activity=activity, attended_ids=[invitation.pk])
    assert kinds(rep) == ["activity", "training"]
    record = PerformanceRecord.objects.get(kind="training")
    assert record.date == timezone.localdate(training.starts_at)
    assert record.counts and record.source_type.model == "activityinvitation"
    # Unticking the attendance removes the record; cancelling the activity removes the other.
    activity_services.activity_attendance_record(actor=admin, activity=training, attended_ids=[])
    assert kinds(rep) == ["activity"]
    activity_services.activity_cancel(actor=admin, activity=meeting)
    assert kinds(rep) == []


def test_check_in_twice_makes_one_record_and_a_moved_activity_moves_it(network):
    from tests.activities.helpers import rep_with_account

    rep, user = rep_with_account(network)
    activity = make_activity(network, kind="inspection", starts_at=timezone.now() + datetime.timedelta(minutes=10))
    invite(network, activity, rep)
    activity_services.activity_check_in(user=user, activity=activity)
    activity_services.activity_check_in(user=user, activity=activity)
    assert kinds(rep) == ["inspection"]
    assert ActivityInvitation.objects.get().attended_at
    activity_services.activity_update(
        actor=network.users["superuser"], activity=activity, kind="research", starts_at=local(2026, 3, 2, 9)
    )
    record = PerformanceRecord.objects.get(representative=rep)
    assert (record.kind, record.date) == ("activity", datetime.date(2026, 3, 2))


def test_reception_day_held_makes_one_record_per_duty_and_unholding_removes_them(network, rep):
    admin = network.users["superuser"]
    declined = make_representative(network, name="请假者")
    day = make_day(network.station_a, timezone.localdate() - datetime.timedelta(days=1), rep)
    from voters.models import DutyAssignment

    DutyAssignment.objects.create(day=day, representative=declined, status="declined")
    for _twice in range(2):
        visit_services.reception_day_record_held(actor=admin, day_id=day.pk, visitor_count=4)
    visit_services.visit_log(actor=admin, day_id=day.pk, items=["路灯坏了"])
    assert kinds(rep) == ["reception"] and kinds(declined) == []
    assert PerformanceRecord.objects.get().date == day.date
    with pytest.raises(ValidationError):  # a visit is logged: not undone silently
        visit_services.reception_day_record_not_held(actor=admin, day_id=day.pk)
    day.visits.all().delete()
    visit_services.reception_day_record_not_held(actor=admin, day_id=day.pk)
    assert kinds(rep) == []


def test_household_visit_makes_one_record_and_deleting_it_removes_it(network, rep):
    household = make_household(network)
    visit = grid_services.household_visit_log(
        actor=network.users["officer"], household=household, representative=rep, visited_on=datetime.date(2026, 5, 4)
    )
    assert kinds(rep) == ["household_visit"]
    assert PerformanceRecord.objects.get().date == datetime.date(2026, 5, 4)
    with pytest.raises(PermissionDenied):
        grid_services.household_visit_delete(actor=network.users["norole"], visit=visit)
    grid_services.household_visit_delete(actor=network.users["officer"], visit=visit)
    assert kinds(rep) == []


def test_the_public_seam_takes_any_model_instance_once(network, rep):
    """The suggestions app calls these with its proposals: any model instance is a source."""
    other = make_representative(network, name="联名者")
    source = network.station_a  # stands for a proposal
    for _twice in range(2):
        services.performance_record_add_for_source(
            representative=rep, kind=K.PROPOSAL_FILED, source=source, date=datetime.date(2026, 4, 1), actor=None
        )
    services.performance_record_add_for_source(
        representative=other, kind=K.PROPOSAL_COSIGNED, source=source, date=datetime.date(2026, 4, 1)
    )
    assert PerformanceRecord.objects.count() == 2
    # A second call corrects the date instead of adding a record.
    services.performance_record_add_for_source(
        representative=rep, kind=K.PROPOSAL_FILED, source=source, date=datetime.date(2026, 4, 9)
    )
    assert PerformanceRecord.objects.get(representative=rep).date == datetime.date(2026, 4, 9)
    assert services.performance_records_remove_for_source(source=source, representative=other) == 1
    assert services.performance_records_remove_for_source(source=source) == 1
    assert services.performance_records_remove_for_source(source=source) == 0


def test_points_follow_the_rules_in_force_on_each_date_and_a_change_reprices(network, rep):
    county = network.users["county"]
    services.points_rule_set_save(actor=county, valid_from=datetime.date(2026, 1, 1), rules=rules(reception=(3, None)))
    july = services.points_rule_set_save(
        actor=county, valid_from=datetime.date(2026, 7, 1), rules=rules(reception=(5, None))
    )
    march, august = datetime.date(2026, 3, 10), datetime.date(2026, 8, 10)
    for day, source in ((march, network.point_a), (august, network.point_b)):
        services.performance_record_add_for_source(representative=rep, kind=K.RECEPTION, source=source, date=day)
    points = dict(PerformanceRecord.objects.filter(source_type__model="station").values_list("date", "points"))
    assert points == {march: Decimal("3"), august: Decimal("5")}
    # Changing the July rules re-prices August, not March.
    services.points_rule_set_save(
        actor=county, rule_set=july, valid_from=datetime.date(2026, 7, 1), rules=rules(reception=(4, None))
    )
    points = dict(PerformanceRecord.objects.filter(source_type__model="station").values_list("date", "points"))
    assert points == {march: Decimal("3"), august: Decimal("4")}


def test_yearly_cap_limits_a_kinds_points_in_the_year(network, rep):
    services.points_rule_set_save(
        actor=network.users["county"], valid_from=datetime.date(2026, 1, 1), rules=rules(household_visit=(2, 5))
    )
    household = make_household(network)
    for day in range(1, 5):
        grid_services.household_visit_log(
            actor=network.users["officer"],
            household=household,
            representative=rep,
            visited_on=datetime.date(2026, 6, day),
        )
    summary = selectors.year_summary(representative=rep, year=2026)
    line = next(line for line in summary.lines if line.kind == "household_visit")
    assert (line.count, line.points, line.capped, line.over_cap) == (4, Decimal("8"), Decimal("5"), True)
    assert summary.total == Decimal("5")


def test_only_county_staff_change_the_rules_and_bad_values_change_nothing(network):
    with pytest.raises(PermissionDenied):
        services.points_rule_set_save(
            actor=network.users["township"], valid_from=datetime.date(2026, 1, 1), rules=rules()
        )
    bad = rules()
    bad["reception"] = ("abc", "-1")
    with pytest.raises(ValidationError) as exc:
        services.points_rule_set_save(actor=network.users["county"], valid_from=datetime.date(2026, 1, 1), rules=bad)
    assert set(exc.value.message_dict) == {"points_reception", "cap_reception"}
    assert not selectors.rule_sets().exists()


def test_a_record_added_by_hand_counts_once_someone_else_verified_it(network, rep):
    officer, township = network.users["officer"], network.users["township"]
    record = services.performance_record_add_manual(
        actor=officer,
        representative=rep,
        kind="other",
        date=datetime.date(2026, 2, 1),
        note="参加县人大座谈",
        points="4",
    )
    assert not record.counts
    assert selectors.year_summary(representative=rep, year=2026).total == 0
    with pytest.raises(PermissionDenied):
        services.performance_record_verify(actor=officer, record=record)
    services.performance_record_verify(actor=township, record=record)
    assert selectors.year_summary(representative=rep, year=2026).total == Decimal("4")
    # Another station's staff may not add one; bad input is refused field by field.
    other = make_representative(network, name="乙乡人", station=network.station_b)
    with pytest.raises(ValidationError) as exc:
        services.performance_record_add_manual(
            actor=officer,
            representative=other,
            kind="x",
            date=timezone.localdate() + datetime.timedelta(days=2),
            note="",
        )
    assert set(exc.value.message_dict) == {"representative", "kind", "date", "note"}


def test_removing_rules_saved_by_mistake_reprices_their_records(network, rep, client_for):
    county = network.users["county"]
    services.points_rule_set_save(actor=county, valid_from=datetime.date(2026, 1, 1), rules=rules(reception=(3, None)))
    mistake = services.points_rule_set_save(
        actor=county, valid_from=datetime.date(2026, 7, 1), rules=rules(reception=(50, None))
    )
    august = datetime.date(2026, 8, 10)
    services.performance_record_add_for_source(
        representative=rep, kind=K.RECEPTION, source=network.point_a, date=august
    )
    assert PerformanceRecord.objects.get(representative=rep).points == Decimal("50")
    url = reverse("representatives:points_rules_delete", args=[mistake.pk])
    # Only county staff over the whole instance remove rules; a GET changes nothing.
    for role, status in (("township", 403), ("officer", 403), ("representative", 403)):
        assert client_for(network.users[role]).post(url).status_code == status
    assert client_for(county).get(url).status_code == 405
    assert selectors.rule_sets().count() == 2
    page = client_for(county).get(reverse("representatives:points_rules")).content.decode()
    assert page.count('data-testid="rule-set-delete"') == 2
    response = client_for(county).post(url, follow=True)
    assert "2026-07-01" in response.content.decode()
    assert list(selectors.rule_sets().values_list("valid_from", flat=True)) == [datetime.date(2026, 1, 1)]
    assert PerformanceRecord.objects.get(representative=rep).points == Decimal("3")
    assert client_for(county).post(url).status_code == 404
