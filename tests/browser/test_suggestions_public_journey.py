"""The whole life of a voter's opinion in Chromium: the voter submits it on a phone (390x844) from
a station's QR code, the officer accepts and assigns it, the unit answers, the voter rates
"unsatisfied", the unit handles it again, the voter rates "satisfied", and county staff see it in
the per-unit figures."""

import re

import pytest
from django.urls import reverse

from suggestions.demo import ensure_categories
from suggestions.models import Suggestion

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def fits(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], page.url


def unit_answers(page, live_server, suggestion, text):
    page.goto(f"{live_server.url}{reverse('suggestions:unit_list')}")
    page.get_by_role("link", name=re.compile(suggestion.title)).first.click()
    page.locator("[data-testid=unit-steps]").get_by_role("link", name="答复").click()
    page.locator("textarea[name$=text]").fill(text)
    page.locator("input[name$=result][value=A]").check()
    page.locator("textarea[name$=public_answer]").fill(text)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/suggestions/unit/\d+/$"))


def voter_rates(voter, live_server, code, value):
    voter.goto(f"{live_server.url}{reverse('suggestions:public_track_detail', args=[code])}")
    fits(voter)
    voter.get_by_label("您留下的手机号码后四位").fill("8000")
    voter.locator(f"input[name=value][value={value}]").check()
    voter.get_by_role("button", name="提交评价").click()
    voter.get_by_text("谢谢，您的评价已记录。").wait_for()
    fits(voter)


def test_voter_officer_unit_voter_unit_voter_county(browser_network, browser, login, page, live_server):
    assert browser_network.unit.name == "县住建局"
    ensure_categories()
    voter_context = browser.new_context(viewport=PHONE, locale="zh-CN")
    voter = voter_context.new_page()
    voter.set_default_timeout(10_000)

    # The voter scans the station's code on a phone and sends an opinion.
    voter.goto(f"{live_server.url}{reverse('suggestions:public_form')}?station=a")
    assert "甲镇联络站" in voter.get_by_test_id("addressee").inner_text()
    fits(voter)
    voter.get_by_role("button", name="提交").click()  # empty: messages, nothing saved
    voter.get_by_text("请填写主题（用一句话说明是什么事）。").wait_for()
    assert not Suggestion.objects.exists()
    voter.locator("#id_title").fill("村口路灯不亮")
    voter.locator("#id_content").fill("甲村村口三盏路灯坏了三个月，晚上出行不安全。")
    voter.locator("#id_contact_name").fill("张先生")
    voter.locator("#id_contact_phone").fill("138 0013 8000")
    voter.locator("#id_publish_consent").check()
    voter.get_by_role("button", name="提交").click()
    code = voter.get_by_test_id("tracking-code").inner_text().strip()
    fits(voter)
    suggestion = Suggestion.objects.get(code=code)

    # The officer accepts it and assigns it to the county's housing bureau.
    login("officer")
    page.goto(f"{live_server.url}{reverse('suggestions:detail', args=[suggestion.pk])}")
    page.get_by_test_id("submit-accept").click()
    page.get_by_test_id("action-assign").locator("summary").click()
    page.get_by_test_id("action-assign").locator("select[name$=lead_unit]").select_option(label="县住建局")
    page.get_by_test_id("submit-assign").click()
    page.get_by_test_id("assignments").wait_for()
    suggestion.refresh_from_db()
    assert suggestion.status == "assigned"

    # The unit answers.
    page.context.clear_cookies()
    login("unit")
    unit_answers(page, live_server, suggestion, "已安排电工检修，本周内修复。")

    # The voter follows the code, sees the answer and no personal data, and is not satisfied.
    voter.goto(f"{live_server.url}{reverse('suggestions:public_track')}")
    voter.locator("#id_code").fill(code.lower())
    voter.get_by_role("button", name="查询").click()
    voter.get_by_test_id("public-answer").wait_for()
    body = voter.content()
    assert "已安排电工检修" in body and "13800138000" not in body and "8000" not in voter.inner_text("main")
    voter_rates(voter, live_server, code, "unsatisfied")
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.reopened_count) == ("assigned", 1)

    # The unit handles it again; the voter is satisfied.
    page.context.clear_cookies()
    login("unit")
    unit_answers(page, live_server, suggestion, "已更换全部灯具并加装一盏，经回访已正常照明。")
    voter_rates(voter, live_server, code, "satisfied")
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.satisfaction) == ("closed", "satisfied")
    assert "已更换全部灯具" in voter.get_by_test_id("public-answer").inner_text()

    # County staff see it in the per-unit figures.
    page.context.clear_cookies()
    login("county")
    page.get_by_role("link", name="办理督查").click()
    row = page.get_by_test_id("figures-row").filter(has_text="县住建局")
    cells = row.locator("td").all_inner_texts()
    assert cells[0:2] == ["1", "2"]  # received, answered (twice)
    assert cells[-2:] == ["1", "0"]  # reopened once, nothing overdue
    assert "50.0%" in cells  # one satisfied and one unsatisfied rating
    voter_context.close()
