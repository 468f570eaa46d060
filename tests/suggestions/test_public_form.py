"""The public opinion form: no login, addressed by a QR code, bad input refused with a Chinese
message and nothing saved, honeypot, CSRF, and a rate limit that answers the 429 page."""

import pytest
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse

from suggestions.models import Category, Suggestion, Transition
from tests.representatives.factories import make_representative
from tests.suggestions.review_helpers import reference_data  # noqa: F401  (fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_data")]


def form_url(**query):
    from urllib.parse import urlencode

    return reverse("suggestions:public_form") + ("?" + urlencode(query) if query else "")


def valid(**overrides):
    data = {
        "title": "村口路灯不亮",
        "category": Category.objects.order_by("pk").first().pk,
        "content": "甲村村口的三盏路灯坏了三个月，晚上出行不安全。",
        "contact_name": "张三",
        "contact_phone": "138 0013 8000",
        "publish_consent": "on",
        "website": "",
    }
    data.update(overrides)
    return data


def test_station_code_form_submits_and_gives_the_tracking_code(network, client):
    page = client.get(form_url(station="a"))
    assert page.status_code == 200
    assert "甲镇联络站" in page.content.decode()
    response = client.post(form_url(station="a"), valid(), follow=True)
    s = Suggestion.objects.get()
    assert (s.station, s.source, s.contact_phone, s.publish_consent) == (
        network.station_a,
        Suggestion.Source.STATION_CODE,
        "13800138000",
        True,
    )
    body = response.content.decode()
    assert s.code in body
    assert reverse("suggestions:public_track_detail", args=[s.code]) in body
    assert Transition.objects.filter(suggestion=s, actor=None, action="submit").exists()


def test_representative_code_form_goes_to_their_home_station(network, client):
    rep = make_representative(network, name="李代表", station=network.point_a)
    page = client.get(form_url(representative=rep.pk)).content.decode()
    assert "李代表" in page and "甲村联络点" in page
    client.post(form_url(representative=rep.pk), valid())
    s = Suggestion.objects.get()
    assert (s.representative, s.station, s.source) == (rep, network.point_a, Suggestion.Source.REPRESENTATIVE_CODE)


@pytest.mark.parametrize(
    "query", [{}, {"station": "nope"}, {"station": "' OR 1=1 --"}, {"representative": "²"}, {"representative": "-1"}]
)
def test_without_a_known_addressee_the_page_says_to_scan_a_code(network, client, query):
    response = client.get(form_url(**query))
    assert response.status_code == 200
    assert "二维码" in response.content.decode()
    assert client.post(form_url(**query), valid()).status_code == 400
    assert not Suggestion.objects.exists()


BAD = [
    ({"title": ""}, "title", "请填写主题"),
    ({"title": "   "}, "title", "请填写主题"),
    ({"content": ""}, "content", "请写下您的意见或建议"),
    ({"content": "好" * 10_000}, "content", "10000"),
    ({"title": "<script>alert(1)</script>"}, "title", "网页代码"),
    ({"content": "路灯<img src=x onerror=alert(1)>"}, "content", "网页代码"),
    ({"contact_phone": ""}, "contact_phone", "请填写手机号码"),
    ({"contact_name": "  "}, "contact_name", "请留下称呼"),
    ({"contact_phone": "12345"}, "contact_phone", "11 位手机号码"),
    ({"contact_phone": "1380013800a"}, "contact_phone", "11 位手机号码"),
    ({"contact_phone": "'; DROP TABLE suggestions_suggestion; --"}, "contact_phone", "11 位手机号码"),
    ({"category": "1 OR 1=1"}, "category", "请从列表中选择类别"),
    ({"category": "999999"}, "category", "请从列表中选择类别"),
]


@pytest.mark.parametrize("overrides,field,message", BAD)
def test_bad_input_gives_a_chinese_message_and_saves_nothing(network, client, overrides, field, message):
    response = client.post(form_url(station="a"), valid(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Suggestion.objects.exists()


def test_sql_fragments_in_text_are_kept_as_plain_text(network, client):
    client.post(
        form_url(station="a"), valid(title="路灯' OR '1'='1", content="x'); DELETE FROM suggestions_suggestion;--")
    )
    s = Suggestion.objects.get()
    assert s.title == "路灯' OR '1'='1"
    assert Suggestion.objects.count() == 1


def test_honeypot_refuses_and_saves_nothing(network, client):
    response = client.post(form_url(station="a"), valid(website="http://spam.example"))
    assert response.status_code == 400
    assert "无法受理" in response.content.decode()
    assert not Suggestion.objects.exists()


def test_missing_csrf_token_is_refused(network):
    csrf_client = Client(enforce_csrf_checks=True)
    response = csrf_client.post(form_url(station="a"), valid())
    assert response.status_code == 403
    assert not Suggestion.objects.exists()
    # With the token from the page it goes through.
    csrf_client.get(form_url(station="a"))
    token = csrf_client.cookies["csrftoken"].value
    assert csrf_client.post(form_url(station="a"), valid(csrfmiddlewaretoken=token)).status_code == 302


@override_settings(RATELIMIT_ENABLE=True, SUGGESTION_FORM_RATELIMIT="2/h")
def test_rate_limit_answers_the_429_page(network, client):
    cache.clear()
    assert client.post(form_url(station="a"), valid()).status_code == 302
    assert client.post(form_url(station="a"), valid(title="第二件")).status_code == 302
    response = client.post(form_url(station="a"), valid(title="第三件"))
    assert response.status_code == 429
    assert "短时间内操作次数过多" in response.content.decode()
    assert Suggestion.objects.count() == 2
    # Opening the form is not limited.
    assert client.get(form_url(station="a")).status_code == 200
    cache.clear()


def test_submitted_page_without_a_submission_goes_to_the_lookup(network, client):
    response = client.get(reverse("suggestions:public_submitted"))
    assert response.status_code == 302
    assert response["Location"] == reverse("suggestions:public_track")
