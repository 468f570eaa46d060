import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import check_for_language
from django.utils.translation import gettext as _


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    """Chinese unless the user chose English with the language switch.

    Officials' computers often send an English Accept-Language; the screens stay Chinese for them.
    The choice is kept in the language cookie set by Django's set_language view.
    """

    def process_request(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if not language or not check_for_language(language):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


# Session keys of SessionTimeoutMiddleware: when the user signed in, and when last seen (epoch s).
SIGNED_IN_AT = "liaison_signed_in_at"
LAST_SEEN_AT = "liaison_last_seen_at"
# Last-seen is written at most once a minute, so that most requests do not save the session.
_LAST_SEEN_RESOLUTION = 60


def _stamp_session(sender, request, user, **kwargs):
    now = int(time.time())
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_SEEN_AT] = now


user_logged_in.connect(_stamp_session, dispatch_uid="liaison_session_stamp")


class SessionTimeoutMiddleware:
    """Signs a user out after SESSION_IDLE_TIMEOUT seconds without a request, and at the latest
    SESSION_COOKIE_AGE seconds after signing in (the session cookie lasts no longer either).

    Stations' computers are often shared: a forgotten signed-in browser must not stay open.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            session = request.session
            signed_in = session.get(SIGNED_IN_AT)
            last_seen = session.get(LAST_SEEN_AT)
            idle_expired = last_seen is not None and now - last_seen > settings.SESSION_IDLE_TIMEOUT
            too_old = signed_in is not None and now - signed_in > settings.SESSION_COOKIE_AGE
            if idle_expired or too_old:
                logout(request)
                messages.info(
                    request,
                    _("You were signed out after %(minutes)s minutes without activity. Please sign in again.")
                    % {"minutes": settings.SESSION_IDLE_TIMEOUT // 60}
                    if idle_expired
                    else _("Your session ended after %(hours)s hours. Please sign in again.")
                    % {"hours": settings.SESSION_COOKIE_AGE // 3600},
                )
            else:
                if signed_in is None:
                    session[SIGNED_IN_AT] = now
                if last_seen is None or now - last_seen >= _LAST_SEEN_RESOLUTION:
                    session[LAST_SEEN_AT] = now
        return self.get_response(request)


class PrivatePagesMiddleware:
    """`Cache-Control: private, no-store` on every response to a signed-in user (pages, exports,
    htmx fragments): personal data must not stay in a shared browser's or a proxy's cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response
