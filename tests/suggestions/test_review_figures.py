"""The review console's figures on a known fixture, each table in a constant number of queries."""

import datetime

import pytest
from django.urls import reverse

from suggestions.models import Assignment, HandlingUnit
from suggestions.selectors import review
from tests.suggestions.review_helpers import (
    answer,
    assign,
    at,
    make_suggestion,
    reference_data,  # noqa: F401  (fixture)
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_data")]


@pytest.fixture
def fixture(network):
    """Unit 县住建局: 3 received; answered in 5 days (A, satisfied) and in 20 days past its deadline
    (B, unsatisfied, reopened); one unanswered and overdue. 县交通局: one answered in 3 days (D)."""
    u1 = network.unit
    u2 = HandlingUnit.objects.create(name="县交通局", division=network.county)
    s1 = make_suggestion(network.station_a)
    answer(assign(s1, u1, assigned=0, due=15), answered=5, result="A", rating="satisfied")
    s2 = make_suggestion(network.station_a)
    first = assign(s2, u1, assigned=0, due=10)
    answer(first, answered=20, result="B", rating="unsatisfied")
    assign(s2, u1, assigned=21, due=3000, round=2)
    s3 = make_suggestion(network.station_b)
    assign(s3, u1, assigned=0, due=10)
    s4 = make_suggestion(network.point_b)
    answer(assign(s4, u2, assigned=2, due=20), answered=5, result="D")
    return u1, u2


def by_label(rows):
    return {row.label: row for row in rows}


def test_unit_figures_on_a_known_fixture(network, fixture):
    rows = by_label(review.unit_figures(network.users["county"], start=at(-10).date(), end=at(400).date()))
    zj = rows["县住建局"]
    assert (zj.received, zj.answered, zj.on_time, zj.on_time_pct) == (3, 2, 1, 50.0)
    assert (zj.mean_days, zj.median_days) == (12.5, 12.5)
    assert zj.result_shares == [50.0, 50.0, 0.0, 0.0]
    assert zj.rating_shares == [50.0, 0.0, 50.0]
    assert (zj.reopened, zj.overdue) == (1, 1)
    jt = rows["县交通局"]
    assert (jt.received, jt.answered, jt.on_time_pct, jt.mean_days, jt.median_days) == (1, 1, 100.0, 3.0, 3.0)
    assert jt.result_shares == [0.0, 0.0, 0.0, 100.0]
    assert jt.rating_shares == [None, None, None]


def test_the_period_filters_the_assignments(network, fixture):
    rows = by_label(review.unit_figures(network.users["county"], start=at(1).date(), end=at(10).date()))
    assert set(rows) == {"县交通局"}


def test_station_and_township_figures(network, fixture):
    user = network.users["county"]
    stations = by_label(review.place_figures(user, by="station", start=at(-1).date(), end=at(1).date()))
    assert stations["甲镇联络站"].received == 2
    assert stations["甲镇联络站"].answered == 2
    assert stations["甲镇联络站"].reopened == 0  # reopened_count is the service's; not set here
    assert stations["乙乡联络站"].overdue == 1
    townships = by_label(review.place_figures(user, by="township", start=at(-1).date(), end=at(1).date()))
    assert townships["甲镇"].received == 2
    assert townships["乙乡"].received == 2
    assert townships["乙乡"].result_shares == [0.0, 0.0, 0.0, 100.0]


def _more_units(network, n):
    for i in range(n):
        unit = HandlingUnit.objects.create(name=f"县第{i}局", division=network.county)
        s = make_suggestion(network.station_a, title=f"事项{i}")
        answer(assign(s, unit, assigned=0, due=10), answered=i + 1, result="C", rating="partly")


@pytest.mark.parametrize("by", ["unit", "station", "township"])
def test_each_figure_table_is_one_query(network, fixture, django_assert_num_queries, by):
    user = network.users["county"]
    review.unit_figures(user)  # the user's grants are read (and cached) once
    with django_assert_num_queries(1):
        if by == "unit":
            rows = review.unit_figures(user, start=at(-10).date(), end=at(400).date())
        else:
            rows = review.place_figures(user, by=by, start=at(-10).date(), end=at(400).date())
    assert rows
    _more_units(network, 12)
    with django_assert_num_queries(1):
        if by == "unit":
            assert len(review.unit_figures(user, start=at(-10).date(), end=at(400).date())) == 14
        else:
            review.place_figures(user, by=by, start=at(-10).date(), end=at(400).date())


@pytest.mark.parametrize("by", ["unit", "station", "township"])
def test_figures_page_query_count_is_constant(network, fixture, client_for, django_assert_max_num_queries, by):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(network.users["county"])
    url = reverse("suggestions:review_figures") + f"?by={by}&start=2026-01-01&end=2027-12-31"
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _more_units(network, 12)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.status_code == 200
    assert len(many) == len(few)
    if by == "unit":
        assert "县第11局" in response.content.decode()


def test_figures_export(network, fixture, client_for):
    import io

    from openpyxl import load_workbook

    response = client_for(network.users["county"]).get(
        reverse("suggestions:review_figures_export") + "?start=2026-01-01&end=2027-12-31"
    )
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    assert len(wb.sheetnames) == 3
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    zj = next(r for r in rows if r[0] == "县住建局")
    assert zj[1:4] == (3, 2, 50.0)


def test_bad_period_is_ignored_not_an_error(network, fixture, client_for):
    client = client_for(network.users["county"])
    for query in ["?start=2026-13-45", "?start=2027-01-01&end=2026-01-01", "?start=' OR 1=1--", "?by=<script>"]:
        assert client.get(reverse("suggestions:review_figures") + query).status_code == 200


def test_overdue_and_due_soon(network, fixture):
    user = network.users["county"]
    today = at(12).date()
    assert [s.title for s in review.overdue(user, today=today)] == ["路灯不亮"]
    s = make_suggestion(network.station_a, title="桥栏杆松动")
    assign(s, network.unit, assigned=10, due=15)
    assert [x.title for x in review.due_soon(user, today=today)] == ["桥栏杆松动"]
    assert Assignment.objects.count() == 6
    assert datetime.date(2026, 3, 17) == at(15).date()
