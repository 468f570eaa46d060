"""The mobility report page."""

from __future__ import annotations

from django.views.generic import TemplateView

from liaison import access
from liaison.ids import parse_id
from representatives.selectors import reports as selectors


class MobilityReportView(access.CapabilityRequiredMixin, TemplateView):
    capability = access.Capability.ROSTER
    template_name = "representatives/mobility_report.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        terms = selectors.mobility_report_terms(user=user)
        term = self.request.GET.get("term", "")
        if term not in terms:
            term = ""
        county_id = parse_id(self.request.GET.get("county"))
        fresh = self.request.GET.get("fresh") == "1"  # "recount now" of a report kept in the cache
        report = selectors.mobility_report(user=user, term=term, county_id=county_id, fresh=fresh)
        recount = self.request.GET.copy()
        recount["fresh"] = "1"
        context.update(report=report, terms=terms, term=term, recount_querystring=recount.urlencode())
        return context
