"""What the Content-Security-Policy changed, seen in Chromium: confirmations and print buttons
work from static/js/liaison.js, nothing is blocked, and errors show the site's own pages."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from liaison.models import Station

pytestmark = pytest.mark.browser


def watch_csp(page):
    blocked = []
    page.on("console", lambda message: "Content Security Policy" in message.text and blocked.append(message.text))
    return blocked


def test_deactivating_a_station_asks_first(browser_network, live_server, login, page):
    net = browser_network
    blocked = watch_csp(page)
    login("admin")
    page.goto(f"{live_server.url}{reverse('liaison:station_detail', args=[net.point_a.pk])}")
    messages = []

    def answer(dialog, accept):
        messages.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda dialog: answer(dialog, accept=False))
    page.get_by_role("button", name="停用").click()
    assert messages and "停用" in messages[0]
    assert Station.objects.get(pk=net.point_a.pk).is_active

    page.once("dialog", lambda dialog: answer(dialog, accept=True))
    page.get_by_role("button", name="停用").click()
    expect(page.get_by_role("alert")).to_contain_text("已停用")
    assert not Station.objects.get(pk=net.point_a.pk).is_active
    assert blocked == []


def test_print_button_prints(browser_network, live_server, login, page):
    page.add_init_script("window.print = () => { window.__printed = (window.__printed || 0) + 1; };")
    blocked = watch_csp(page)
    login("county")
    page.goto(f"{live_server.url}{reverse('representatives:mobility_report')}")
    page.get_by_test_id("print-button").click()
    assert page.evaluate("window.__printed") == 1
    assert blocked == []


def test_missing_page_in_the_site_layout(browser_network, live_server, login, page):
    login("officer")
    response = page.goto(f"{live_server.url}/no-such-page/")
    assert response.status == 404
    expect(page.get_by_role("heading", name="找不到这个页面")).to_be_visible()
    page.get_by_role("link", name="返回首页").click()
    page.wait_for_url(f"{live_server.url}/")
    icon = page.request.get(f"{live_server.url}/favicon.ico")
    assert icon.ok and "svg" in icon.headers["content-type"]
