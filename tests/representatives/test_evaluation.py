"""Annual evaluation, report-backs and the handbook."""

import datetime
import logging
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from representatives.models import AnnualEvaluation, EvaluationEntry, PerformanceKind, ReportBack
from representatives.services import evaluation as services
from representatives.services import performance as performance_services
from representatives.services import report_backs as report_back_services
from tests.representatives.factories import make_representative

YEAR = 2025
K = PerformanceKind


def add(rep, kind, day, source):
    performance_services.performance_record_add_for_source(representative=rep, kind=kind, source=source, date=day)


def entries(congress):
    evaluation = AnnualEvaluation.objects.get(congress=congress, year=YEAR)
    return {
        e.representative.name: (e.rank, e.total_points) for e in evaluation.entries.select_related("representative")
    }


@pytest.fixture
def reps(network):
    """Township A: 甲 10 points (two reception days, two activities), 乙 10 (the same, other
    days), 丙 3 (one reception day), 丁 nothing. Default rules: reception 3, activity 2."""
    names = ["甲", "乙", "丙", "丁"]
    reps = {name: make_representative(network, name=name) for name in names}
    stations = [network.station_a, network.point_a, network.station_b, network.general]
    for name in ("甲", "乙"):
        for i, source in enumerate(stations[:2]):
            add(reps[name], K.RECEPTION, datetime.date(YEAR, 3 + i, 1), source)
        for i, source in enumerate(stations[2:]):
            add(reps[name], K.ACTIVITY, datetime.date(YEAR, 5 + i, 1), source)
    add(reps["丙"], K.RECEPTION, datetime.date(YEAR, 6, 1), network.station_a)
    return reps


def test_ranks_ties_share_a_rank_and_a_rep_without_records_is_last(network, reps):
    assert services.annual_evaluation_compute(year=YEAR) >= 1
    assert entries(network.township_a) == {
        "甲": (1, Decimal("10")),
        "乙": (1, Decimal("10")),
        "丙": (3, Decimal("3")),
        "丁": (4, Decimal("0")),
    }
    entry = EvaluationEntry.objects.get(representative=reps["甲"])
    assert entry.counts == {"reception": 2, "activity": 2}


def test_caps_apply_in_the_evaluation(network, reps):
    rules = dict.fromkeys(K.values, ("1", ""))
    rules["reception"] = ("3", "4")
    performance_services.points_rule_set_save(
        actor=network.users["county"], valid_from=datetime.date(YEAR, 1, 1), rules=rules
    )
    services.annual_evaluation_compute(year=YEAR)
    # Reception 2 x 3 = 6 capped at 4; activities now 1 point each.
    assert entries(network.township_a)["甲"] == (1, Decimal("6"))


def test_a_published_evaluation_is_frozen(network, reps):
    county = network.users["county"]
    services.annual_evaluation_compute(year=YEAR)
    evaluation = AnnualEvaluation.objects.get(congress=network.township_a, year=YEAR)
    entry = evaluation.entries.get(representative=reps["丙"])
    services.evaluation_nominate(actor=county, entry=entry, outstanding=True)
    services.annual_evaluation_compute(year=YEAR)  # a recompute keeps the nomination
    assert evaluation.entries.get(representative=reps["丙"]).outstanding
    services.evaluation_publish(actor=county, evaluation=evaluation)
    before = entries(network.township_a)
    # A later record and a recompute (the yearly job, or a click) change nothing.
    add(reps["丁"], K.INSPECTION, datetime.date(YEAR, 12, 1), network.point_b)
    assert services.annual_evaluation_compute(year=YEAR, congress_ids=[network.township_a.pk]) == 0
    services.annual_evaluation_draft_due(today=datetime.date(YEAR + 1, 1, 2))
    assert entries(network.township_a) == before
    with pytest.raises(ValidationError):
        services.evaluation_nominate(actor=county, entry=entry, outstanding=False)


def test_staff_evaluate_only_their_own_congresses(network, reps):
    with pytest.raises(PermissionDenied):
        services.annual_evaluation_compute(
            actor=network.users["township"], year=YEAR, congress_ids=[network.township_b.pk]
        )
    with pytest.raises(PermissionDenied):
        services.annual_evaluation_compute(
            actor=network.users["officer"], year=YEAR, congress_ids=[network.township_a.pk]
        )
    services.annual_evaluation_compute(actor=network.users["township"], year=YEAR, congress_ids=[network.township_a.pk])
    assert list(AnnualEvaluation.objects.values_list("congress__name", flat=True)) == ["甲镇"]


def test_outstanding_proposal_copies_its_title(network, reps):
    add(reps["甲"], K.PROPOSAL_FILED, datetime.date(YEAR, 4, 1), network.station_b)
    services.annual_evaluation_compute(year=YEAR)
    evaluation = AnnualEvaluation.objects.get(congress=network.township_a, year=YEAR)
    record = reps["甲"].performance_records.get(kind="proposal_filed")
    nomination = services.outstanding_proposal_nominate(
        actor=network.users["county"], evaluation=evaluation, record=record
    )
    assert nomination.title == network.station_b.name  # str() of the source
    with pytest.raises(ValidationError):
        other = reps["甲"].performance_records.get(kind="activity", date__month=5)
        services.outstanding_proposal_nominate(actor=network.users["county"], evaluation=evaluation, record=other)


def test_the_yearly_task_computes_last_years_drafts_once(network, reps, caplog, monkeypatch):
    from django.utils import timezone

    from representatives import tasks

    monkeypatch.setattr(timezone, "localdate", lambda *a: datetime.date(YEAR + 1, 1, 2))
    with caplog.at_level(logging.INFO, logger="representatives.tasks"):
        first = tasks.annual_evaluation_draft()
        tasks.annual_evaluation_draft()
    assert first == AnnualEvaluation.objects.filter(year=YEAR).count() >= 1
    assert EvaluationEntry.objects.filter(representative=reps["甲"]).count() == 1
    assert "annual evaluation:" in caplog.text


def test_evaluation_pages_publish_and_nominate(network, reps, client_for):
    client = client_for(network.users["county"])
    response = client.post(
        reverse("representatives:evaluation_list"), {"congress": network.township_a.pk, "year": YEAR}
    )
    assert response.status_code == 302
    evaluation = AnnualEvaluation.objects.get(congress=network.township_a)
    entry = evaluation.entries.get(representative=reps["乙"])
    client.post(reverse("representatives:evaluation_nominate", args=[entry.pk]), {"outstanding": "1"})
    client.post(reverse("representatives:evaluation_publish", args=[evaluation.pk]))
    page = client.get(reverse("representatives:evaluation_detail", args=[evaluation.pk])).content.decode()
    assert page.count('data-testid="evaluation-entry"') == 4
    assert 'data-testid="publish"' not in page
    evaluation.refresh_from_db()
    assert evaluation.is_published and evaluation.entries.get(representative=reps["乙"]).outstanding
    # Bad input: a congress outside the scope, a year in the future: a message, nothing computed.
    client.post(reverse("representatives:evaluation_list"), {"congress": "abc", "year": "x"})
    client.post(reverse("representatives:evaluation_list"), {"congress": network.township_b.pk, "year": "2999"})
    assert AnnualEvaluation.objects.count() == 1


# --- Proposals and their ratings -------------------------------------------------------------

PROPOSAL_FIGURES = (
    "proposals_answered",
    "proposals_a",
    "proposals_b",
    "proposals_c",
    "proposals_d",
    "proposals_satisfied",
    "proposals_partly",
    "proposals_unsatisfied",
)


def proposals_of_jia(network, reps):
    """甲 filed four proposals in the year: A rated satisfied, A partly, D unsatisfied, one not yet
    answered; one filed the year before (A, satisfied) and one co-signed (C, satisfied) do not
    count among the year's own proposals. (Any model instance stands for a proposal here.)"""
    filed = [
        (network.township_a, "A", "satisfied"),
        (network.township_b, "A", "partly"),
        (network.county, "D", "unsatisfied"),
        (network.users["officer"], "", ""),
    ]
    for i, (source, result, rating) in enumerate(filed):
        add(reps["甲"], K.PROPOSAL_FILED, datetime.date(YEAR, 2 + i, 10), source)
        performance_services.performance_records_set_outcome(source=source, result=result, satisfaction=rating)
    last_year = network.users["county"]
    add(reps["甲"], K.PROPOSAL_FILED, datetime.date(YEAR - 1, 12, 31), last_year)
    performance_services.performance_records_set_outcome(source=last_year, result="A", satisfaction="satisfied")
    cosigned = network.users["superuser"]
    add(reps["甲"], K.PROPOSAL_COSIGNED, datetime.date(YEAR, 9, 1), cosigned)
    performance_services.performance_records_set_outcome(source=cosigned, result="C", satisfaction="satisfied")


def test_the_evaluation_counts_proposals_by_result_and_rating(network, reps):
    proposals_of_jia(network, reps)
    services.annual_evaluation_compute(year=YEAR)
    jia = EvaluationEntry.objects.get(representative=reps["甲"])
    assert jia.counts["proposal_filed"] == jia.proposals_filed == 4
    assert [getattr(jia, name) for name in PROPOSAL_FIGURES] == [3, 2, 0, 0, 1, 1, 1, 1]
    assert (jia.proposals_rated, jia.proposals_satisfied_percent) == (3, 33)
    nobody = EvaluationEntry.objects.get(representative=reps["丁"])
    assert (nobody.proposals_filed, nobody.proposals_answered, nobody.proposals_satisfied_percent) == (0, 0, None)


def test_outcome_values_are_checked_and_only_proposal_records_change(network, reps):
    source = network.station_a  # 甲's and 乙's reception records come from it
    assert performance_services.performance_records_set_outcome(source=source, result="A", satisfaction="") == 0
    with pytest.raises(ValueError):
        performance_services.performance_records_set_outcome(source=source, result="E", satisfaction="")
    with pytest.raises(ValueError):
        performance_services.performance_records_set_outcome(source=source, result="A", satisfaction="happy")


def test_evaluation_page_and_handbook_show_the_proposals(network, reps, client_for):
    proposals_of_jia(network, reps)
    services.annual_evaluation_compute(year=YEAR)
    evaluation = AnnualEvaluation.objects.get(congress=network.township_a, year=YEAR)
    client = client_for(network.users["county"])
    page = client.get(reverse("representatives:evaluation_detail", args=[evaluation.pk])).content.decode()
    assert page.count('data-testid="evaluation-proposals"') == 1  # only 甲 filed any
    assert "领衔建议 4 件，已答复 3 件" in page
    assert "A 已解决 2，B 正在解决 0，C 列入计划 0，D 解释说明 1" in page
    assert "满意 1、基本满意 1、不满意 1（满意率 33%）" in page
    handbook = client_for(network.users["officer"]).get(reverse("representatives:handbook", args=[reps["甲"].pk, YEAR]))
    text = handbook.content.decode()
    assert "A：已解决 · 基本满意" in text and "D：因条件限制暂不能解决，已解释 · 不满意" in text
    assert "C：列入计划解决 · 满意" in text  # the co-signed one
    assert "尚未答复" in text and "尚未评价" not in text  # every answered one of 甲 is rated


# --- Report-backs ------------------------------------------------------------------------------


def test_report_back_plan_takes_a_fifth_who_have_not_reported(network):
    officer = network.users["officer"]
    reps = [make_representative(network, name=f"代表{i}") for i in range(11)]
    assert report_back_services.report_back_plan_share(actor=officer, station=network.station_a, year=YEAR) == 3
    assert report_back_services.report_back_plan_share(actor=officer, station=network.station_a, year=YEAR) == 0
    planned = ReportBack.objects.filter(year=YEAR)
    assert set(planned.values_list("representative__name", flat=True)) == {"代表0", "代表1", "代表2"}
    rb = planned.get(representative=reps[0])
    report_back_services.report_back_record_held(
        actor=officer,
        report_back=rb,
        held_on=datetime.date(YEAR, 6, 1),
        attendees=40,
        satisfied=30,
        partly=8,
        unsatisfied=2,
    )
    assert reps[0].performance_records.get().kind == "report_back"
    # Next year the plan skips those who reported this term (and those planned already).
    report_back_services.report_back_plan_share(actor=officer, station=network.station_a, year=YEAR + 1)
    next_year = set(ReportBack.objects.filter(year=YEAR + 1).values_list("representative__name", flat=True))
    assert "代表0" not in next_year and len(next_year) == 3
    page = client_page(network, f"?station={network.station_a.pk}&year={YEAR}")
    assert page.count('data-testid="not-yet"') == 8  # not the one who reported, nor the two planned
    # Undoing the held report-back removes its record.
    report_back_services.report_back_undo(actor=officer, report_back=rb)
    assert not reps[0].performance_records.exists()
    with pytest.raises(PermissionDenied):
        report_back_services.report_back_plan_share(actor=officer, station=network.station_b, year=YEAR)


def client_page(network, query):
    from django.test import Client

    client = Client()
    client.force_login(network.users["officer"])
    return client.get(reverse("representatives:report_back_plan") + query).content.decode()


def test_report_back_bad_numbers_change_nothing(network, client_for):
    rep = make_representative(network, name="述职者")
    rb = report_back_services.report_back_plan(actor=network.users["officer"], representative=rep, year=YEAR)
    response = client_for(network.users["officer"]).post(
        reverse("representatives:report_back_held", args=[rb.pk]),
        {"held_on": "2025-06-01", "attendees": "5", "satisfied": "9", "partly": "0", "unsatisfied": "0"},
    )
    assert response.status_code == 200
    assert "核对" in response.content.decode() or "More ratings" in response.content.decode()
    rb.refresh_from_db()
    assert rb.status == "planned" and not rep.performance_records.exists()


# --- Handbook --------------------------------------------------------------------------------


def test_handbook_for_no_records_and_for_hundreds(network, client_for, django_assert_max_num_queries):
    empty = make_representative(network, name="空白")
    busy = make_representative(network, name="勤勉")
    from representatives.models import PerformanceRecord

    PerformanceRecord.objects.bulk_create(
        [
            PerformanceRecord(
                representative=busy,
                kind="other",
                date=datetime.date(YEAR, 1 + i % 12, 1 + i % 28),
                points=1,
                note=f"第{i}次",
            )
            for i in range(300)
        ]
    )
    client = client_for(network.users["officer"])
    page = client.get(reverse("representatives:handbook", args=[empty.pk, YEAR])).content.decode()
    assert 'data-testid="handbook-empty"' in page
    page = client.get(reverse("representatives:handbook", args=[busy.pk, YEAR])).content.decode()
    assert page.count("第") >= 300
    # A station prints every handbook at once, in a bounded number of queries.
    with django_assert_max_num_queries(20):
        page = client.get(reverse("representatives:station_handbooks", args=[network.station_a.pk, YEAR]))
    assert page.content.decode().count('data-testid="handbook"') == 2


def test_the_portable_computation_of_the_sqlite_demo_gives_the_same_entries(network, reps, monkeypatch):
    from django.db import connection

    proposals_of_jia(network, reps)
    report_back_services.report_back_record_held(
        actor=network.users["superuser"],
        report_back=report_back_services.report_back_plan(
            actor=network.users["superuser"], representative=reps["丙"], year=YEAR
        ),
        held_on=datetime.date(YEAR, 7, 1),
        attendees=10,
        satisfied=6,
        partly=3,
        unsatisfied=1,
    )

    def snapshot():
        return sorted(
            EvaluationEntry.objects.values_list(
                "representative__name",
                "rank",
                "total_points",
                "counts",
                "report_backs",
                "report_back_satisfied_percent",
                *PROPOSAL_FIGURES,
            )
        )

    services.annual_evaluation_compute(year=YEAR)
    in_sql = snapshot()
    AnnualEvaluation.objects.all().delete()
    monkeypatch.setattr(connection, "vendor", "sqlite")
    services.annual_evaluation_compute(year=YEAR)
    assert snapshot() == in_sql
    assert ("丙", 2, Decimal("13"), {"reception": 1, "report_back": 1}, 1, 60, *[0] * 8) in in_sql  # 60% satisfied
    jia = next(row for row in in_sql if row[0] == "甲")
    assert jia[6:] == (3, 2, 0, 0, 1, 1, 1, 1)


def test_plan_one_representative_by_hand_on_the_plan_page(network, client_for):
    rep = make_representative(network, name="自愿述职")
    client = client_for(network.users["officer"])
    url = reverse("representatives:report_back_plan")
    data = {"station": network.station_a.pk, "year": YEAR, "representative": rep.pk}
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302  # twice: refused with a message, still one
    assert ReportBack.objects.filter(representative=rep, year=YEAR).count() == 1
    other = make_representative(network, name="乙乡人", station=network.station_b)
    assert client.post(url, {**data, "representative": other.pk}).status_code == 404
