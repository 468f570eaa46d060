"""Performance pages: (role, page) -> status. Another station's representative is a 404."""

import datetime

import pytest
from django.urls import reverse

from representatives.models import PointsRuleSet
from representatives.services import evaluation as evaluation_services
from representatives.services import performance as services
from representatives.services import report_backs as report_back_services
from tests.activities.helpers import rep_with_account
from tests.representatives.factories import make_representative

ROLES = ["anonymous", "superuser", "county", "township", "officer", "point_officer", "representative", "unit", "norole"]
YEAR = 2025


@pytest.fixture
def objects(network):
    admin = network.users["superuser"]
    own, _user = rep_with_account(network)  # station A, the "representative" user's own record
    other = make_representative(network, name="乙乡代表", station=network.station_b)
    record_a = services.performance_record_add_manual(
        actor=network.users["officer"], representative=own, kind="other", date=datetime.date(YEAR, 3, 1), note="座谈"
    )
    record_b = services.performance_record_add_manual(
        actor=admin, representative=other, kind="other", date=datetime.date(YEAR, 3, 1), note="座谈"
    )
    rb_a = report_back_services.report_back_plan(actor=admin, representative=own, year=YEAR)
    rb_b = report_back_services.report_back_plan(actor=admin, representative=other, year=YEAR)
    evaluation_services.annual_evaluation_compute(year=YEAR)
    from representatives.models import AnnualEvaluation

    ev_a = AnnualEvaluation.objects.get(congress=network.township_a, year=YEAR)
    ev_b = AnnualEvaluation.objects.get(congress=network.township_b, year=YEAR)
    services.points_rule_set_save(
        actor=admin,
        valid_from=datetime.date(YEAR, 1, 1),
        rules=dict.fromkeys(services.PerformanceKind.values, ("1", "")),
    )
    return {
        "own": own,
        "other": other,
        "record_a": record_a,
        "record_b": record_b,
        "rb_a": rb_a,
        "rb_b": rb_b,
        "ev_a": ev_a,
        "ev_b": ev_b,
        "rules": PointsRuleSet.objects.get(),
    }


def page_url(network, o, page):
    return {
        "list": reverse("representatives:performance_list"),
        "mine": reverse("representatives:performance_mine"),
        "add_a": reverse("representatives:performance_create", args=[o["own"].pk]),
        "add_b": reverse("representatives:performance_create", args=[o["other"].pk]),
        "handbook_a": reverse("representatives:handbook", args=[o["own"].pk, YEAR]),
        "handbook_b": reverse("representatives:handbook", args=[o["other"].pk, YEAR]),
        "station_books_a": reverse("representatives:station_handbooks", args=[network.station_a.pk, YEAR]),
        "station_books_b": reverse("representatives:station_handbooks", args=[network.station_b.pk, YEAR]),
        "handbook_pdf_a": reverse("representatives:handbook_pdf", args=[o["own"].pk, YEAR]),
        "handbook_pdf_b": reverse("representatives:handbook_pdf", args=[o["other"].pk, YEAR]),
        "station_pdf_a": reverse("representatives:station_handbooks_pdf", args=[network.station_a.pk, YEAR]),
        "station_pdf_b": reverse("representatives:station_handbooks_pdf", args=[network.station_b.pk, YEAR]),
        "rules": reverse("representatives:points_rules"),
        "rules_new": reverse("representatives:points_rules_create"),
        "rules_edit": reverse("representatives:points_rules_update", args=[o["rules"].pk]),
        "quarterly": reverse("representatives:quarterly_points"),
        "plan": reverse("representatives:report_back_plan"),
        "plan_b": reverse("representatives:report_back_plan") + f"?station={network.station_b.pk}",
        "held_a": reverse("representatives:report_back_held", args=[o["rb_a"].pk]),
        "held_b": reverse("representatives:report_back_held", args=[o["rb_b"].pk]),
        "evaluations": reverse("representatives:evaluation_list"),
        "evaluation_a": reverse("representatives:evaluation_detail", args=[o["ev_a"].pk]),
        "evaluation_b": reverse("representatives:evaluation_detail", args=[o["ev_b"].pk]),
    }[page]


TABLE = {
    #                  anon super county town  officer point rep  unit norole
    "list":            [302, 200, 200, 200, 200, 200, 403, 403, 403],
    "mine":            [302, 404, 404, 404, 404, 404, 200, 404, 404],
    "add_a":           [302, 200, 200, 200, 200, 404, 403, 403, 403],
    "add_b":           [302, 200, 200, 404, 404, 404, 403, 403, 403],
    "handbook_a":      [302, 200, 200, 200, 200, 404, 200, 404, 404],
    "handbook_b":      [302, 200, 200, 404, 404, 404, 404, 404, 404],
    "station_books_a": [302, 200, 200, 200, 200, 404, 403, 403, 403],
    "station_books_b": [302, 200, 200, 404, 404, 404, 403, 403, 403],
    "handbook_pdf_a":  [302, 200, 200, 200, 200, 404, 200, 404, 404],
    "handbook_pdf_b":  [302, 200, 200, 404, 404, 404, 404, 404, 404],
    "station_pdf_a":   [302, 200, 200, 200, 200, 404, 403, 403, 403],
    "station_pdf_b":   [302, 200, 200, 404, 404, 404, 403, 403, 403],
    "rules":           [302, 200, 200, 200, 200, 200, 403, 403, 403],
    "rules_new":       [302, 200, 200, 403, 403, 403, 403, 403, 403],
    "rules_edit":      [302, 200, 200, 403, 403, 403, 403, 403, 403],
    "quarterly":       [302, 200, 200, 200, 200, 200, 403, 403, 403],
    "plan":            [302, 200, 200, 200, 200, 200, 403, 403, 403],
    "plan_b":          [302, 200, 200, 404, 404, 404, 403, 403, 403],
    "held_a":          [302, 200, 200, 200, 200, 404, 403, 403, 403],
    "held_b":          [302, 200, 200, 404, 404, 404, 403, 403, 403],
    "evaluations":     [302, 200, 200, 200, 403, 403, 403, 403, 403],
    "evaluation_a":    [302, 200, 200, 200, 403, 403, 403, 403, 403],
    "evaluation_b":    [302, 200, 200, 404, 403, 403, 403, 403, 403],
}  # fmt: skip

CASES = [(page, role, statuses[i]) for page, statuses in TABLE.items() for i, role in enumerate(ROLES)]


@pytest.mark.parametrize(("page", "role", "expected"), CASES, ids=[f"{p}-{r}" for p, r, _ in CASES])
def test_performance_role_page_status(network, objects, client_for, page, role, expected):
    user = None if role == "anonymous" else network.users[role]
    response = client_for(user).get(page_url(network, objects, page))
    assert response.status_code == expected


@pytest.mark.parametrize(
    ("action", "target"),
    [
        ("representatives:performance_verify", "record_b"),
        ("representatives:performance_delete", "record_b"),
        ("representatives:report_back_undo", "rb_b"),
        ("representatives:report_back_held", "rb_b"),
    ],
)
def test_changing_another_stations_record_is_a_404_and_changes_nothing(network, objects, client_for, action, target):
    obj = objects[target]
    before = type(obj).objects.filter(pk=obj.pk).values().first()
    response = client_for(network.users["officer"]).post(reverse(action, args=[obj.pk]), {"held_on": "2025-05-01"})
    assert response.status_code == 404
    assert type(obj).objects.filter(pk=obj.pk).values().first() == before


def test_the_representative_sees_only_their_own_records_in_my_performance(network, objects, client_for):
    page = client_for(network.users["representative"]).get(reverse("representatives:performance_mine")).content.decode()
    assert "座谈" not in page or objects["record_a"].date.year != 2026  # this year's page: the 2025 record is not there
    page = client_for(network.users["representative"]).get(
        reverse("representatives:performance_mine") + f"?year={YEAR}"
    )
    assert page.status_code == 200
    assert page.content.decode().count('data-testid="my-record"') == 1


PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


def test_add_by_hand_with_evidence_then_verify_on_the_pages(network, client_for, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from representatives.models import PerformanceRecord

    settings.MEDIA_ROOT = tmp_path
    own, _user = rep_with_account(network)
    officer = client_for(network.users["officer"])
    url = reverse("representatives:performance_create", args=[own.pk])
    # Bad input: a text file as evidence, no note, a future date: the form says so, nothing saved.
    bad = officer.post(
        url,
        {"kind": "other", "date": "2999-01-01", "note": "", "evidence": SimpleUploadedFile("a.pdf", b"hello")},
    )
    assert bad.status_code == 200 and not PerformanceRecord.objects.exists()
    response = officer.post(
        url,
        {
            "kind": "other",
            "date": "2025-03-01",
            "note": "在县人大座谈会上发言",
            "points": "3",
            "evidence": SimpleUploadedFile("发言稿.pdf", PDF, content_type="application/pdf"),
        },
    )
    assert response.status_code == 302
    record = PerformanceRecord.objects.get()
    assert (record.points, record.counts) == (3, False)
    evidence = reverse("representatives:performance_evidence", args=[record.pk])
    other_officer = client_for(network.users["norole"])
    assert other_officer.get(evidence).status_code == 404
    # The officer who added it may not verify it; the township staff may (an outside "next" is ignored).
    verify = reverse("representatives:performance_verify", args=[record.pk])
    assert client_for(network.users["officer"]).post(verify).status_code == 403
    response = client_for(network.users["township"]).post(verify, {"next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == reverse("representatives:performance_list")
    record.refresh_from_db()
    assert record.counts and record.verified_by == network.users["township"]
    # Last: closing a streamed file's response ends the test's database connection.
    served = officer.get(evidence)
    assert served.status_code == 200 and b"".join(served.streaming_content) == PDF
    served.close()
