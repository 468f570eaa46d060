"""A representative logs a held reception day on a phone (390x844, Chromium): two visits, one a new
voter, a reload halfway that loses nothing, and no page of the journey scrolls sideways. Then every
reception page at 390 px, and the month calendar on a desktop (screenshots in test-results/)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from liaison import services as liaison_services
from tests.voters.reception_helpers import make_day, rep_with_account
from voters.models import ReceptionDay, Visit, Voter

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
WIDTH = "() => document.documentElement.scrollWidth"


def fits(page):
    width = page.evaluate(WIDTH)
    assert width <= PHONE["width"], (page.url, width)


def test_log_a_held_day_on_a_phone(browser_network, live_server, login, page):
    net = browser_network
    user = net.users["representative"]
    rep = rep_with_account(net, "", user=user, name="欧阳建国")
    partner = rep_with_account(net, "rep_partner", name="李秀英")
    day = make_day(net.station_a, timezone.localdate() - datetime.timedelta(days=1), rep, partner)
    known = Voter.objects.create(station=net.station_a, name="王老伯", phone="13900001111")
    blocked = []
    page.on("console", lambda message: "Content Security Policy" in message.text and blocked.append(message.text))
    page.set_viewport_size(PHONE)

    login(user.username)
    fits(page)
    page.locator("a.stat-link", has_text="已接待待登记").click()
    page.wait_for_url(f"**{reverse('voters:reception_list')}?waiting=to_log")
    fits(page)
    page.get_by_role("link", name="去登记").click()
    page.wait_for_url(f"**{reverse('voters:reception_log', args=[day.pk])}")
    fits(page)

    # First visit: a new voter with two matters.
    page.get_by_label("来访人手机号").fill("13800138001")
    page.get_by_label("来访人姓名").fill("张小梅")
    page.locator("textarea[name=items]").nth(0).fill("村口路灯坏了半个月")
    page.get_by_role("button", name="+ 再加一件事项").click()
    page.locator("textarea[name=items]").nth(1).fill("希望增开进城公交")
    page.get_by_label("接待代表").select_option(str(rep.pk))
    page.get_by_text("待跟进").click()
    page.screenshot(path="test-results/reception-log-phone.png", full_page=True)
    fits(page)
    page.get_by_role("button", name="保存这条来访").click()
    page.wait_for_selector("text=来访已保存")
    fits(page)

    # Second visit, half typed: the draft is saved on the server; a reload loses nothing.
    page.get_by_label("来访人手机号").fill("13900001111")
    page.locator("textarea[name=items]").nth(0).fill("河道护栏破损")
    page.get_by_text("当场解决").click()
    page.wait_for_selector("text=草稿已保存")
    page.reload()
    assert page.get_by_label("来访人手机号").input_value() == "13900001111"
    assert page.locator("textarea[name=items]").nth(0).input_value() == "河道护栏破损"
    assert page.get_by_label("当场解决").is_checked()
    fits(page)
    page.get_by_role("button", name="保存这条来访").click()
    page.wait_for_selector("text=来访已保存")
    assert page.locator("[data-testid=visit]").count() == 2

    page.get_by_label("来访人数").fill("3")
    page.get_by_role("button", name="接待已完成，提交登记").click()
    page.wait_for_url(f"**{reverse('voters:reception_detail', args=[day.pk])}")
    fits(page)
    page.screenshot(path="test-results/reception-detail-phone.png", full_page=True)

    day.refresh_from_db()
    assert day.status == ReceptionDay.Status.HELD and day.logged_at and day.visitor_count == 3
    first, second = Visit.objects.filter(day=day).order_by("pk")
    assert first.voter.name == "张小梅" and first.voter.phone == "13800138001"
    assert [i.text for i in first.items.all()] == ["村口路灯坏了半个月", "希望增开进城公交"]
    assert first.received_by == rep and first.outcome == "follow_up"
    assert second.voter == known and second.outcome == "settled"
    assert blocked == []


PAGES = [
    ("officer", "voters:reception_calendar", None),
    ("officer", "voters:reception_schedule", "schedule"),
    ("officer", "voters:reception_detail", "day"),
    ("officer", "voters:reception_log", "day"),
    ("officer", "voters:visit_list", None),
    ("officer", "voters:reception_mine", None),
    ("representative", "voters:reception_mine", None),
    ("representative", "voters:reception_calendar", None),
    ("officer", "liaison:notification_preferences", None),
]


@pytest.mark.parametrize(("username", "url_name", "arg"), PAGES, ids=[f"{p[1]}-{p[0]}" for p in PAGES])
def test_reception_pages_fit_a_phone(browser_network, live_server, login, page, username, url_name, arg):
    net = browser_network
    rep = rep_with_account(net, "", user=net.users["representative"], name="欧阳晓梅")
    day = make_day(net.station_a, timezone.localdate(), rep)
    day.theme = "优化营商环境与乡村振兴民生实事征集专题接待"
    day.save(update_fields=["theme"])
    make_day(net.station_a, timezone.localdate() + datetime.timedelta(days=3), rep)
    from voters.services.visits import visit_log

    visit_log(
        actor=net.users["officer"],
        day_id=day.pk,
        phone="13800138000",
        name="张三",
        items=["一个很长很长的事项：" + "搬迁安置小区停车位不足" * 6],
        outcome="follow_up",
    )
    liaison_services.notify(recipient=net.users["officer"], kind="t", key="t", title="提醒")
    url = reverse(url_name, args=[day.pk] if arg == "day" else [])
    if arg == "schedule":
        url += f"?station={net.station_a.pk}"
    page.set_viewport_size(PHONE)
    login(net.users[username].username)
    response = page.goto(f"{live_server.url}{url}")
    assert response.status == 200
    page.screenshot(path=f"test-results/phone-{url_name.replace(':', '-')}-{username}.png", full_page=True)
    fits(page)


def test_calendar_on_a_desktop(browser_network, live_server, login, page):
    net = browser_network
    rep = rep_with_account(net, "", user=net.users["representative"], name="欧阳晓梅")
    month = timezone.localdate().replace(day=1)
    for offset, station in [(2, net.station_a), (9, net.point_a), (14, net.station_a), (14, net.station_a_town)]:
        make_day(station, month + datetime.timedelta(days=offset), rep)
    make_day(net.station_b, month + datetime.timedelta(days=20), rep)
    page.set_viewport_size({"width": 1280, "height": 900})
    login("county")
    page.goto(f"{live_server.url}{reverse('voters:reception_calendar')}")
    assert page.locator("[data-testid=month-grid] .reception-chip").count() == 5
    page.screenshot(path="test-results/reception-calendar-desktop.png", full_page=True)


def test_schedule_a_day_picking_the_station_and_a_duty_representative(browser_network, live_server, login, page):
    """The station and the duty representatives are search boxes (never a list of every row)."""
    from tests.browser.conftest import pick

    net = browser_network
    rep = rep_with_account(net, "", user=net.users["representative"], name="欧阳晓梅")
    page.set_viewport_size(PHONE)
    login("officer")
    page.goto(f"{live_server.url}{reverse('voters:reception_schedule')}")
    pick(page, "station", "城区", "甲镇城区联络站")
    page.get_by_role("button", name="下一页").click()
    page.get_by_role("link", name="换一个联络站").wait_for()
    assert f"station={net.station_a_town.pk}" in page.url
    page.goto(f"{live_server.url}{reverse('voters:reception_schedule')}?station={net.station_a.pk}")
    page.get_by_label("日期（系列的第一天）").fill((timezone.localdate() + datetime.timedelta(days=5)).isoformat())
    pick(page, "duty_representatives", "欧阳")
    fits(page)
    page.get_by_role("button", name="安排").click()
    page.wait_for_selector("text=已安排")
    day = ReceptionDay.objects.get(station=net.station_a)
    assert list(day.duties.values_list("representative_id", flat=True)) == [rep.pk]
