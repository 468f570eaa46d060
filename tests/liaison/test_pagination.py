"""Every console list pages through liaison.pagination: a bounded COUNT, a depth cap with a Chinese
message saying how many rows match, and an index for the default order of the long lists."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from liaison import pagination
from tests.representatives.factories import make_representative


def test_a_list_past_the_cap_says_so_and_pages_only_that_far(network, client_for, monkeypatch):
    monkeypatch.setattr(pagination, "MAX_ROWS", 3)
    for i in range(5):
        make_representative(network, name=f"代表{i}")
    client = client_for(network.users["county"])
    url = reverse("representatives:list")
    response = client.get(url)
    paginator = response.context["page_obj"].paginator
    assert paginator.capped and paginator.count == 3
    assert len(response.context["representatives"]) == 3
    html = response.content.decode()
    assert "超过 3 位" in html
    assert "请缩小筛选范围" in html and 'data-testid="list-capped"' in html
    # A page past the cap shows the last page it may reach, never an error.
    for page in ("2", "9999", "-1", "x"):
        assert client.get(url, {"page": page}).status_code == 200
    # Narrowed below the cap: an exact count and no message.
    narrowed = client.get(url, {"q": "代表1"})
    assert not narrowed.context["page_obj"].paginator.capped
    assert "请缩小筛选范围" not in narrowed.content.decode()


def test_the_count_is_one_bounded_query(network, client_for):
    make_representative(network, name="代表甲")
    client = client_for(network.users["county"])
    with CaptureQueriesContext(connection) as ctx:
        client.get(reverse("representatives:list"))
    sqls = [q["sql"] for q in ctx.captured_queries]
    counts = [sql for sql in sqls if "COUNT(" in sql and "representatives_representative" in sql]
    assert len(counts) == 1
    assert "LIMIT 10001" in counts[0]


def test_estimate_past_the_cap_comes_from_the_planner(network, monkeypatch):
    from representatives.models import Representative

    for i in range(4):
        make_representative(network, name=f"代表{i}")
    paginator = pagination.ListPaginator(Representative.objects.order_by("pk"), 2, max_rows=2)
    assert paginator.capped and paginator.count == 2 and paginator.num_pages == 1
    # The planner's guess on a tiny table may be anything: an int above the cap, or no estimate.
    assert paginator.estimate is None or paginator.estimate > 2
    assert pagination.ListPaginator([1, 2, 3], 2, max_rows=2).estimate is None


@pytest.mark.parametrize(
    "table, index",
    [
        ("representatives_representative", "representative_list_order"),
        ("liaison_activity", "activity_list_order"),
        ("voters_householdvisit", "householdvisit_list_order"),
        ("voters_receptionday", "receptionday_list_order"),
    ],
)
def test_the_default_orders_have_their_index(db, table, index):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = %s AND indexname = %s", [table, index])
        assert cursor.fetchone(), index


def test_a_deep_page_finds_its_rows_first_and_shows_the_same_rows(network, client_for):
    from representatives.models import Representative

    for i in range(7):
        make_representative(network, name=f"代表{i}", specialties=["农业"])
    qs = Representative.objects.select_related("home_station").prefetch_related("specialties")
    qs = qs.order_by("name_initials", "name", "pk")
    expected = list(qs.values_list("pk", flat=True))
    paginator = pagination.ListPaginator(qs, 3)
    assert paginator.count == 7
    with CaptureQueriesContext(connection) as ctx:
        second = paginator.page(2)
        rows = [(rep.pk, rep.home_station.name, [s.name for s in rep.specialties.all()]) for rep in second]
    assert [pk for pk, _, _ in rows] == expected[3:6]
    assert all(specialties == ["农业"] for _, _, specialties in rows)
    sqls = [q["sql"] for q in ctx.captured_queries]
    # The keys of the page alone (no join), then the page's rows with their station, then the prefetch.
    assert len(sqls) == 3 and "JOIN" not in sqls[0] and "OFFSET 3" in sqls[0]
    assert [rep.pk for rep in paginator.page(3)] == expected[6:]
