"""The review console's workbooks (.xlsx, openpyxl): the filtered list and the figures.

Voters' phones are masked in the list export (county staff see them masked on screen too);
names are left out.
"""

from __future__ import annotations

import io
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from liaison.privacy import mask_phone
from suggestions.models import Suggestion
from suggestions.selectors.review import RESULTS, SATISFACTIONS, Figures

# Rows in one list export at most (the list's filters narrow it further).
MAX_ROWS = 50_000


def _save(wb: Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _widths(ws, widths: Iterable[int]) -> None:
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width


def _local(value):
    return timezone.localtime(value).replace(tzinfo=None) if value else None


def list_workbook(rows: Iterable[Suggestion], lead_units: dict[int, str]) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("Suggestions"))
    _widths(ws, [12, 30, 10, 12, 20, 12, 16, 18, 12, 18, 12, 8, 10])
    ws.append(
        [
            _("Tracking code"),
            _("Subject"),
            _("Kind"),
            _("Category"),
            _("Liaison station"),
            _("Township"),
            _("Status"),
            _("Handling unit"),
            _("Due on"),
            _("Submitted at"),
            _("Contact phone"),
            _("Result"),
            _("Satisfaction"),
        ]
    )
    for s in rows:
        ws.append(
            [
                s.code,
                s.title,
                s.get_kind_display(),
                s.category.name,
                s.station.name,
                s.township.name if s.township is not None else "",
                s.get_status_display(),
                lead_units.get(s.pk, ""),
                s.due_on,
                _local(s.submitted_at),
                mask_phone(s.contact_phone),
                s.result,
                s.get_satisfaction_display() if s.satisfaction else "",
            ]
        )
    return _save(wb)


def _figure_header(first: str) -> list[str]:
    return [
        first,
        _("Received"),
        _("Answered"),
        _("Answered on time (%)"),
        _("Mean days to answer"),
        _("Median days to answer"),
        *[f"{r} (%)" for r in RESULTS],
        *[f"{str(Suggestion.Satisfaction(v).label)} (%)" for v in SATISFACTIONS],
        _("Reopened"),
        _("Overdue now"),
    ]


def _figure_row(row: Figures) -> list:
    return [
        row.label,
        row.received,
        row.answered,
        row.on_time_pct,
        row.mean_days,
        row.median_days,
        *row.result_shares,
        *row.rating_shares,
        row.reopened,
        row.overdue,
    ]


def figures_workbook(tables: list[tuple[str, str, list[Figures]]]) -> bytes:
    """One sheet per table: (sheet title, first column's title, rows)."""
    wb = Workbook(write_only=True)
    for title, first, rows in tables:
        ws = wb.create_sheet(title)
        _widths(ws, [24] + [12] * 15)
        ws.append(_figure_header(first))
        for row in rows:
            ws.append(_figure_row(row))
    return _save(wb)
