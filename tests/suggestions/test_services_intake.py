"""Intake services: staff, public form, raised reception items, proposals and co-signers."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from liaison.models import Notification, RoleGrant
from suggestions.models import CoSigner, Suggestion
from suggestions.services import intake
from tests.factories import UserFactory, grant
from tests.representatives.factories import make_representative
from tests.suggestions.core_helpers import category, make_suggestion, representative_user

pytestmark = pytest.mark.django_db


def test_staff_register_an_opinion_submitted_with_township_and_one_timeline_step(network):
    suggestion = make_suggestion(network)
    assert suggestion.status == Suggestion.Status.SUBMITTED
    assert suggestion.township_id == network.township_a.pk
    assert suggestion.version == 2
    step = suggestion.timeline.get()
    assert (step.action, step.from_status, step.to_status, step.actor) == (
        "submit",
        "",
        "submitted",
        network.users["officer"],
    )


def test_staff_cannot_register_for_another_station_and_nothing_is_written(network):
    with pytest.raises(ValidationError) as exc:
        make_suggestion(network, station=network.station_b)
    assert "station_id" in exc.value.message_dict
    assert not Suggestion.objects.exists()


def test_no_role_may_not_register(network):
    with pytest.raises(PermissionDenied):
        make_suggestion(network, actor=network.users["norole"])


def test_bad_input_is_refused_by_field(network):
    with pytest.raises(ValidationError) as exc:
        make_suggestion(network, title="  ", content="", category_id=None, contact_phone="12345")
    assert set(exc.value.message_dict) == {"title", "content", "category_id", "contact_phone"}


def test_public_form_to_a_representative_lands_at_the_home_station(network):
    rep = make_representative(network, station=network.station_b, township=network.township_b)
    suggestion = intake.suggestion_create_public(
        representative_id=rep.pk,
        source="representative_code",
        title="垃圾清运",
        content="垃圾桶满了没人清理。",
        category_id=category().pk,
        contact_name="张三",
        contact_phone="138 1234 5678",
        publish_consent=True,
    )
    assert suggestion.station == network.station_b
    assert suggestion.contact_phone == "13812345678"
    assert suggestion.timeline.get().actor_label == "选民"


def test_public_form_requires_contact_and_a_public_source(network):
    with pytest.raises(ValidationError) as exc:
        intake.suggestion_create_public(
            station_id=network.station_a.pk,
            source="officer",
            title="t",
            content="c",
            category_id=category().pk,
            contact_name="",
            contact_phone="",
            publish_consent=False,
        )
    assert "source" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        intake.suggestion_create_public(
            station_id=network.station_a.pk,
            source="web_form",
            title="t",
            content="c",
            category_id=category().pk,
            contact_name="",
            contact_phone="",
            publish_consent=False,
        )
    assert {"contact_name", "contact_phone"} <= set(exc.value.message_dict)


def _raised_item(network, *, outcome="follow_up"):
    from tests.voters.reception_helpers import make_day
    from voters.models import RaisedItem, Visit

    day = make_day(network.station_a, datetime.date(2026, 3, 2))
    visit = Visit.objects.create(day=day, outcome=outcome)
    return RaisedItem.objects.create(visit=visit, text="村道坑洼需要修补")


def test_a_raised_item_becomes_a_suggestion_once(network):
    item = _raised_item(network)
    suggestion = intake.suggestion_create_from_raised_item(
        actor=network.users["officer"], item_id=item.pk, category_id=category().pk
    )
    item.refresh_from_db()
    assert item.suggestion == suggestion
    assert (suggestion.source, suggestion.title, suggestion.status) == ("reception", "村道坑洼需要修补", "submitted")
    with pytest.raises(ValidationError):
        intake.suggestion_create_from_raised_item(
            actor=network.users["officer"], item_id=item.pk, category_id=category().pk
        )
    assert Suggestion.objects.count() == 1


def test_a_raised_item_settled_on_the_spot_is_settled_in_two_steps(network):
    item = _raised_item(network, outcome="settled")
    suggestion = intake.suggestion_create_from_raised_item(
        actor=network.users["officer"], item_id=item.pk, category_id=category().pk
    )
    assert suggestion.status == "settled"
    assert list(suggestion.timeline.values_list("action", flat=True)) == ["submit", "settle"]


def test_a_raised_item_of_another_station_is_refused(network):
    item = _raised_item(network)
    other = UserFactory(username="officer_b")
    grant(other, RoleGrant.Role.STATION_OFFICER, station=network.station_b)
    with pytest.raises(PermissionDenied):
        intake.suggestion_create_from_raised_item(actor=other, item_id=item.pk, category_id=category().pk)


def test_proposal_with_cosigners_invited_and_confirming(network, monkeypatch):
    lead = representative_user(network)
    cosigner_user = UserFactory(username="rep2")
    grant(cosigner_user, RoleGrant.Role.REPRESENTATIVE)
    second = representative_user(network, user=cosigner_user, name="赵六")
    calls = []
    monkeypatch.setattr(intake, "_proposal_duties_changed", lambda s: calls.append(s.pk))
    proposal = intake.proposal_create(
        actor=network.users["representative"],
        title="建议修建文化礼堂",
        content="甲村缺少文化活动场所。",
        category_id=category().pk,
        cosigner_ids=[second.pk],
    )
    assert (proposal.kind, proposal.source, proposal.representative) == ("proposal", "representative", lead)
    assert Notification.objects.filter(recipient=cosigner_user, kind="suggestion_cosign").count() == 1
    cosigner = intake.cosigner_respond(actor=cosigner_user, suggestion_id=proposal.pk, confirm=True)
    assert cosigner.confirmed_at is not None
    assert calls == [proposal.pk, proposal.pk]
    with pytest.raises(ValidationError):
        intake.cosigner_respond(actor=cosigner_user, suggestion_id=proposal.pk, confirm=False)
    assert CoSigner.objects.get().declined_at is None


def test_proposal_needs_a_representative_and_not_oneself_as_cosigner(network):
    with pytest.raises(PermissionDenied):
        intake.proposal_create(actor=network.users["officer"], title="t", content="c", category_id=category().pk)
    lead = representative_user(network)
    with pytest.raises(ValidationError) as exc:
        intake.proposal_create(
            actor=network.users["representative"],
            title="t",
            content="c",
            category_id=category().pk,
            cosigner_ids=[lead.pk],
        )
    assert "cosigner_ids" in exc.value.message_dict


def test_co_signers_come_from_the_lead_representatives_own_congress(network):
    """A proposal goes to one congress: a representative of another (township B's congress, or the
    county's) can be neither invited through the service nor found by the co-signer search."""
    from suggestions.selectors import staff as selectors

    representative_user(network)
    same = make_representative(network, name="同乡代表")
    other_township = make_representative(network, name="乙乡代表", station=network.station_b)
    county_level = make_representative(network, name="县级代表", level="county")
    user = network.users["representative"]
    for outsider in (other_township, county_level):
        with pytest.raises(ValidationError) as exc:
            intake.proposal_create(
                actor=user, title="t", content="c", category_id=category().pk, cosigner_ids=[same.pk, outsider.pk]
            )
        assert "cosigner_ids" in exc.value.message_dict
    assert not Suggestion.objects.exists()
    found = {rep.pk for rep in selectors.cosigner_search(user=user, text="代表")}
    assert found == {same.pk}
    proposal = intake.proposal_create(
        actor=user, title="t", content="c", category_id=category().pk, cosigner_ids=[same.pk]
    )
    assert list(proposal.cosigners.values_list("representative", flat=True)) == [same.pk]
