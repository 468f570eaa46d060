"""The staff list of suggestions and a suggestion's page on a phone (390x844, Chromium): rows
become cards and nothing scrolls sideways; an action through the page moves the suggestion."""

import pytest
from django.urls import reverse

from tests.suggestions.staff_helpers import answered, created, make_suggestion

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def test_list_and_detail_fit_a_phone_and_accept_works(browser_network, login, page, live_server):
    net = browser_network
    long_title = "关于甲镇幸福路至乙乡公路沿线路灯长期不亮、排水沟堵塞以及公交站台缺少遮雨棚的问题"
    for i in range(3):
        make_suggestion(net, title=f"{long_title}{i}", contact_phone="13812345678")
    done = answered(net, title=long_title, content="很长的内容" * 80)
    fresh = created(net, title="村口路灯不亮")
    page.set_viewport_size(PHONE)
    login("officer")
    for url in (
        reverse("suggestions:list"),
        reverse("suggestions:detail", args=[done.pk]),
        reverse("suggestions:detail", args=[fresh.pk]),
        reverse("suggestions:staff_create"),
    ):
        page.goto(f"{live_server.url}{url}")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], url
    page.goto(f"{live_server.url}{reverse('suggestions:list')}")
    assert "138****5678" in page.content() and "13812345678" not in page.content()
    page.goto(f"{live_server.url}{reverse('suggestions:detail', args=[fresh.pk])}")
    page.get_by_test_id("submit-accept").click()
    page.get_by_text("已受理。").wait_for()
    fresh.refresh_from_db()
    assert fresh.status == "accepted"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
