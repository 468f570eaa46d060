"""Error pages: 400, 403, 404 and 500 in the site's layout, in Chinese (and English when chosen),
saying what to do next; the 500 page renders without the database. DEBUG is off in tests."""

import pytest
from django.conf import settings
from django.test import RequestFactory, override_settings
from django.urls import path, reverse
from django.utils import translation
from django.views import defaults

from liaison import urls as site_urls


def boom(request):
    raise RuntimeError("boom")


urlpatterns = [*site_urls.urlpatterns, path("boom/", boom)]

LAYOUT = "navbar-liaison"  # the site's navigation bar


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def assert_error_page(response, status, *texts):
    page = response.content.decode()
    assert response.status_code == status
    assert not settings.DEBUG
    assert LAYOUT in page and 'data-testid="error-page"' in page
    for text in texts:
        assert text in page, text


def test_404_in_chinese_and_english(network, client_for):
    client = client_for(network.users["officer"])
    response = client.get("/no-such-page/")
    assert_error_page(response, 404, "找不到这个页面", "请核对网址", "返回首页", '<html lang="zh-hans">')
    # Signed in: the page keeps the whole navigation.
    assert "代表名册" in response.content.decode() or "首页" in response.content.decode()
    assert_error_page(english(client).get("/no-such-page/"), 404, "This page does not exist", '<html lang="en">')


def test_404_for_another_stations_object(network, client_for):
    client = client_for(network.users["officer"])
    response = client.get(reverse("liaison:station_detail", args=[network.station_b.pk]))
    assert_error_page(response, 404, "找不到这个页面")


def test_403_in_chinese_and_english(network, client_for):
    client = client_for(network.users["norole"])
    url = reverse("liaison:station_tree")
    assert_error_page(client.get(url), 403, "您没有访问此页面的权限", "县人大工作人员")
    assert_error_page(english(client).get(url), 403, "You do not have access to this page")


def test_csrf_failure_explains_the_expired_form(network):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(network.users["officer"])
    response = client.post(reverse("liaison:station_deactivate", args=[network.station_a.pk]))
    assert_error_page(response, 403, "表单已失效", "刷新后重新提交")


@pytest.mark.django_db
def test_400_in_chinese_and_english(client):
    response = client.get("/", HTTP_HOST="attacker.example")
    assert_error_page(response, 400, "无法识别此次请求", "没有做任何改动")
    response = english(client).get("/", HTTP_HOST="attacker.example")
    assert_error_page(response, 400, "The request could not be understood")


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_500_in_chinese_and_english(client):
    client.raise_request_exception = False
    assert_error_page(client.get("/boom/"), 500, "系统出错了", "请稍等几分钟后重试")
    assert_error_page(english(client).get("/boom/"), 500, "Something went wrong on our side")


def test_500_renders_without_the_database():
    """No `db` mark: any query here fails the test, as it would with the database down."""
    request = RequestFactory().get("/")
    for language, text in (("zh-hans", "系统出错了"), ("en", "Something went wrong")):
        with translation.override(language):
            response = defaults.server_error(request)
        assert response.status_code == 500
        assert text in response.content.decode()
        assert LAYOUT in response.content.decode()


@pytest.mark.django_db
def test_favicon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"].endswith("favicon.svg")
    icon = client.get(response["Location"])
    assert icon.status_code == 200
    icon.close()
    assert 'rel="icon"' in client.get(reverse("login")).content.decode()
