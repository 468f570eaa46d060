"""Performance pages on a phone (390x844, Chromium): "My performance" and the handbook's print
view fit without sideways scrolling; the staff pages too."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from representatives.services import evaluation, report_backs
from representatives.services import performance as services
from tests.activities.helpers import rep_with_account
from tests.voters.factories import make_household

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_my_performance_and_handbook_fit_a_phone(browser_network, login, page, live_server):
    net = browser_network
    rep, _user = rep_with_account(net, name="欧阳晓梅")
    today = timezone.localdate()
    for day in range(1, 4):
        services.performance_record_add_for_source(
            representative=rep,
            kind="household_visit",
            source=make_household(net, head_name=f"长户主名字{day}"),
            date=today.replace(day=day),
        )
    services.performance_record_add_manual(
        actor=net.users["officer"],
        representative=rep,
        kind="other",
        date=today - datetime.timedelta(days=1),
        note="在县人大常委会民生实事项目座谈会上作长篇发言并提交书面材料" * 2,
    )
    page.set_viewport_size(PHONE)
    login("representative")
    page.goto(f"{live_server.url}{reverse('representatives:performance_mine')}")
    page.get_by_test_id("still-expected").wait_for()
    assert fits(page)
    page.screenshot(path="/tmp/perf_my_performance.png", full_page=True)
    page.goto(f"{live_server.url}{reverse('representatives:handbook', args=[rep.pk, today.year])}")
    page.get_by_test_id("handbook").wait_for()
    assert fits(page)
    page.emulate_media(media="print")
    assert fits(page)
    assert page.locator(".navbar").is_hidden()  # print CSS: no navigation on paper
    page.screenshot(path="/tmp/perf_handbook_print.png", full_page=True)


def test_staff_performance_pages_fit_a_phone(browser_network, login, page, live_server):
    net = browser_network
    rep, _user = rep_with_account(net, name="欧阳晓梅")
    services.performance_record_add_manual(
        actor=net.users["officer"], representative=rep, kind="other", date=datetime.date(2025, 5, 1), note="座谈发言"
    )
    report_backs.report_back_plan(actor=net.users["officer"], representative=rep, year=2025)
    evaluation.annual_evaluation_compute(year=2025)
    page.set_viewport_size(PHONE)
    login("county")
    from representatives.models import AnnualEvaluation

    ev = AnnualEvaluation.objects.get(congress=net.township_a)
    for url in [
        reverse("representatives:performance_list") + "?year=2025",
        reverse("representatives:performance_create", args=[rep.pk]),
        reverse("representatives:points_rules"),
        reverse("representatives:points_rules_create"),
        reverse("representatives:quarterly_points") + "?year=2025",
        reverse("representatives:report_back_plan") + f"?station={net.station_a.pk}&year=2025",
        reverse("representatives:evaluation_list"),
        reverse("representatives:evaluation_detail", args=[ev.pk]),
        reverse("representatives:station_handbooks", args=[net.station_a.pk, 2025]),
    ]:
        page.goto(f"{live_server.url}{url}")
        assert fits(page), url
