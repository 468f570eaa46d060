"""Performance records: the staff list, adding and verifying by hand, "My record", the handbook
(one representative or a whole station, printable), the points rules, the quarterly points."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView
from django_ratelimit.decorators import ratelimit

from liaison import access, pdf
from liaison.ids import parse_id
from liaison.pagination import paginate
from liaison.view_helpers import add_service_errors, querystring_without_page
from representatives.forms import PerformanceRecordForm, PointsRuleSetForm
from representatives.models import PerformanceKind, PointsRuleSet
from representatives.selectors import handbook as handbook_selectors
from representatives.selectors import performance as selectors
from representatives.selectors import report_backs as report_back_selectors
from representatives.selectors.roster import representative_of_user
from representatives.services import performance as services

PAGE_SIZE = 50


def year_from(request) -> int:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or request.POST.get("year", ""))
    except ValueError:
        return today.year
    return year if 2000 <= year <= today.year + 1 else today.year


class RecordListView(access.CapabilityRequiredMixin, TemplateView):
    capability = access.Capability.ROSTER
    template_name = "representatives/performance_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year = year_from(self.request)
        kind = self.request.GET.get("kind", "")
        records = selectors.performance_records_list(
            user=self.request.user,
            year=year,
            kind=kind,
            representative_id=parse_id(self.request.GET.get("representative", "")),
        )
        page_obj = paginate(records, PAGE_SIZE, self.request.GET.get("page"))
        context.update(
            page_obj=page_obj,
            records=page_obj.object_list,
            year=year,
            kind=kind,
            kinds=PerformanceKind.choices,
            querystring=querystring_without_page(self.request.GET),
        )
        return context


class RecordCreateView(access.CapabilityRequiredMixin, FormView):
    capability = access.Capability.ROSTER
    template_name = "representatives/performance_form.html"
    form_class = PerformanceRecordForm

    def dispatch(self, request, *args, **kwargs):
        if access.has_capability(request.user, self.capability):
            self.representative = get_object_or_404(access.performance_representatives(request.user), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(representative=self.representative, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.performance_record_add_manual(
                actor=self.request.user,
                representative=self.representative,
                kind=data["kind"],
                date=data["date"],
                note=data["note"],
                points=data["points"],
                evidence=data["evidence"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("The record was added; it counts once verified."))
        return redirect(reverse("representatives:performance_list") + f"?representative={self.representative.pk}")


class RecordVerifyView(access.CapabilityRequiredMixin, View):
    capability = access.Capability.ROSTER

    def post(self, request, pk):
        record = get_object_or_404(access.performance_records_visible(request.user), pk=pk)
        services.performance_record_verify(actor=request.user, record=record)
        messages.success(request, _("The record was verified."))
        back = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
            back = reverse("representatives:performance_list")
        return redirect(back)


class RecordDeleteView(access.CapabilityRequiredMixin, View):
    capability = access.Capability.ROSTER

    def post(self, request, pk):
        record = get_object_or_404(access.performance_records_visible(request.user), pk=pk)
        try:
            services.performance_record_delete_manual(actor=request.user, record=record)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The record was removed."))
        return redirect(reverse("representatives:performance_list"))


class MyPerformanceView(LoginRequiredMixin, TemplateView):
    """The representative's own record, phone first: this year's duties and points, what is still
    expected this quarter, coming duties."""

    template_name = "representatives/performance_mine.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rep = representative_of_user(user=self.request.user)
        year = year_from(self.request)
        context.update(
            rep=rep,
            year=year,
            summary=selectors.year_summary(representative=rep, year=year),
            expected=selectors.still_expected(representative=rep),
            records=selectors.records_of(representative=rep, year=year).order_by("-date", "-pk")[:20],
            upcoming=selectors.upcoming_duties(representative=rep),
            report_backs=report_back_selectors.report_backs_of(representative=rep)[:5],
        )
        return context


class HandbookView(LoginRequiredMixin, TemplateView):
    template_name = "representatives/handbook.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rep = handbook_selectors.handbook_representative(user=self.request.user, pk=self.kwargs["pk"])
        year = self.kwargs["year"]
        if not 2000 <= year <= timezone.localdate().year + 1:
            raise Http404
        context.update(
            books=handbook_selectors.handbooks(representatives=type(rep).objects.filter(pk=rep.pk), year=year)
        )
        context.update(year=year, title=_("Performance handbook %(year)s: %(name)s") % {"year": year, "name": rep.name})
        context.update(
            rep=rep,
            pdf_links=(
                [(_("Download PDF"), reverse("representatives:handbook_pdf", args=[rep.pk, year]))]
                if pdf.available()
                else []
            ),
        )
        return context


class StationHandbooksView(access.CapabilityRequiredMixin, TemplateView):
    capability = access.Capability.ROSTER
    template_name = "representatives/handbook.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year = self.kwargs["year"]
        if not 2000 <= year <= timezone.localdate().year + 1:
            raise Http404
        station, reps = handbook_selectors.station_handbook_representatives(
            user=self.request.user, station_pk=self.kwargs["station"]
        )
        books = self.station_books(reps, year)
        context.update(
            books=books,
            year=year,
            title=_("Performance handbooks %(year)s: %(station)s") % {"year": year, "station": station.name},
            station=station,
            pdf_links=self.pdf_links(station, year, [len(b.records) for b in books]) if pdf.available() else [],
        )
        return context

    def station_books(self, reps, year):
        return handbook_selectors.handbooks(representatives=reps, year=year)

    @staticmethod
    def pdf_links(station, year: int, record_counts: list[int]) -> list[tuple[str, str]]:
        """One PDF link, or one per part (`pdf_parts`) for a large station."""
        url = reverse("representatives:station_handbooks_pdf", args=[station.pk, year])
        parts = pdf_parts(record_counts)
        if len(parts) <= 1:
            return [(_("Download PDF"), url)]
        return [
            (_("Download PDF (%(first)s–%(last)s)") % {"first": start + 1, "last": end}, f"{url}?part={number}")
            for number, (start, end) in enumerate(parts, start=1)
        ]


# A station's PDF holds at most PDF_PART_SIZE handbooks and PDF_PART_RECORDS records (a handbook
# alone may exceed it): WeasyPrint takes about 0.4 s of CPU per handbook of 100 records (1 s and
# more on a busy server, docs/performance.md), and a request must end well within gunicorn's 30 s.
# A larger station downloads its handbooks in parts (?part=2 ...).
PDF_PART_SIZE = 20
PDF_PART_RECORDS = 2000


def pdf_parts(record_counts: list[int]) -> list[tuple[int, int]]:
    """[start, end) index ranges of consecutive handbooks, each within both limits."""
    parts: list[tuple[int, int]] = []
    start, records = 0, 0
    for i, count in enumerate(record_counts):
        if i > start and (i - start >= PDF_PART_SIZE or records + count > PDF_PART_RECORDS):
            parts.append((start, i))
            start, records = i, 0
        records += count
    if record_counts:
        parts.append((start, len(record_counts)))
    return parts


PDF_BASE_TEMPLATE = "representatives/handbook_pdf_base.html"
UNSAFE_IN_FILENAME = str.maketrans(dict.fromkeys('/\\:*?"<>|', "_"))


def css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def handbook_page_css(year: int) -> str:
    """The PDF's page margins: the representative's name and the handbook's title in the header,
    "第 N 页 / 共 M 页" in the footer; nothing on a cover page. Built here to be translated."""
    before, _sep, rest = _("Page {page} of {pages}").partition("{page}")
    middle, _sep, after = rest.partition("{pages}")
    number = " ".join([css_string(before), "counter(page)", css_string(middle), "counter(pages)", css_string(after)])
    heading = css_string(_("Performance handbook %(year)s") % {"year": year})
    margin = "font-size: 8.5pt; color: #555;"
    return (
        f"@page {{ @top-left {{ content: string(representative); {margin} }}"
        f" @top-right {{ content: {heading}; {margin} }}"
        f" @bottom-center {{ content: {number}; {margin} }} }}"
        " @page cover { @top-left { content: none; } @top-right { content: none; } @bottom-center { content: none; } }"
    )


def handbooks_pdf(books, *, context: dict, title: str, year: int) -> bytes:
    """handbook.html extending the PDF base, one document per handbook (each starts on a new page
    and numbers its own pages), joined into one PDF. Rendered without the request: no context
    processor, no query per handbook."""
    groups = [[book] for book in books] or [[]]  # a station without representatives: one page saying so
    htmls = [
        render_to_string(HandbookView.template_name, {**context, "books": group, "base_template": PDF_BASE_TEMPLATE})
        for group in groups
    ]
    return pdf.render(htmls, title=title, stylesheet=handbook_page_css(year))


class HandbookPdfMixin:
    """The handbook page made into a PDF: the SAME template (handbook.html) and context, by
    `handbooks_pdf`. Without WeasyPrint's native libraries: a page saying to print instead."""

    def render_to_response(self, context, **response_kwargs):
        if not pdf.available():
            return render(
                self.request, "representatives/handbook_pdf_unavailable.html", {"back_url": self.html_url(context)}
            )
        content = handbooks_pdf(context["books"], context=context, title=context["title"], year=context["year"])
        name = self.download_name(context).translate(UNSAFE_IN_FILENAME)
        filename = f"{_('Performance handbook')}-{name}-{context['year']}.pdf"
        return pdf.pdf_response(content, filename, self.ascii_filename(context))


def pdf_rate(group, request):
    return settings.HANDBOOK_PDF_RATELIMIT


_pdf_limited = method_decorator(ratelimit(group="handbook_pdf", key="user_or_ip", rate=pdf_rate), name="get")


@_pdf_limited
class HandbookPdfView(HandbookPdfMixin, HandbookView):
    def html_url(self, context):
        return reverse("representatives:handbook", args=[context["rep"].pk, context["year"]])

    def download_name(self, context):
        return context["rep"].name

    def ascii_filename(self, context):
        return f"handbook-{context['rep'].pk}-{context['year']}.pdf"


@_pdf_limited
class StationHandbooksPdfView(HandbookPdfMixin, StationHandbooksView):
    def station_books(self, reps, year):
        """The handbooks of one part (?part=N, `pdf_parts`); a part that does not exist is a 404."""
        part = parse_id(self.request.GET.get("part", "1"))
        counts = handbook_selectors.handbook_record_counts(representatives=reps, year=year)
        parts = pdf_parts([n for _pk, n in counts]) or [(0, 0)]  # no representative: a page saying so
        if part is None or part > len(parts):
            raise Http404
        start, end = parts[part - 1]
        self.part = part if len(parts) > 1 else None
        pks = [pk for pk, _n in counts[start:end]]
        return handbook_selectors.handbooks(representatives=reps.filter(pk__in=pks), year=year)

    def html_url(self, context):
        return reverse("representatives:station_handbooks", args=[context["station"].pk, context["year"]])

    def download_name(self, context):
        return context["station"].name if self.part is None else f"{context['station'].name}-{self.part}"

    def ascii_filename(self, context):
        part = "" if self.part is None else f"-{self.part}"
        return f"handbooks-station-{context['station'].pk}-{context['year']}{part}.pdf"


class RulesView(LoginRequiredMixin, TemplateView):
    template_name = "representatives/points_rules.html"

    def get_context_data(self, **kwargs):
        if not access.sees_points_rules(self.request.user):
            raise PermissionDenied
        context = super().get_context_data(**kwargs)
        rule_sets = list(selectors.rule_sets())
        context.update(
            rule_sets=rule_sets,
            defaults=selectors.DEFAULT_RULES,
            kinds=PerformanceKind.choices,
            may_edit=access.may_edit_points_rules(self.request.user),
            min_duties=selectors.MIN_DUTIES_PER_QUARTER,
        )
        return context


class RulesEditView(LoginRequiredMixin, FormView):
    template_name = "representatives/points_rules_form.html"
    form_class = PointsRuleSetForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not access.may_edit_points_rules(request.user):
            raise PermissionDenied
        self.rule_set = get_object_or_404(PointsRuleSet, pk=kwargs["pk"]) if "pk" in kwargs else None
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["rules"] = selectors.rule_set_rules(self.rule_set)
        if self.rule_set is not None:
            kwargs["initial"] = {"valid_from": self.rule_set.valid_from, "note": self.rule_set.note}
        return kwargs

    def form_valid(self, form):
        try:
            services.points_rule_set_save(
                actor=self.request.user,
                rule_set=self.rule_set,
                valid_from=form.cleaned_data["valid_from"],
                note=form.cleaned_data["note"],
                rules=form.rules(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("The points rules were saved; the records they price were updated."))
        return redirect("representatives:points_rules")


class RulesDeleteView(LoginRequiredMixin, View):
    """Remove rules saved by mistake: the records they priced take the points of the rules in force
    before them (or the defaults) at once."""

    def post(self, request, pk):
        if not access.may_edit_points_rules(request.user):
            raise PermissionDenied
        rule_set = get_object_or_404(PointsRuleSet, pk=pk)
        valid_from = rule_set.valid_from
        services.points_rule_set_delete(actor=request.user, rule_set=rule_set)
        messages.success(
            request,
            _("The rules in force from %(date)s were removed; the records they priced were updated.")
            % {"date": valid_from.isoformat()},
        )
        return redirect("representatives:points_rules")


class QuarterlyPointsView(access.CapabilityRequiredMixin, TemplateView):
    capability = access.Capability.ROSTER
    template_name = "representatives/quarterly_points.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year = year_from(self.request)
        reps = handbook_selectors.quarterly_points(user=self.request.user, year=year)
        page_obj = paginate(reps, PAGE_SIZE, self.request.GET.get("page"))
        county, public = handbook_selectors.points_publication(user=self.request.user)
        context.update(
            year=year,
            page_obj=page_obj,
            reps=page_obj.object_list,
            county=county,
            public=public,
            may_publish=access.may_publish_points(self.request.user) and county is not None,
            querystring=querystring_without_page(self.request.GET),
        )
        return context

    def post(self, request):
        county, _public = handbook_selectors.points_publication(user=request.user)
        if county is None or not access.may_publish_points(request.user):
            raise PermissionDenied
        services.points_publication_set(actor=request.user, county=county, public=request.POST.get("public") == "1")
        messages.success(request, _("The publication setting was saved."))
        return redirect("representatives:quarterly_points")


class EvidenceView(LoginRequiredMixin, View):
    """A record's evidence is served only to those who see the record (never from a public media URL)."""

    def get(self, request, pk):
        record = get_object_or_404(access.performance_records_visible(request.user), pk=pk)
        if not record.evidence:
            raise Http404
        try:
            handle = record.evidence.open("rb")
        except FileNotFoundError as exc:
            raise Http404 from exc
        return FileResponse(handle, filename=record.evidence.name.rsplit("/", 1)[-1])
