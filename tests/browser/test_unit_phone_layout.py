"""The unit console on a phone (390x844, Chromium): no sideways scrolling on any unit page, and a
unit answers an item with an attachment from the phone."""

import pytest
from django.urls import reverse

from suggestions.models import Assignment, Suggestion
from suggestions.services import handling
from tests.suggestions.core_helpers import make_suggestion, make_unit

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def test_unit_pages_fit_a_phone_and_a_unit_answers(browser_network, login, page, live_server, tmp_path):
    net = browser_network
    officer = net.users["officer"]
    lead_unit, _ = make_unit(net, name="县交通运输局（长名称测试单位）")
    proposal = make_suggestion(
        net, kind="proposal", title="关于改善城区道路交通秩序和增设停车位的建议" * 2, content="内容" * 300
    )
    handling.suggestion_accept(actor=officer, suggestion_id=proposal.pk)
    handling.suggestion_assign(actor=officer, suggestion_id=proposal.pk, lead_unit_id=net.unit.pk)
    opinion = make_suggestion(net, title="村口路灯不亮")
    handling.suggestion_accept(actor=officer, suggestion_id=opinion.pk)
    handling.suggestion_assign(
        actor=officer, suggestion_id=opinion.pk, lead_unit_id=lead_unit.pk, co_unit_ids=[net.unit.pk]
    )
    lead = Assignment.objects.get(suggestion=proposal)
    co = Assignment.objects.get(suggestion=opinion, role="co")
    page.set_viewport_size(PHONE)
    login("unit")
    for url in [
        reverse("liaison:dashboard"),
        reverse("suggestions:unit_list"),
        reverse("suggestions:unit_list") + "?when=due_soon",
        reverse("suggestions:unit_detail", args=[lead.pk]),
        reverse("suggestions:unit_detail", args=[co.pk]),
        reverse("suggestions:unit_answer", args=[lead.pk]),
        reverse("suggestions:unit_extension", args=[lead.pk]),
        reverse("suggestions:unit_return", args=[lead.pk]),
        reverse("suggestions:unit_opinion", args=[co.pk]),
    ]:
        page.goto(f"{live_server.url}{url}")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], url
    pdf = tmp_path / "答复函.pdf"
    pdf.write_bytes(b"%PDF-1.4 answer")
    page.goto(f"{live_server.url}{reverse('suggestions:unit_answer', args=[lead.pk])}")
    page.locator("textarea[name=text]").fill("已在城区新增停车位 200 个。")
    page.get_by_label("A：已解决").check()
    page.locator("input[type=file]").set_input_files(str(pdf))
    page.get_by_role("button", name="提交答复").click()
    page.get_by_text("答复已提交。").wait_for()
    assert Suggestion.objects.get(pk=proposal.pk).status == "answered"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
