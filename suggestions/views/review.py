"""The county review console (办理督查): figures per unit, station and township over a period, the
list with every filter and its export, overdue and due-soon items, and supervision (督办).
County staff only (`Capability.SUGGESTION_REVIEW`, scope `access.suggestions_reviewable`)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from liaison import access
from liaison.pagination import paginate
from liaison.view_helpers import without_page, xlsx_response
from suggestions.forms.review import PeriodForm, ReviewFilter
from suggestions.selectors import review as selectors
from suggestions.selectors import review_workbook

BY = {"unit": selectors.unit_figures, "station": None, "township": None}


class ReviewMixin(access.CapabilityRequiredMixin):
    capability = access.Capability.SUGGESTION_REVIEW


def _figures(user, by: str, start, end):
    if by == "unit":
        return selectors.unit_figures(user, start=start, end=end)
    return selectors.place_figures(user, by=by, start=start, end=end)


def _by(request) -> str:
    by = request.GET.get("by")
    return by if by in BY else "unit"


class ReviewFiguresView(ReviewMixin, TemplateView):
    template_name = "suggestions/review/figures.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        period = PeriodForm(self.request.GET or None)
        start, end = period.period()
        by = _by(self.request)
        today = timezone.localdate()
        context.update(
            period_form=period,
            start=start,
            end=end,
            by=by,
            rows=_figures(user, by, start, end),
            overdue_count=selectors.overdue(user, today=today).count(),
            due_soon_count=selectors.due_soon(user, today=today).count(),
            supervision_count=selectors.supervisions(user).count(),
            querystring=without_page(self.request.GET).urlencode(),
            results=selectors.RESULTS,
        )
        return context


class ReviewFiguresExportView(ReviewMixin, View):
    def get(self, request):
        start, end = PeriodForm(request.GET or None).period()
        user = request.user
        content = review_workbook.figures_workbook(
            [
                (_("By handling unit"), _("Handling unit"), _figures(user, "unit", start, end)),
                (_("By station"), _("Liaison station"), _figures(user, "station", start, end)),
                (_("By township"), _("Township"), _figures(user, "township", start, end)),
            ]
        )
        return xlsx_response(content, f"{_('Suggestion handling figures')}-{timezone.localdate():%Y%m%d}.xlsx")


class ReviewListView(ReviewMixin, TemplateView):
    template_name = "suggestions/review/list.html"
    paginate_by = 50

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        filterset = ReviewFilter(self.request.GET or None, queryset=selectors.review_suggestions(user), user=user)
        page_obj = paginate(filterset.qs, self.paginate_by, self.request.GET.get("page"))
        rows = list(page_obj.object_list)
        units = selectors.lead_units(rows)
        for row in rows:
            row.lead_unit = units.get(row.pk, "")
        context.update(
            filter=filterset,
            page_obj=page_obj,
            rows=rows,
            querystring=without_page(self.request.GET).urlencode(),
            today=timezone.localdate(),
        )
        return context


class ReviewListExportView(ReviewMixin, View):
    def get(self, request):
        user = request.user
        filterset = ReviewFilter(request.GET or None, queryset=selectors.review_suggestions(user), user=user)
        rows = list(filterset.qs[: review_workbook.MAX_ROWS])
        content = review_workbook.list_workbook(rows, selectors.lead_units(rows))
        return xlsx_response(content, f"{_('Suggestions')}-{timezone.localdate():%Y%m%d}.xlsx")


class ReviewDeadlinesView(ReviewMixin, TemplateView):
    """Overdue and due within seven days: the first 50 of each, the rest through the list."""

    template_name = "suggestions/review/deadlines.html"
    shown = 50

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        today = timezone.localdate()
        overdue = list(selectors.overdue(user, today=today)[: self.shown + 1])
        due_soon = list(selectors.due_soon(user, today=today)[: self.shown + 1])
        units = selectors.lead_units(overdue + due_soon)
        for row in overdue + due_soon:
            row.lead_unit = units.get(row.pk, "")
            row.days = (row.due_on - today).days if row.due_on else None
        context.update(
            overdue=overdue[: self.shown],
            overdue_more=len(overdue) > self.shown,
            due_soon=due_soon[: self.shown],
            due_soon_more=len(due_soon) > self.shown,
            today=today,
        )
        return context


class ReviewSupervisionView(ReviewMixin, TemplateView):
    template_name = "suggestions/review/supervision.html"
    paginate_by = 50

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page_obj = paginate(selectors.supervisions(self.request.user), self.paginate_by, self.request.GET.get("page"))
        context.update(page_obj=page_obj, rows=page_obj.object_list, today=timezone.localdate(), querystring="")
        return context
