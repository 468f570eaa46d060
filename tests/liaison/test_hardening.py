"""Hardening: Content-Security-Policy without inline script, no caching of signed-in pages and
exports, session timeouts, rate limits answering a clear page, the NUL-character message."""

import re
import time
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from liaison.middleware import LAST_SEEN_AT, SIGNED_IN_AT
from representatives.services import roster
from tests.factories import PASSWORD
from tests.representatives.factories import make_representative

TEMPLATES = Path(settings.BASE_DIR) / "templates"
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
ON_ATTRIBUTE = re.compile(r"<[^>]*\son[a-z]+\s*=", re.I)


@pytest.mark.django_db
def test_content_security_policy_forbids_inline_script(client):
    policy = client.get(reverse("login"))["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["default-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-eval" not in policy


def test_no_template_has_inline_script_or_event_attributes():
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text()
        assert not INLINE_SCRIPT.search(text), template
        assert not ON_ATTRIBUTE.search(text), template


def test_htmx_does_not_inject_inline_styles(network, client_for):
    page = client_for(network.users["officer"]).get(reverse("liaison:dashboard")).content.decode()
    assert '"includeIndicatorStyles": false' in page
    assert "js/liaison.js" in page


@pytest.mark.parametrize(
    "url_name",
    ["liaison:dashboard", "liaison:station_tree", "representatives:list", "representatives:register"],
)
def test_signed_in_pages_are_not_cached(network, client_for, url_name):
    response = client_for(network.users["county"]).get(reverse(url_name))
    assert response.status_code == 200
    cache_control = response["Cache-Control"]
    assert "private" in cache_control and "no-store" in cache_control


@pytest.mark.parametrize("url_name", ["representatives:export", "representatives:register_export"])
def test_exports_are_not_cached(network, client_for, url_name):
    make_representative(network)
    response = client_for(network.users["county"]).get(reverse(url_name))
    assert response.status_code == 200
    assert "spreadsheet" in response["Content-Type"]
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_anonymous_pages_are_not_marked_private(client):
    assert "private" not in client.get("/favicon.ico").get("Cache-Control", "")


def test_session_settings():
    assert settings.SESSION_COOKIE_AGE <= 12 * 60 * 60
    assert settings.SESSION_IDLE_TIMEOUT == 30 * 60
    assert "liaison.middleware.SessionTimeoutMiddleware" in settings.MIDDLEWARE


def _age_session(client, **seconds_ago):
    session = client.session
    now = int(time.time())
    for key, ago in seconds_ago.items():
        session[key] = now - ago
    session.save()


def test_idle_session_is_signed_out(network, client_for):
    client = client_for(network.users["officer"])
    assert client.get(reverse("liaison:dashboard")).status_code == 200
    _age_session(client, **{LAST_SEEN_AT: 29 * 60})
    assert client.get(reverse("liaison:dashboard")).status_code == 200  # still active: resets the clock
    assert client.session[LAST_SEEN_AT] >= int(time.time()) - 5
    _age_session(client, **{LAST_SEEN_AT: 31 * 60})
    response = client.get(reverse("liaison:dashboard"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("login"))
    assert "30 分钟没有操作" in response.content.decode()


def test_session_ends_after_twelve_hours_even_when_active(network, client_for):
    client = client_for(network.users["officer"])
    _age_session(client, **{SIGNED_IN_AT: 12 * 60 * 60 + 60, LAST_SEEN_AT: 10})
    response = client.get(reverse("liaison:dashboard"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("login"))
    assert "登录已满 12 小时" in response.content.decode()


@override_settings(SESSION_IDLE_TIMEOUT=5 * 60)
def test_idle_timeout_is_configurable(network, client_for):
    client = client_for(network.users["officer"])
    _age_session(client, **{LAST_SEEN_AT: 6 * 60})
    assert client.get(reverse("liaison:dashboard")).status_code == 302


@override_settings(RATELIMIT_ENABLE=True, LOGIN_RATELIMIT="3/m")
def test_login_rate_limit_answers_a_clear_page(network, client):
    cache.clear()
    for name in ("a", "b", "c"):  # different names: axes (per name and address) stays out of it
        assert client.post(reverse("login"), {"username": name, "password": "x"}).status_code == 200
    response = client.post(reverse("login"), {"username": "officer", "password": PASSWORD})
    page = response.content.decode()
    assert response.status_code == 429
    assert "短时间内操作次数过多" in page and "navbar-liaison" in page
    assert "_auth_user_id" not in client.session
    # Showing the sign-in form is not limited.
    assert client.get(reverse("login")).status_code == 200
    cache.clear()


@override_settings(RATELIMIT_ENABLE=True, CORRECTION_RATELIMIT="2/h")
def test_correction_requests_are_rate_limited(network, client_for):
    cache.clear()
    rep = make_representative(network)
    roster.representative_link_user(
        actor=network.users["superuser"], representative=rep, user=network.users["representative"]
    )
    client = client_for(network.users["representative"])
    url = reverse("representatives:correction_request", args=[rep.pk])
    assert client.post(url, {"message": "电话错了"}).status_code == 302
    assert client.post(url, {"message": "住址错了"}).status_code == 302
    response = client.post(url, {"message": "单位错了"})
    assert response.status_code == 429
    assert "短时间内操作次数过多" in response.content.decode()
    assert rep.corrections.count() == 2
    cache.clear()


def test_null_character_message_is_clear_chinese():
    with translation.override("zh-hans"), pytest.raises(forms.ValidationError) as error:
        forms.CharField().clean("甲\x00乙")
    assert error.value.messages == ["内容中含有不可见的空字符（NUL），请删除后重新输入。"]
