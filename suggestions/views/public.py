"""Public pages (no login, phone first): the opinion form a station's or a representative's QR
code opens, the tracking page by code with the voter's rating, and a station's published answers.

Limits (django-ratelimit, per client address; a limit reached answers the 429 page):
submitting the form (`SUGGESTION_FORM_RATELIMIT`), looking up a code that does not exist
(`SUGGESTION_TRACK_RATELIMIT`: only failed lookups count, so a voter following their own code is
never stopped) and a wrong phone tail on the rating form (`SUGGESTION_RATING_RATELIMIT`).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.csrf import csrf_protect
from django_ratelimit.core import get_usage
from django_ratelimit.decorators import ratelimit
from django_ratelimit.exceptions import Ratelimited

from liaison.pagination import paginate
from liaison.view_helpers import add_service_errors
from suggestions.forms.public import PublicRatingForm, PublicSuggestionForm
from suggestions.models import Rating, Suggestion
from suggestions.selectors import public as selectors
from suggestions.services import handling as handling_services
from suggestions.services import intake as intake_services

SESSION_KEY = "suggestions_public_submitted"


def form_rate(group, request):
    return settings.SUGGESTION_FORM_RATELIMIT


def track_rate(group, request):
    return settings.SUGGESTION_TRACK_RATELIMIT


def rating_rate(group, request):
    return settings.SUGGESTION_RATING_RATELIMIT


def _limited(request, group: str, rate, *, increment: bool) -> bool:
    """Count this request against the limit (`increment`), or only ask whether it is reached."""
    usage = get_usage(request, group=group, key="ip", rate=rate, increment=increment)
    if usage is None:  # limits switched off
        return False
    return usage["should_limit"] if increment else usage["count"] >= usage["limit"]


def _addressee(request):
    """(station, representative) the QR code names: ?station=<slug> or ?representative=<id>."""
    representative = selectors.representative_for_form(request.GET.get("representative"))
    if representative is not None:
        return representative.home_station, representative
    return selectors.station_for_form(request.GET.get("station")), None


@method_decorator(csrf_protect, name="dispatch")
@method_decorator(ratelimit(group="suggestion_public_form", key="ip", rate=form_rate, method="POST"), name="post")
class PublicSuggestionFormView(View):
    template_name = "suggestions/public/suggestion_form.html"

    def render_form(self, request, form, station, representative, status=200):
        return render(
            request,
            self.template_name,
            {"form": form, "station": station, "representative": representative},
            status=status,
        )

    def get(self, request):
        station, representative = _addressee(request)
        form = PublicSuggestionForm(categories=selectors.public_categories()) if station else None
        return self.render_form(request, form, station, representative)

    def post(self, request):
        station, representative = _addressee(request)
        if station is None:
            return self.render_form(request, None, None, None, status=400)
        form = PublicSuggestionForm(request.POST, categories=selectors.public_categories())
        if form.is_bot():
            form.is_valid()
            form.add_error(None, _("This form could not be accepted. Reload the page and try again."))
            return self.render_form(request, form, station, representative, status=400)
        if not form.is_valid():
            return self.render_form(request, form, station, representative)
        data = form.cleaned_data
        try:
            suggestion = intake_services.suggestion_create_public(
                station_id=None if representative else station.pk,
                representative_id=representative.pk if representative else None,
                source=(Suggestion.Source.REPRESENTATIVE_CODE if representative else Suggestion.Source.STATION_CODE),
                title=data["title"],
                content=data["content"],
                category_id=data["category"].pk,
                contact_name=data["contact_name"],
                contact_phone=data["contact_phone"],
                publish_consent=data["publish_consent"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.render_form(request, form, station, representative)
        # The code is shown once on the next page (kept in the session, never in the address).
        request.session[SESSION_KEY] = suggestion.code
        return redirect("suggestions:public_submitted")


class PublicSubmittedView(View):
    def get(self, request):
        code = selectors.normalize_code(request.session.get(SESSION_KEY))
        if not code:
            return redirect("suggestions:public_track")
        track_url = request.build_absolute_uri(reverse("suggestions:public_track_detail", args=[code]))
        return render(request, "suggestions/public/suggestion_submitted.html", {"code": code, "track_url": track_url})


def _not_found(request, typed: str, status: int):
    """A lookup that found nothing: counted against the limit, and said plainly."""
    _limited(request, "suggestion_track_miss", track_rate, increment=True)
    return render(
        request,
        "suggestions/public/track_lookup.html",
        {
            "typed": typed[:40],
            "error": _(
                "No suggestion has this tracking code. Check the code (10 letters and digits) on the page "
                "or the message you got when you submitted it."
            ),
        },
        status=status,
    )


class PublicTrackView(View):
    """The lookup form: type a code, open its page."""

    def get(self, request):
        typed = (request.GET.get("code") or "").strip()
        if not typed:
            return render(request, "suggestions/public/track_lookup.html", {})
        if _limited(request, "suggestion_track_miss", track_rate, increment=False):
            raise Ratelimited()
        code = selectors.normalize_code(typed)
        if code and selectors.tracking_by_code(code) is not None:
            return redirect("suggestions:public_track_detail", code=code)
        return _not_found(request, typed, status=200)


@method_decorator(csrf_protect, name="dispatch")
class PublicTrackDetailView(View):
    template_name = "suggestions/public/track_detail.html"

    def load(self, request, code):
        if _limited(request, "suggestion_track_miss", track_rate, increment=False):
            raise Ratelimited()
        tracking = selectors.tracking_by_code(code)
        if tracking is None:
            raise Http404
        return tracking

    def render_page(self, request, tracking, form=None, status=200):
        if tracking.may_rate and form is None:
            form = PublicRatingForm(initial={"version": tracking.version})
        return render(request, self.template_name, {"t": tracking, "form": form}, status=status)

    def get(self, request, code):
        try:
            tracking = self.load(request, code)
        except Http404:
            return _not_found(request, code, status=404)
        return self.render_page(request, tracking)

    def post(self, request, code):
        try:
            tracking = self.load(request, code)
        except Http404:
            return _not_found(request, code, status=404)
        if not tracking.may_rate:
            return self.render_page(request, tracking)
        if _limited(request, "suggestion_rating_check", rating_rate, increment=False):
            raise Ratelimited()
        form = PublicRatingForm(request.POST)
        if not form.is_valid():
            return self.render_page(request, tracking, form)
        if not selectors.phone_tail_matches(tracking.pk, form.cleaned_data["last_four"]):
            _limited(request, "suggestion_rating_check", rating_rate, increment=True)
            form.add_error("last_four", _("These are not the last four digits of the phone given with it."))
            return self.render_page(request, tracking, form)
        try:
            handling_services.suggestion_rate(
                suggestion_id=tracking.pk,
                value=form.cleaned_data["value"],
                by=Rating.By.VOTER,
                comment=form.cleaned_data["comment"],
                version=form.cleaned_data["version"],
            )
        except (ValidationError, PermissionDenied) as exc:
            if isinstance(exc, PermissionDenied):
                exc = ValidationError(_("This answer cannot be rated now. Reload the page."))
            add_service_errors(form, exc)
            return self.render_page(request, tracking, form)
        messages.success(request, _("Thank you: your rating was recorded."))
        return redirect("suggestions:public_track_detail", code=tracking.code)


class PublishedAnswersView(View):
    """A station's published answers (with the voter's consent), for its public page."""

    paginate_by = 20

    def get(self, request, slug):
        station = selectors.station_for_form(slug)
        if station is None:
            raise Http404
        page_obj = paginate(selectors.published_answers(station), self.paginate_by, request.GET.get("page"))
        return render(
            request,
            "suggestions/public/published_answers.html",
            {"station": station, "page_obj": page_obj, "answers": page_obj.object_list},
        )
