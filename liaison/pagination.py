"""How every console list is paged: one place, used by every list view.

A list at province scale can match 150,000 rows. Two things would then cost more than the page:
an exact COUNT of every row on every request, and a deep page (`OFFSET 135000`), which sorts the
whole joined list to throw most of it away. So a list:

- counts at most `MAX_ROWS + 1` rows (`SELECT COUNT(*) FROM (... LIMIT 10001)`: one bounded query,
  whose cost does not grow past the cap);
- pages through the first `MAX_ROWS` rows only (200 pages of 50): a deeper page number shows the
  last page it may reach, and the page says how many rows match (the planner's estimate past the
  cap, one EXPLAIN) and asks to narrow the filters ("请缩小筛选范围");
- sorts on an order a composite index serves (see the migrations adding `*_list_order` indexes),
  so that even the deepest allowed page walks an index instead of sorting every row.

Templates show it through `includes/pagination.html` (the pages and, when capped, the message).
"""

from __future__ import annotations

import json
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import connections
from django.db.models import QuerySet
from django.db.models.query import ModelIterable
from django.utils.functional import cached_property

MAX_ROWS = 10_000


class ListPaginator(Paginator):
    """A paginator whose COUNT stops at `max_rows` and whose pages reach only that far."""

    def __init__(self, object_list: Any, per_page: int, *, max_rows: int | None = None, **kwargs: Any) -> None:
        super().__init__(object_list, per_page, **kwargs)
        self.max_rows = MAX_ROWS if max_rows is None else max_rows

    @cached_property
    def bounded_count(self) -> int:
        if isinstance(self.object_list, QuerySet):
            return self.object_list.order_by()[: self.max_rows + 1].count()
        return len(self.object_list)

    @cached_property
    def count(self) -> int:
        return min(self.bounded_count, self.max_rows)

    @property
    def capped(self) -> bool:
        """More rows match than the list pages through."""
        return self.bounded_count > self.max_rows

    @cached_property
    def estimate(self) -> int | None:
        """The planner's estimate of the matching rows, asked only past the cap (PostgreSQL)."""
        if not self.capped or not isinstance(self.object_list, QuerySet):
            return None
        qs = self.object_list.order_by()
        if connections[qs.db].vendor != "postgresql":
            return None
        try:
            plan = json.loads(qs.explain(format="json"))
            rows = int(plan[0]["Plan"]["Plan Rows"])
        except (ValueError, KeyError, IndexError, TypeError):
            return None
        return rows if rows > self.max_rows else None

    def page(self, number: Any) -> Page:
        """A page; past the first, its rows are found first on the bare table (the order's index,
        no joins), then loaded with their related rows by primary key: a deep page no longer joins
        every row it skips (a "deferred join"; docs/performance.md, "EXPLAIN at province scale")."""
        qs = self.object_list
        if not (isinstance(qs, QuerySet) and _deferrable(qs)):
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        if bottom == 0:
            return super().page(number)
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = list(qs.values_list("pk", flat=True)[bottom:top])
        return self._get_page(list(qs.filter(pk__in=ids)), number, self)  # type: ignore[attr-defined]


def _deferrable(qs: QuerySet) -> bool:
    """Model rows with no grouping or DISTINCT: finding their keys first gives the same rows."""
    query = qs.query
    model_rows = qs._iterable_class is ModelIterable
    return model_rows and not query.annotations and not query.distinct and query.group_by is None


def paginate(object_list: Any, per_page: int, page: Any, *, max_rows: int | None = None) -> Page:
    """The requested page of a list (`page` as the query string has it; anything odd is page 1)."""
    return ListPaginator(object_list, per_page, max_rows=max_rows).get_page(page)
