"""An officer signs in, finds their station in the tree, opens a new point and sees it listed."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import pick

pytestmark = pytest.mark.browser


def test_officer_opens_a_point_under_their_station(browser_network, live_server, login):
    page = login("officer")
    expect(page.get_by_role("heading", name="我的联络站")).to_be_visible()

    page.get_by_role("link", name="联络站", exact=True).first.click()
    expect(page.get_by_role("link", name="甲镇联络站")).to_be_visible()
    expect(page.get_by_text("乙乡联络站")).to_have_count(0)

    page.get_by_role("link", name="甲镇联络站").click()
    page.get_by_role("link", name="在其下新建联络点").click()
    page.get_by_label("名称").fill("甲村第二联络点")
    pick(page, "division", "甲村")
    page.get_by_label("公开地址").fill("a-2")
    page.get_by_role("button", name="保存").click()

    expect(page.get_by_text("已设立联络站“甲村第二联络点”")).to_be_visible()
    expect(page.get_by_role("heading", name="甲村第二联络点")).to_be_visible()
    page.screenshot(path="test-results/station-created.png", full_page=True)

    # Bad input: the same public address again is refused in Chinese and nothing is written.
    page.goto(f"{live_server.url}/stations/new/?parent={browser_network.station_a.pk}")
    page.get_by_label("名称").fill("重复地址的联络点")
    pick(page, "division", "甲村")
    page.get_by_label("公开地址").fill("a-2")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("该公开地址已被其他联络站使用")).to_be_visible()


def test_county_staff_open_the_tree_node_by_node_and_find_a_deep_point_by_name(browser_network, live_server, login):
    page = login("county")
    page.goto(f"{live_server.url}/stations/")
    expect(page.get_by_role("link", name="县联络总站")).to_be_visible()
    expect(page.get_by_text("甲村联络点")).to_have_count(0)  # not rendered until its branch opens
    page.get_by_test_id("station-open").first.click()  # htmx: the general station's stations
    expect(page.get_by_role("link", name="甲镇联络站")).to_be_visible()
    expect(page.get_by_role("link", name="乙乡联络站")).to_be_visible()
    page.locator(f"#station-row-{browser_network.station_a.pk}").get_by_test_id("station-open").click()
    expect(page.get_by_role("link", name="甲村联络点")).to_be_visible()
    page.screenshot(path="test-results/station-tree-opened.png", full_page=True)

    page.get_by_label("名称").fill("甲村")
    page.get_by_role("button", name="筛选").click()
    expect(page.get_by_role("link", name="甲村联络点")).to_be_visible()
    expect(page.get_by_test_id("station-path")).to_contain_text("县联络总站 › 甲镇联络站")
