"""The public station page and representative card (no login, phone first), and the QR posters
staff print for them (the poster page, PNG and SVG): thin views over `liaison.public.selectors`.

A poster is a staff page, access-checked like the station or representative page it is reached
from (another station's is a 404); the public pages it points at need no login."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views import View

from liaison import access
from liaison.public import qr, selectors


def public_url(request, path: str) -> str:
    """The absolute address of a public page: PUBLIC_BASE_URL when set, else this request's host."""
    base = settings.PUBLIC_BASE_URL
    return f"{base}{path}" if base else request.build_absolute_uri(path)


class StationPageView(View):
    def get(self, request, slug):
        page = selectors.station_page(slug)
        form_url = reverse("suggestions:public_form") + f"?station={page.station.slug}"
        return render(request, "public/station_page.html", {"page": page, "form_url": form_url})


class RepresentativeCardView(View):
    def get(self, request, pk):
        card = selectors.representative_card(pk)
        form_url = reverse("suggestions:public_form") + f"?representative={card.representative.pk}"
        return render(request, "public/representative_card.html", {"card": card, "form_url": form_url})


def _qr_response(fmt: str, url: str, title: str, filename: str) -> HttpResponse:
    if fmt == "png":
        response = HttpResponse(qr.png_file(url), content_type="image/png")
    else:
        response = HttpResponse(qr.svg_file(url, title), content_type="image/svg+xml")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


def _voter_points() -> list[str]:
    return [
        _("See the representatives and the coming reception days"),
        _("Send an opinion or suggestion, and follow its handling with a tracking code"),
    ]


def _poster(request, fmt, *, url: str, name: str, filename: str, qr_route: str, pk: int, **context):
    """The printable A4 poster of a page's code (fmt None), or the code as PNG / SVG."""
    if fmt:
        return _qr_response(fmt, url, name, filename)
    return render(
        request,
        "public/poster.html",
        {
            "url": url,
            "svg": qr.svg_inline(url),
            "png_url": reverse(qr_route, args=[pk, "png"]),
            "svg_url": reverse(qr_route, args=[pk, "svg"]),
            **context,
        },
    )


class StationPosterView(access.CapabilityRequiredMixin, View):
    capability = access.Capability.STATION_CONSOLE

    def get(self, request, pk, fmt=None):
        station = selectors.station_for_poster(user=request.user, pk=pk)
        return _poster(
            request,
            fmt,
            url=public_url(request, reverse("public:station", args=[station.slug])),
            name=station.name,
            filename=f"qr-station-{station.slug}",
            qr_route="public:station_qr",
            pk=station.pk,
            heading=station.name,
            subheading=station.opening_hours,
            call=_("Scan to see the station, its representatives and reception days, and to send an opinion"),
            points=_voter_points(),
            back_url=station.get_absolute_url(),
            contact=station.address,
            phone=station.phone,
        )


class RepresentativePosterView(LoginRequiredMixin, View):
    def get(self, request, pk, fmt=None):
        rep = selectors.representative_for_poster(user=request.user, pk=pk)
        return _poster(
            request,
            fmt,
            url=public_url(request, reverse("public:representative", args=[rep.pk])),
            name=rep.name,
            filename=f"qr-representative-{rep.pk}",
            qr_route="public:representative_qr",
            pk=rep.pk,
            heading=_("Representative %(name)s") % {"name": rep.name},
            subheading=f"{rep.get_level_display()} · {rep.home_station.name}",
            call=_("Scan to see the representative's card and to send them an opinion"),
            points=_voter_points(),
            back_url=rep.get_absolute_url(),
            contact=rep.home_station.address,
            phone=rep.home_station.phone,
        )


class ActivityPosterView(access.CapabilityRequiredMixin, View):
    """The activity's check-in code: invitees scan it at the door and check in, signed in."""

    capability = access.Capability.ACTIVITIES

    def get(self, request, pk, fmt=None):
        activity = selectors.activity_for_poster(user=request.user, pk=pk)
        starts = timezone.localtime(activity.starts_at)
        return _poster(
            request,
            fmt,
            url=public_url(request, reverse("activities:check_in", args=[activity.pk])),
            name=activity.title,
            filename=f"qr-activity-{activity.pk}",
            qr_route="public:activity_qr",
            pk=activity.pk,
            heading=activity.title,
            subheading=f"{date_format(starts, 'DATETIME_FORMAT')} · {activity.station.name}",
            call=_("Representatives: scan to check in"),
            points=[
                _("Sign in with your own account; your attendance is recorded at once"),
                _("It counts in your performance record"),
            ],
            back_url=reverse("activities:detail", args=[activity.pk]),
            contact=activity.location,
            phone="",
        )
