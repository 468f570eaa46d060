"""A proposal's handling result and rating are carried onto its performance records (filed,
co-signed) by the suggestions services, the final answer and rating overwriting earlier ones; the
annual evaluation counts them, and a published one does not move when a proposal is re-rated."""

import pytest
from django.utils import timezone

from liaison.models import RoleGrant
from representatives.models import (
    AnnualEvaluation,
    EvaluationEntry,
    PerformanceRecord,
    ProposalResult,
    ProposalSatisfaction,
)
from representatives.services import evaluation
from suggestions.models import Suggestion
from suggestions.services import handling, intake
from tests.factories import UserFactory, grant
from tests.suggestions.core_helpers import answered, category, lead_assignment, representative_user

pytestmark = pytest.mark.django_db


def outcomes():
    """{(representative name, kind, proposal title): (result, satisfaction)} of every record."""
    return {
        (r.representative.name, r.kind, r.note): (r.outcome_result, r.outcome_satisfaction)
        for r in PerformanceRecord.objects.select_related("representative")
    }


@pytest.fixture
def proposals(network):
    """甲 leads two proposals; 乙 co-signs (and confirms) the first."""
    lead = representative_user(network, name="甲")
    cosigner_user = UserFactory(username="rep_cosigner")
    grant(cosigner_user, RoleGrant.Role.REPRESENTATIVE)
    second = representative_user(network, user=cosigner_user, name="乙")
    actor = network.users["representative"]
    first = intake.proposal_create(
        actor=actor, title="修建文化礼堂", content="甲村缺少文化活动场所。", category_id=category().pk,
        cosigner_ids=[second.pk],
    )  # fmt: skip
    intake.cosigner_respond(actor=cosigner_user, suggestion_id=first.pk, confirm=True)
    other = intake.proposal_create(actor=actor, title="整治河道", content="河道淤塞。", category_id=category().pk)
    officer = network.users["officer"]
    for proposal in (first, other):
        handling.suggestion_accept(actor=officer, suggestion_id=proposal.pk)
        handling.suggestion_assign(actor=officer, suggestion_id=proposal.pk, lead_unit_id=network.unit.pk)
    return {"lead": lead, "second": second, "first": first, "other": other, "actor": actor}


def answer(network, proposal, result):
    proposal.refresh_from_db()
    handling.suggestion_answer(
        actor=network.users["unit"], assignment_id=lead_assignment(proposal).pk, text="已研究办理。", result=result
    )


def rate(proposals, proposal, value):
    handling.suggestion_rate(suggestion_id=proposal.pk, value=value, by="representative", actor=proposals["actor"])


def test_the_choices_are_the_suggestions_own():
    assert ProposalResult.choices == Suggestion.Result.choices
    assert ProposalSatisfaction.choices == Suggestion.Satisfaction.choices


def test_answer_and_rating_reach_exactly_the_proposals_records(network, proposals):
    answered(network)  # an opinion answered: no record, nothing carried
    answer(network, proposals["first"], "B")
    assert outcomes() == {
        ("甲", "proposal_filed", "修建文化礼堂"): ("B", ""),
        ("乙", "proposal_cosigned", "修建文化礼堂"): ("B", ""),
        ("甲", "proposal_filed", "整治河道"): ("", ""),
    }
    rate(proposals, proposals["first"], "partly")
    assert outcomes()[("甲", "proposal_filed", "修建文化礼堂")] == ("B", "partly")
    assert outcomes()[("乙", "proposal_cosigned", "修建文化礼堂")] == ("B", "partly")
    assert outcomes()[("甲", "proposal_filed", "整治河道")] == ("", "")


def test_re_handling_overwrites_and_the_final_rating_counts(network, proposals):
    proposal = proposals["other"]
    answer(network, proposal, "D")
    rate(proposals, proposal, "unsatisfied")  # back to the unit, round 2
    assert outcomes()[("甲", "proposal_filed", "整治河道")] == ("D", "unsatisfied")
    answer(network, proposal, "A")  # the new answer is not rated yet
    assert outcomes()[("甲", "proposal_filed", "整治河道")] == ("A", "")
    rate(proposals, proposal, "unsatisfied")  # unsatisfied again: waits for the county
    handling.suggestion_close(actor=network.users["county"], suggestion_id=proposal.pk, note="已向代表解释")
    assert Suggestion.objects.get(pk=proposal.pk).status == "closed"
    assert outcomes()[("甲", "proposal_filed", "整治河道")] == ("A", "unsatisfied")


def test_the_evaluation_counts_the_outcomes_and_a_published_one_stays(network, proposals):
    year = timezone.localdate().year
    answer(network, proposals["first"], "A")
    rate(proposals, proposals["first"], "satisfied")
    answer(network, proposals["other"], "C")
    rate(proposals, proposals["other"], "unsatisfied")  # re-handled later
    evaluation.annual_evaluation_compute(year=year, actor=network.users["county"], congress_ids=[network.township_a.pk])
    entry = EvaluationEntry.objects.get(representative=proposals["lead"])
    figures = (
        entry.proposals_filed,
        entry.proposals_answered,
        (entry.proposals_a, entry.proposals_b, entry.proposals_c, entry.proposals_d),
        (entry.proposals_satisfied, entry.proposals_partly, entry.proposals_unsatisfied),
        entry.proposals_satisfied_percent,
    )
    assert figures == (2, 2, (1, 0, 1, 0), (1, 0, 1), 50)
    # The co-signer's line counts the co-signing among the duties, not as their own proposal.
    cosigner = EvaluationEntry.objects.get(representative=proposals["second"])
    assert (cosigner.counts, cosigner.proposals_answered, cosigner.proposals_rated) == ({"proposal_cosigned": 1}, 0, 0)
    ev = AnnualEvaluation.objects.get(pk=entry.evaluation_id)
    evaluation.evaluation_publish(actor=network.users["county"], evaluation=ev)
    answer(network, proposals["other"], "A")
    rate(proposals, proposals["other"], "satisfied")
    evaluation.annual_evaluation_compute(year=year)
    assert outcomes()[("甲", "proposal_filed", "整治河道")] == ("A", "satisfied")
    entry.refresh_from_db()
    frozen = (entry.proposals_a, entry.proposals_c, entry.proposals_satisfied, entry.proposals_unsatisfied)
    assert frozen == (1, 1, 1, 1)


def test_the_migration_fills_the_outcomes_of_proposals_handled_before_they_were_recorded(network, proposals):
    """Records written before outcomes existed (no result, no rating, no note) get them from the
    proposals' answers and ratings; running it again changes nothing."""
    import importlib

    from django.apps import apps

    backfill = importlib.import_module("suggestions.migrations.0004_proposal_outcomes_backfill")
    answer(network, proposals["first"], "A")
    rate(proposals, proposals["first"], "satisfied")
    answer(network, proposals["other"], "C")
    after_the_services = outcomes()
    PerformanceRecord.objects.update(outcome_result="", outcome_satisfaction="", note="")
    backfill.forwards(apps, None)
    assert outcomes() == after_the_services
    backfill.forwards(apps, None)
    assert outcomes() == after_the_services
