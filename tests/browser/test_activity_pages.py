"""Activities on a phone (Chromium, 390x844): the representative checks in; the activity page and
the funds report never scroll sideways. Screenshots go to test-results/ to be looked at."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from liaison.activities.services import activities as activity_services
from liaison.activities.services import funds as fund_services

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
WIDTH = "() => document.documentElement.scrollWidth"


@pytest.fixture
def activity_setup(browser_network):
    from tests.activities.helpers import make_activity, rep_with_account
    from tests.representatives.factories import make_representative

    net = browser_network
    admin = net.users["superuser"]
    rep, user = rep_with_account(net, name="欧阳晓梅")
    others = [make_representative(net, name=f"蓝志{'强勇刚'[i]}") for i in range(3)]
    activity = make_activity(
        net,
        title="美丽乡村建设专题视察暨流动代表进社区报到主题活动",
        kind="inspection",
        starts_at=timezone.now() - datetime.timedelta(minutes=15),
        location="云和县紧水滩镇石浦村村民委员会二楼会议室",
        planned_amount="1280.50",
    )
    activity_services.activity_invite(
        actor=admin, activity=activity, representative_ids=[rep.pk, *(r.pk for r in others)]
    )
    for purpose, amount in (("general", "20000"), ("mobile", "8000")):
        fund_services.budget_set(
            actor=admin, station=net.station_a, year=timezone.localdate().year, purpose=purpose, amount=amount
        )
    for amount, purpose in (("0.10", "general"), ("0.20", "general"), ("650.00", "mobile")):
        fund_services.expense_record(
            actor=admin,
            activity=activity,
            amount=amount,
            purpose=purpose,
            spent_on=timezone.localdate(),
            note="资料印刷",
        )
    return {"activity": activity, "user": user}


def test_representative_checks_in_on_a_phone(activity_setup, live_server, login, page):
    page.set_viewport_size(PHONE)
    blocked = []
    page.on("console", lambda message: "Content Security Policy" in message.text and blocked.append(message.text))
    login(activity_setup["user"].username)
    page.goto(f"{live_server.url}{reverse('activities:check_in', args=[activity_setup['activity'].pk])}")
    assert page.evaluate(WIDTH) <= PHONE["width"]
    button = page.get_by_test_id("check-in-button")
    box = button.bounding_box()
    assert box["height"] >= 44  # a big target for a thumb
    button.click()
    page.get_by_test_id("checked-in").wait_for()
    assert "签到成功" in page.content()
    page.screenshot(path="test-results/phone-activity-check-in.png", full_page=True)
    assert page.evaluate(WIDTH) <= PHONE["width"]
    # Again: nothing changes, the page says it is recorded.
    page.reload()
    assert page.get_by_test_id("check-in-button").count() == 0
    assert blocked == []


@pytest.mark.parametrize("page_name", ["detail", "list", "budget_report", "mine", "create", "budget_set"])
def test_activity_pages_fit_a_phone(activity_setup, browser_network, live_server, login, page, page_name):
    activity = activity_setup["activity"]
    username = "representative" if page_name == "mine" else "county"
    url = {
        "detail": reverse("activities:detail", args=[activity.pk]) + "?q=蓝",
        "list": reverse("activities:list"),
        "budget_report": reverse("activities:budget_report"),
        "mine": reverse("activities:mine"),
        "create": reverse("activities:create"),
        "budget_set": reverse("activities:budget_set"),
    }[page_name]
    page.set_viewport_size(PHONE)
    login(username)
    response = page.goto(f"{live_server.url}{url}")
    assert response.status == 200
    page.screenshot(path=f"test-results/phone-activity-{page_name}.png", full_page=True)
    assert page.evaluate(WIDTH) <= PHONE["width"]


def test_invitee_search_as_you_type(activity_setup, browser_network, live_server, login, page):
    """The search field asks the server as one types (htmx) and invites with one tap."""
    from tests.representatives.factories import make_representative

    make_representative(browser_network, name="雷小红")
    page.set_viewport_size(PHONE)
    login("officer")
    page.goto(f"{live_server.url}{reverse('activities:detail', args=[activity_setup['activity'].pk])}")
    page.get_by_label("查找代表").press_sequentially("雷小")
    result = page.get_by_test_id("search-result")
    result.first.wait_for()
    assert result.count() == 1
    result.get_by_role("button", name="邀请").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("invitee-row").filter(has_text="雷小红").count() == 1
    assert page.evaluate(WIDTH) <= PHONE["width"]
