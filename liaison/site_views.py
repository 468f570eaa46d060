"""Site-wide small views: the favicon and the page answered when a rate limit is hit.

The error pages themselves (400, 403, 404, 500) are Django's default handlers rendering the
templates 400.html, 403.html, 404.html, 500.html and 403_csrf.html in the site's layout.
"""

from django.conf import settings
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.cache import cache_control
from django.views.generic import RedirectView


def ratelimited(request, exception):
    """django-ratelimit's RATELIMIT_VIEW: 429 with a clear message instead of a bare 403."""
    return render(request, "429.html", status=429)


@cache_control(max_age=60 * 60 * 24, public=True)
def favicon(request):
    return RedirectView.as_view(url=static("favicon.svg"))(request)


# Rates read at request time, so that they follow the settings (and tests can change them).
def login_rate(group, request):
    return settings.LOGIN_RATELIMIT


def correction_rate(group, request):
    return settings.CORRECTION_RATELIMIT
