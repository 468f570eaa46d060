"""Handling services, the main paths: triage, assignment with deadlines, the unit's steps, rating, closing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from liaison.models import Notification
from suggestions.models import Assignment, ExtensionRequest, Suggestion
from suggestions.services import handling
from tests.suggestions.core_helpers import (
    answered,
    assigned,
    lead_assignment,
    make_suggestion,
    make_unit,
    representative_user,
)

pytestmark = pytest.mark.django_db


def test_accept_then_assign_with_deadlines_from_the_rules(network):
    unit2, unit2_user = make_unit(network)
    officer = network.users["officer"]
    suggestion = make_suggestion(network)
    handling.suggestion_accept(actor=officer, suggestion_id=suggestion.pk, version=suggestion.version)
    handling.suggestion_assign(
        actor=officer, suggestion_id=suggestion.pk, lead_unit_id=network.unit.pk, co_unit_ids=[unit2.pk]
    )
    suggestion.refresh_from_db()
    lead = lead_assignment(suggestion)
    co = suggestion.assignments.get(role="co")
    assert suggestion.status == "assigned"
    assert suggestion.due_on == lead.due_on > lead.return_by
    assert co.unit == unit2 and co.return_by is None
    assert list(suggestion.timeline.values_list("action", flat=True)) == ["submit", "accept", "assign"]
    assert Notification.objects.filter(recipient=network.users["unit"], kind="suggestion_assigned").count() == 1
    assert Notification.objects.filter(recipient=unit2_user, kind="suggestion_assigned").count() == 1


def test_decline_keeps_a_public_reason(network):
    suggestion = make_suggestion(network)
    with pytest.raises(ValidationError) as exc:
        handling.suggestion_decline(actor=network.users["officer"], suggestion_id=suggestion.pk, reason=" ")
    assert "reason" in exc.value.message_dict
    handling.suggestion_decline(
        actor=network.users["officer"], suggestion_id=suggestion.pk, reason="不属于人大职权范围"
    )
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.decline_reason) == ("declined", "不属于人大职权范围")
    assert suggestion.timeline.last().public


def test_merge_into_an_open_one(network):
    officer = network.users["officer"]
    first, duplicate = make_suggestion(network), make_suggestion(network)
    with pytest.raises(ValidationError):
        handling.suggestion_merge(actor=officer, suggestion_id=duplicate.pk, into_id=duplicate.pk)
    handling.suggestion_merge(actor=officer, suggestion_id=duplicate.pk, into_id=first.pk)
    duplicate.refresh_from_db()
    assert (duplicate.status, duplicate.merged_into) == ("merged", first)
    third = make_suggestion(network)
    with pytest.raises(ValidationError):  # a merged one is not open
        handling.suggestion_merge(actor=officer, suggestion_id=third.pk, into_id=duplicate.pk)


def test_settle_by_staff_or_the_receiving_representative(network):
    rep = representative_user(network)
    suggestion = make_suggestion(network, representative_id=rep.pk)
    with pytest.raises(PermissionDenied):
        handling.suggestion_settle(actor=network.users["unit"], suggestion_id=suggestion.pk, note="已解决")
    handling.suggestion_settle(actor=network.users["representative"], suggestion_id=suggestion.pk, note="当场解释")
    assert Suggestion.objects.get(pk=suggestion.pk).status == "settled"


def test_another_stations_staff_may_not_act(network):
    suggestion = make_suggestion(network)
    from liaison.models import RoleGrant
    from tests.factories import UserFactory, grant

    other = UserFactory(username="officer_b")
    grant(other, RoleGrant.Role.STATION_OFFICER, station=network.station_b)
    with pytest.raises(PermissionDenied):
        handling.suggestion_accept(actor=other, suggestion_id=suggestion.pk)
    assert Suggestion.objects.get(pk=suggestion.pk).status == "submitted"


def test_a_stale_version_is_refused_naming_the_last_step(network):
    suggestion = make_suggestion(network)
    opened = suggestion.version
    handling.suggestion_accept(actor=network.users["officer"], suggestion_id=suggestion.pk, version=opened)
    with pytest.raises(ValidationError) as exc:
        handling.suggestion_decline(
            actor=network.users["township"], suggestion_id=suggestion.pk, reason="重复", version=opened
        )
    message = exc.value.messages[0]
    assert message.startswith("此建议已被他人处理（") and "已采纳" in message
    assert network.users["officer"].full_name in message
    assert Suggestion.objects.get(pk=suggestion.pk).status == "accepted"


def test_return_as_misrouted_goes_back_to_accepted(network):
    suggestion = assigned(network)
    lead = lead_assignment(suggestion)
    with pytest.raises(PermissionDenied):
        handling.assignment_return(actor=network.users["officer"], assignment_id=lead.pk, reason="x")
    handling.assignment_return(actor=network.users["unit"], assignment_id=lead.pk, reason="应由县交通局办理")
    suggestion.refresh_from_db()
    lead.refresh_from_db()
    assert (suggestion.status, suggestion.due_on, lead.status) == ("accepted", None, "returned")
    assert Notification.objects.filter(recipient=network.users["officer"], kind="suggestion_returned").exists()


def test_return_after_the_return_date_is_refused(network, monkeypatch):
    suggestion = assigned(network)
    lead = lead_assignment(suggestion)
    from suggestions.services import answering

    monkeypatch.setattr(answering, "today", lambda: lead.return_by + datetime.timedelta(days=1))
    with pytest.raises(ValidationError):
        handling.assignment_return(actor=network.users["unit"], assignment_id=lead.pk, reason="不归我们管")
    assert Suggestion.objects.get(pk=suggestion.pk).status == "assigned"


def test_co_handler_opinion_to_the_lead(network):
    unit2, unit2_user = make_unit(network)
    officer = network.users["officer"]
    suggestion = make_suggestion(network)
    handling.suggestion_accept(actor=officer, suggestion_id=suggestion.pk)
    handling.suggestion_assign(
        actor=officer, suggestion_id=suggestion.pk, lead_unit_id=network.unit.pk, co_unit_ids=[unit2.pk]
    )
    co = Assignment.objects.get(role="co")
    handling.assignment_co_opinion(actor=unit2_user, assignment_id=co.pk, text="建议结合村道改造一并解决。")
    co.refresh_from_db()
    assert (co.status, co.opinion) == ("done", "建议结合村道改造一并解决。")
    assert Notification.objects.filter(recipient=network.users["unit"], kind="suggestion_co_opinion").exists()
    with pytest.raises(ValidationError):
        handling.assignment_co_opinion(actor=unit2_user, assignment_id=co.pk, text="再说一次")


def test_extension_once_for_a_proposal_approved_by_county(network):
    rep = representative_user(network)
    officer = network.users["officer"]
    from suggestions.services import intake
    from tests.suggestions.core_helpers import category

    proposal = intake.proposal_create(
        actor=network.users["representative"], title="修建文化礼堂", content="缺少活动场所", category_id=category().pk
    )
    assert proposal.representative == rep
    handling.suggestion_accept(actor=officer, suggestion_id=proposal.pk)
    handling.suggestion_assign(actor=officer, suggestion_id=proposal.pk, lead_unit_id=network.unit.pk)
    lead = Assignment.objects.get(suggestion=proposal)
    request = handling.extension_request(actor=network.users["unit"], assignment_id=lead.pk, reason="需要立项")
    with pytest.raises(ValidationError):
        handling.extension_request(actor=network.users["unit"], assignment_id=lead.pk, reason="再延")
    with pytest.raises(PermissionDenied):
        handling.extension_decide(actor=officer, request_id=request.pk, approve=True)
    handling.extension_decide(actor=network.users["county"], request_id=request.pk, approve=True, note="同意")
    lead.refresh_from_db()
    request.refresh_from_db()
    assert lead.extended and request.approved and lead.due_on == request.new_due_on > lead.assigned_at.date()
    assert Suggestion.objects.get(pk=proposal.pk).due_on == lead.due_on
    assert ExtensionRequest.objects.count() == 1


def test_an_opinion_cannot_be_extended(network):
    suggestion = assigned(network)
    with pytest.raises(ValidationError):
        handling.extension_request(
            actor=network.users["unit"], assignment_id=lead_assignment(suggestion).pk, reason="忙"
        )


def test_answer_with_an_attachment_and_a_result(network):
    suggestion = assigned(network)
    pdf = SimpleUploadedFile("答复函.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    answer = handling.suggestion_answer(
        actor=network.users["unit"],
        assignment_id=lead_assignment(suggestion).pk,
        text="路灯已更换。",
        result="A",
        files=[pdf],
    )
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.result, suggestion.public_answer) == ("answered", "A", "路灯已更换。")
    assert answer.attachments.get().name == "答复函.pdf"


@pytest.mark.parametrize(
    "name,content",
    [("a.exe", b"MZ"), ("fake.pdf", b"not a pdf"), ("big.png", b"\x89PNG\r\n\x1a\n" + b"0" * (10 * 1024 * 1024))],
)
def test_answer_files_are_checked(network, name, content):
    suggestion = assigned(network)
    with pytest.raises(ValidationError) as exc:
        handling.suggestion_answer(
            actor=network.users["unit"],
            assignment_id=lead_assignment(suggestion).pk,
            text="已办",
            result="A",
            files=[SimpleUploadedFile(name, content)],
        )
    assert "files" in exc.value.message_dict
    assert Suggestion.objects.get(pk=suggestion.pk).status == "assigned"


def test_satisfied_closes(network):
    suggestion = answered(network)
    handling.suggestion_rate(suggestion_id=suggestion.pk, value="satisfied", by="voter")
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.satisfaction) == ("closed", "satisfied")


def test_unsatisfied_rehandles_once_then_waits_for_county(network):
    suggestion = answered(network)
    handling.suggestion_rate(suggestion_id=suggestion.pk, value="unsatisfied", by="voter")
    suggestion.refresh_from_db()
    again = lead_assignment(suggestion)
    assert (suggestion.status, suggestion.reopened_count, again.round, again.unit) == (
        "assigned",
        1,
        2,
        network.unit,
    )
    handling.suggestion_answer(actor=network.users["unit"], assignment_id=again.pk, text="再次答复", result="B")
    handling.suggestion_rate(
        suggestion_id=suggestion.pk, value="unsatisfied", by="phone", actor=network.users["officer"]
    )
    suggestion.refresh_from_db()
    assert suggestion.status == "unsatisfied"
    handling.suggestion_close(actor=network.users["county"], suggestion_id=suggestion.pk, note="已向选民解释")
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.closing_note) == ("closed", "已向选民解释")


def test_proposal_rated_by_its_lead_representative_only(network):
    rep = representative_user(network)
    suggestion = answered(network, representative_id=rep.pk)
    with pytest.raises(PermissionDenied):  # an opinion, not a proposal
        handling.suggestion_rate(
            suggestion_id=suggestion.pk, value="satisfied", by="representative", actor=network.users["representative"]
        )
    Suggestion.objects.filter(pk=suggestion.pk).update(kind="proposal")
    handling.suggestion_rate(
        suggestion_id=suggestion.pk, value="partly", by="representative", actor=network.users["representative"]
    )
    assert Suggestion.objects.get(pk=suggestion.pk).status == "closed"


def test_supervision_start_update_end(network):
    suggestion = assigned(network)
    county = network.users["county"]
    today = datetime.date.today()
    with pytest.raises(ValidationError):
        handling.supervision_start(
            actor=county, suggestion_id=suggestion.pk, supervisor_id=network.users["officer"].pk, next_check_on=today
        )
    supervision = handling.supervision_start(
        actor=county, suggestion_id=suggestion.pk, supervisor_id=county.pk, next_check_on=today
    )
    handling.supervision_update(
        actor=county, suggestion_id=suggestion.pk, next_check_on=today + datetime.timedelta(days=7)
    )
    handling.supervision_end(actor=county, suggestion_id=suggestion.pk)
    supervision.refresh_from_db()
    assert supervision.ended_at is not None


def test_merged_into_a_merged_one_the_voter_follows_the_survivor(network):
    from suggestions.selectors.common import suggestion_survivor

    officer = network.users["officer"]
    first, second, third = make_suggestion(network), make_suggestion(network), make_suggestion(network)
    handling.suggestion_merge(actor=officer, suggestion_id=second.pk, into_id=first.pk)
    handling.suggestion_merge(actor=officer, suggestion_id=third.pk, into_id=str(first.pk))
    assert suggestion_survivor(Suggestion.objects.get(pk=third.pk)) == first
    assert suggestion_survivor(first) == first
    with pytest.raises(ValidationError):  # first cannot go into a merged one (no cycles)
        handling.suggestion_merge(actor=officer, suggestion_id=first.pk, into_id=second.pk)
    with pytest.raises(ValidationError):
        handling.suggestion_merge(actor=officer, suggestion_id=first.pk, into_id="junk")
