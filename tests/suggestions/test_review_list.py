"""The review list: every filter, a constant number of queries, the export with masked phones."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from suggestions.models import Category, HandlingUnit, Supervision
from tests.suggestions.review_helpers import (
    answer,
    assign,
    make_suggestion,
    reference_data,  # noqa: F401  (fixture)
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_data")]


@pytest.fixture
def rows(network):
    other = HandlingUnit.objects.create(name="县交通局", division=network.county)
    today = timezone.localdate()
    late = make_suggestion(network.station_a, title="超期的路灯", phone="13811112222")
    a = assign(late, network.unit, assigned=0, due=1)
    soon = make_suggestion(network.station_b, title="快到期的桥", kind="proposal")
    assign(soon, other, assigned=0, due=1)
    from suggestions.models import Assignment, Suggestion

    Assignment.objects.filter(suggestion=soon).update(due_on=today + timezone.timedelta(days=3))
    Suggestion.objects.filter(pk=soon.pk).update(due_on=today + timezone.timedelta(days=3))
    done = make_suggestion(network.point_a, title="已答复的沟渠", category=Category.objects.order_by("-pk").first())
    answer(assign(done, other, assigned=0, due=30), answered=3, result="B", rating="satisfied")
    return {"late": late, "soon": soon, "done": done, "other": other, "assignment": a}


def titles(response):
    return sorted(s.title for s in response.context["rows"])


@pytest.mark.parametrize(
    "query,expected",
    [
        ("", ["已答复的沟渠", "快到期的桥", "超期的路灯"]),
        ("status=closed", ["已答复的沟渠"]),
        ("kind=proposal", ["快到期的桥"]),
        ("overdue=overdue", ["超期的路灯"]),
        ("overdue=due_soon", ["快到期的桥"]),
        ("unit=UNIT", ["超期的路灯"]),
        ("station=STATION_B", ["快到期的桥"]),
        ("township=TOWNSHIP_A", ["已答复的沟渠", "超期的路灯"]),
        ("submitted_after=2026-03-01&submitted_before=2026-03-03", ["已答复的沟渠", "快到期的桥", "超期的路灯"]),
        ("submitted_after=2030-01-01", []),
        ("submitted_before=2026-01-01", []),
        ("status=nonsense&unit=' OR 1=1--", ["已答复的沟渠", "快到期的桥", "超期的路灯"]),
    ],
)
def test_filters(network, rows, client_for, query, expected):
    query = (
        query.replace("UNIT", str(network.unit.pk))
        .replace("STATION_B", str(network.station_b.pk))
        .replace("TOWNSHIP_A", str(network.township_a.pk))
    )
    response = client_for(network.users["county"]).get(reverse("suggestions:review_list") + "?" + query)
    assert response.status_code == 200
    assert titles(response) == expected


def test_category_filter(network, rows, client_for):
    cat = Category.objects.order_by("-pk").first()
    response = client_for(network.users["county"]).get(reverse("suggestions:review_list") + f"?category={cat.pk}")
    assert titles(response) == ["已答复的沟渠"]


def _more(network, n):
    for i in range(n):
        unit = HandlingUnit.objects.create(name=f"县第{i}局", division=network.county)
        s = make_suggestion(network.station_b, title=f"事项{i}")
        answer(assign(s, unit, assigned=0, due=10), answered=2, result="C")
        Supervision.objects.create(
            suggestion=s, supervisor=network.users["county"], next_check_on=timezone.localdate(), note="每周查"
        )


@pytest.mark.parametrize("name", ["review_list", "review_deadlines", "review_supervision", "review_figures"])
def test_query_count_is_constant(network, rows, client_for, name):
    Supervision.objects.create(
        suggestion=rows["late"], supervisor=network.users["county"], next_check_on=timezone.localdate()
    )
    client = client_for(network.users["county"])
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse(f"suggestions:{name}")).status_code == 200
    _more(network, 15)
    with CaptureQueriesContext(connection) as many:
        assert client.get(reverse(f"suggestions:{name}")).status_code == 200
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


def test_supervision_list_shows_who_and_when(network, rows, client_for):
    network.users["county"].first_name = "督办人甲"
    Supervision.objects.create(
        suggestion=rows["late"], supervisor=network.users["county"], next_check_on="2026-12-01", note="每周查"
    )
    page = client_for(network.users["county"]).get(reverse("suggestions:review_supervision")).content.decode()
    assert "超期的路灯" in page and "2026-12-01" in page and "每周查" in page


def test_export_follows_the_filters_and_masks_phones(network, rows, client_for):
    response = client_for(network.users["county"]).get(reverse("suggestions:review_list_export") + "?overdue=overdue")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    values = list(sheet.iter_rows(values_only=True))
    assert len(values) == 2
    row = values[1]
    assert row[1] == "超期的路灯" and row[7] == "县住建局"
    assert "138****2222" in row and "13811112222" not in row
    assert "张三" not in row


def test_many_stations_become_a_name_search(network, rows, client_for):
    from liaison import services

    for i in range(51):
        services.station_create(
            actor=network.users["superuser"],
            name=f"乙村第{i}联络点",
            kind="point",
            division=network.township_b,
            parent=network.station_b,
            slug=f"b-x{i}",
        )
    client = client_for(network.users["county"])
    response = client.get(reverse("suggestions:review_list") + "?station_name=乙乡")
    assert "station" not in response.context["filter"].form.fields
    assert titles(response) == ["快到期的桥"]
