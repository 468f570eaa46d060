import pytest
from django.urls import reverse

from tests.factories import PASSWORD


@pytest.mark.django_db
def test_login_page_is_in_chinese_by_default(client):
    response = client.get(reverse("login"))
    page = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-hans">' in page
    assert "登录" in page
    assert "人大代表联络站" in page


@pytest.mark.django_db
def test_english_is_selectable(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("login")).content.decode()
    assert '<html lang="en">' in page
    assert "Sign in" in page


def test_wrong_password_is_refused_in_chinese_and_lockout_follows(network, client):
    for _ in range(2):
        response = client.post(reverse("login"), {"username": "officer", "password": "wrong"})
        assert response.status_code == 200
        assert "请输入一个正确的" in response.content.decode()
    response = client.post(reverse("login"), {"username": "officer", "password": "wrong"})
    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()
    # Even the right password is refused while locked.
    response = client.post(reverse("login"), {"username": "officer", "password": PASSWORD})
    assert response.status_code == 429


def test_login_logout_and_password_change(network, client):
    response = client.post(reverse("login"), {"username": "officer", "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("liaison:dashboard")
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "Liaison-2026-new", "new_password2": "Liaison-2026-new"},
    )
    assert response.status_code == 302
    client.post(reverse("logout"))
    assert client.get(reverse("liaison:dashboard")).status_code == 302
    response = client.post(reverse("login"), {"username": "officer", "password": "Liaison-2026-new"})
    assert response.status_code == 302


@pytest.mark.django_db
def test_an_english_browser_still_gets_chinese_until_english_is_chosen(client):
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="zh-hans">' in page
