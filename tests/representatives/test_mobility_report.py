"""The mobility report: counts and shares per level and per township, scoped, printable."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from representatives.selectors.refresh import percent
from representatives.selectors.reports import mobility_report
from tests.representatives.factories import make_representative
from tests.representatives.register_helpers import build_register


@pytest.fixture
def register(network):
    return build_register(network)


def rows_of(report):
    return {
        (row.level, row.township): (row.total, row.in_county_town, row.county_town_percent, row.mobile)
        for section in report["sections"]
        for row in section.rows
    }


def test_counts_and_percentages_on_a_known_roster(network, register):
    report = mobility_report(user=network.users["county"])
    assert rows_of(report) == {
        ("county", "甲镇"): (3, 2, Decimal("66.67"), 2),
        ("county", "乙乡"): (1, 1, Decimal("100.00"), 1),
        ("township", "甲镇"): (3, 1, Decimal("33.33"), 2),
        ("township", "乙乡"): (1, 0, Decimal("0.00"), 0),
    }
    county, township = report["sections"]
    assert (county.subtotal.total, county.subtotal.in_county_town, county.subtotal.county_town_percent) == (
        4,
        3,
        Decimal("75.00"),
    )
    assert (township.subtotal.total, township.subtotal.mobile, township.subtotal.county_town_percent) == (
        4,
        2,
        Decimal("25.00"),
    )
    total = report["total"]
    assert (total.total, total.in_county_town, total.county_town_percent, total.mobile) == (8, 4, Decimal("50.00"), 5)


def test_percent_rounds_half_up_to_two_decimals():
    assert percent(1, 3) == Decimal("33.33")
    assert percent(2, 3) == Decimal("66.67")
    assert percent(1, 8) == Decimal("12.50")
    assert percent(0, 0) == Decimal("0.00")


def test_report_is_scoped(network, register):
    township = mobility_report(user=network.users["township"])
    assert set(rows_of(township)) == {("county", "甲镇"), ("township", "甲镇")}
    assert township["total"].total == 6
    officer_b = mobility_report(user=register.users["officer_b"])
    assert rows_of(officer_b) == {
        ("county", "乙乡"): (1, 1, Decimal("100.00"), 1),
        ("township", "乙乡"): (1, 0, Decimal("0.00"), 0),
    }


def test_report_page_shows_the_table_in_chinese_and_can_print(network, register, client_for):
    response = client_for(network.users["county"]).get(reverse("representatives:mobility_report"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "66.67" in page and "50.00" in page
    assert "居住在县城" in page and "代表人数" in page and "合计" in page
    assert 'data-testid="print-button"' in page


def test_report_filters_by_term_and_ignores_an_unknown_term(network, register, client_for):
    make_representative(network, name="上届代表", term="第十七届")
    client = client_for(network.users["county"])
    response = client.get(reverse("representatives:mobility_report"), {"term": "第十七届"})
    assert response.context["report"]["total"].total == 1
    response = client.get(reverse("representatives:mobility_report"), {"term": "<script>"})
    assert response.status_code == 200
    assert response.context["report"]["total"].total == 9


def test_report_queries_do_not_grow_with_representatives(network, register, client_for):
    client = client_for(network.users["county"])
    url = reverse("representatives:mobility_report")
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    for i in range(30):
        make_representative(network, name=f"加{i}", residence=register.community if i % 2 else None)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert response.context["report"]["total"].total == 38
    assert len(small.captured_queries) == len(large.captured_queries)
