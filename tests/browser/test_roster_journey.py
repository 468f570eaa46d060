"""An officer adds a representative who lives in the county town, finds them by pinyin initials,
sees them marked mobile and listed in the register card; a representative asks for a correction."""

import pytest
from playwright.sync_api import expect

from representatives.services.roster import representative_link_user
from tests.browser.conftest import pick

pytestmark = pytest.mark.browser


def test_officer_keeps_the_roster(browser_network, live_server, login):
    page = login("officer")
    page.goto(f"{live_server.url}/representatives/new/")
    page.locator("#id_name").fill("蓝晓峰")
    page.locator("#id_gender").select_option(label="男")
    page.locator("#id_birth_year").fill("1979")
    page.locator("#id_phone").fill("１３９５７８０１２３４")  # full-width, as typed on some phones
    page.locator("#id_level").select_option(label="乡镇人大代表")
    page.locator("#id_term").fill("第十八届")
    page.locator("#id_electoral_district").fill("甲村选区")
    pick(page, "district_township", "甲镇")
    pick(page, "home_station", "甲镇联络站")
    pick(page, "residence_division", "乙村")
    page.locator("#id_specialties_text").fill("农业、法律")
    page.get_by_role("button", name="保存").click()

    expect(page.get_by_text("已将代表“蓝晓峰”登记入名册")).to_be_visible()
    expect(page.locator("h1").get_by_text("流动代表", exact=True)).to_be_visible()
    expect(page.get_by_test_id("register-card")).to_contain_text("乙乡联络站")

    page.goto(f"{live_server.url}/representatives/?q=lxf")
    expect(page.get_by_test_id("roster-row")).to_have_count(1)
    expect(page.get_by_test_id("roster-row")).to_contain_text("13957801234")
    page.screenshot(path="test-results/roster-search.png", full_page=True)


def test_representative_requests_a_correction(browser_network, live_server, login):
    from tests.representatives.factories import make_representative

    net = browser_network
    rep = make_representative(net, name="雷志强")
    representative_link_user(actor=net.users["superuser"], representative=rep, user=net.users["representative"])
    page = login("representative")
    page.get_by_role("link", name="我的履职信息").first.click()
    expect(page.get_by_role("heading", name="雷志强")).to_be_visible()
    page.locator("#id_message").fill("工作单位已变更为县农业农村局")
    page.get_by_role("button", name="发送给联络员").click()
    expect(page.get_by_text("您的更正申请已发送给联络员")).to_be_visible()
    expect(page.get_by_text("工作单位已变更为县农业农村局")).to_be_visible()


def test_officer_applies_a_proposed_correction_from_the_home_page(browser_network, live_server, login):
    from tests.representatives.factories import make_representative

    net = browser_network
    rep = make_representative(net, name="雷志强", occupation="村主任")
    representative_link_user(actor=net.users["superuser"], representative=rep, user=net.users["representative"])
    page = login("representative")
    page.get_by_role("link", name="我的履职信息").first.click()
    page.locator("#id_occupation").fill("县农业农村局干部")
    page.get_by_role("button", name="发送给联络员").click()
    expect(page.get_by_text("您的更正申请已发送给联络员")).to_be_visible()
    page.context.clear_cookies()

    page = login("officer")
    page.get_by_test_id("stat").filter(has_text="待处理更正申请").click()
    page.get_by_test_id("correction-row").first.click()
    expect(page.get_by_test_id("correction-field")).to_contain_text("县农业农村局干部")
    page.get_by_test_id("accept").click()
    expect(page.get_by_text("已按申请更正，并已通知代表。")).to_be_visible()
    expect(page.get_by_role("heading", name="雷志强")).to_be_visible()
    expect(page.get_by_text("县农业农村局干部").first).to_be_visible()
    page.screenshot(path="test-results/correction-applied.png", full_page=True)


def test_a_station_filter_on_a_phone(browser_network, live_server, login, page):
    """At 390x844 the roster's station filter is a search box: type, tap the station, show."""
    from tests.representatives.factories import make_representative

    make_representative(browser_network, name="甲站代表")
    make_representative(browser_network, name="城区代表", station=browser_network.station_a_town)
    page.set_viewport_size({"width": 390, "height": 844})
    login("officer")
    page.goto(f"{live_server.url}/representatives/")
    expect(page.locator("select#id_home_station")).to_have_count(0)
    pick(page, "home_station", "城区")
    page.get_by_role("button", name="筛选").click()
    expect(page.get_by_test_id("roster-row")).to_have_count(1)
    expect(page.get_by_test_id("roster-row")).to_contain_text("城区代表")
    # The chosen station stays shown (and checked) on the filtered page.
    expect(page.locator("#id_home_station_chosen input:checked")).to_have_count(1)
    expect(page.locator("#id_home_station_chosen")).to_contain_text("甲镇城区联络站")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    page.screenshot(path="test-results/roster-station-filter-phone.png", full_page=True)
