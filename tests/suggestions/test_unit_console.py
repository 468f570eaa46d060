"""The handling unit's console: its items due soonest first, filters, one item with the voter's
contact masked, and the unit's steps through the pages."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from suggestions.models import Answer, Assignment, ExtensionRequest, Suggestion
from suggestions.services import handling
from tests.suggestions.core_helpers import assigned, lead_assignment, make_suggestion, make_unit

pytestmark = pytest.mark.django_db


def _assign(network, unit, *, kind="opinion", title="村口路灯不亮"):
    officer = network.users["officer"]
    suggestion = make_suggestion(network, kind=kind, title=title)
    handling.suggestion_accept(actor=officer, suggestion_id=suggestion.pk)
    handling.suggestion_assign(actor=officer, suggestion_id=suggestion.pk, lead_unit_id=unit.pk)
    return Assignment.objects.get(suggestion=suggestion, status="active")


def test_the_list_shows_only_the_units_items_due_soonest_first(network, client_for):
    other_unit, _ = make_unit(network)
    later = _assign(network, network.unit, title="晚到期")
    sooner = _assign(network, network.unit, title="早到期")
    Assignment.objects.filter(pk=sooner.pk).update(due_on=later.due_on - datetime.timedelta(days=5))
    _assign(network, other_unit, title="别的单位的件")
    response = client_for(network.users["unit"]).get(reverse("suggestions:unit_list"))
    assert [a.suggestion.title for a in response.context["assignments"]] == ["早到期", "晚到期"]
    assert "别的单位的件" not in response.content.decode()
    assert response.context["counts"] == {"active": 2, "overdue": 0, "due_soon": 0}


def test_filters_overdue_due_soon_and_finished(network, client_for):
    today = datetime.date.today()
    overdue = _assign(network, network.unit, title="已逾期")
    soon = _assign(network, network.unit, title="快到期")
    _assign(network, network.unit, title="不急")
    Assignment.objects.filter(pk=overdue.pk).update(due_on=today - datetime.timedelta(days=1))
    Assignment.objects.filter(pk=soon.pk).update(due_on=today + datetime.timedelta(days=3))
    client = client_for(network.users["unit"])
    url = reverse("suggestions:unit_list")

    def titles(query):
        return [a.suggestion.title for a in client.get(url + query).context["assignments"]]

    assert titles("?when=overdue") == ["已逾期"]
    assert titles("?when=due_soon") == ["快到期"]
    assert titles("?when=done") == []
    handling.suggestion_answer(actor=network.users["unit"], assignment_id=soon.pk, text="已办", result="A")
    assert titles("?when=done") == ["快到期"]
    assert "已逾期" in client.get(url).content.decode()


def test_the_list_pages(network, client_for):
    for i in range(32):
        _assign(network, network.unit, title=f"第{i}件")
    client = client_for(network.users["unit"])
    first = client.get(reverse("suggestions:unit_list"))
    assert len(first.context["assignments"]) == 30
    second = client.get(reverse("suggestions:unit_list") + "?page=2")
    assert len(second.context["assignments"]) == 2


def test_the_detail_masks_the_voters_contact(network, client_for):
    suggestion = assigned(network)
    response = client_for(network.users["unit"]).get(
        reverse("suggestions:unit_detail", args=[lead_assignment(suggestion).pk])
    )
    page = response.content.decode()
    assert "138****5678" in page and "13812345678" not in page
    assert "李*" in page and "李四" not in page
    assert response.context["steps"] == {"answer": True, "return": True, "extension": False, "opinion": False}


def test_answer_through_the_page_with_an_attachment(network, client_for):
    lead = lead_assignment(assigned(network))
    client = client_for(network.users["unit"])
    url = reverse("suggestions:unit_answer", args=[lead.pk])
    assert client.get(url).status_code == 200
    pdf = SimpleUploadedFile("答复.pdf", b"%PDF-1.7 content", content_type="application/pdf")
    response = client.post(url, {"text": "已更换路灯。", "result": "A", "public_answer": "", "attachments": [pdf]})
    assert response.status_code == 302
    answer = Answer.objects.get()
    attachment = answer.attachments.get()
    assert attachment.name == "答复.pdf"
    assert Suggestion.objects.get().status == "answered"
    # The file is served only to those who see the suggestion: the unit, the station's staff.
    download = reverse("suggestions:attachment", args=[attachment.pk])
    for role, status in (("unit", 200), ("officer", 200), ("county", 200), ("representative", 404), ("norole", 404)):
        response = client_for(network.users[role]).get(download)
        assert response.status_code == status, role
        if status == 200:
            assert b"".join(response.streaming_content) == b"%PDF-1.7 content"
    page = client_for(network.users["unit"]).get(reverse("suggestions:unit_detail", args=[lead.pk])).content.decode()
    assert page.count(download) == 1
    # Answered: the page no longer offers the step, and says so.
    response = client.get(url, follow=True)
    assert "当前不能进行此操作" in response.content.decode() or response.redirect_chain


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("a.exe", b"MZ", "只能上传 PDF、JPG、PNG 或 Word（.docx）文件"),
        ("fake.docx", b"not a zip", "不是有效的 DOCX 文件"),
        ("big.jpg", b"\xff\xd8\xff" + b"0" * (10 * 1024 * 1024), "超过 10 MB"),
    ],
)
def test_a_bad_attachment_is_a_clear_chinese_error_and_nothing_is_saved(network, client_for, name, content, message):
    lead = lead_assignment(assigned(network))
    response = client_for(network.users["unit"]).post(
        reverse("suggestions:unit_answer", args=[lead.pk]),
        {"text": "已办", "result": "A", "attachments": [SimpleUploadedFile(name, content)]},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Answer.objects.exists()
    assert Suggestion.objects.get().status == "assigned"


def test_an_empty_answer_or_no_result_is_refused(network, client_for):
    lead = lead_assignment(assigned(network))
    response = client_for(network.users["unit"]).post(
        reverse("suggestions:unit_answer", args=[lead.pk]), {"text": "", "result": "Z"}
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"text", "result"}
    assert not Answer.objects.exists()


def test_extension_for_a_proposal_through_the_page(network, client_for):
    lead = _assign(network, network.unit, kind="proposal")
    client = client_for(network.users["unit"])
    detail = client.get(reverse("suggestions:unit_detail", args=[lead.pk]))
    assert detail.context["steps"]["extension"]
    response = client.post(reverse("suggestions:unit_extension", args=[lead.pk]), {"reason": "需要列入明年预算"})
    assert response.status_code == 302
    assert ExtensionRequest.objects.get().reason == "需要列入明年预算"
    detail = client.get(reverse("suggestions:unit_detail", args=[lead.pk]))
    assert not detail.context["steps"]["extension"]
    assert "需要列入明年预算" in detail.content.decode()


def test_return_with_a_reason_through_the_page(network, client_for):
    lead = lead_assignment(assigned(network))
    client = client_for(network.users["unit"])
    response = client.post(reverse("suggestions:unit_return", args=[lead.pk]), {"reason": ""})
    assert response.status_code == 200 and Suggestion.objects.get().status == "assigned"
    response = client.post(reverse("suggestions:unit_return", args=[lead.pk]), {"reason": "属于交通局职责"})
    assert response.status_code == 302
    lead.refresh_from_db()
    assert (lead.status, lead.return_reason, Suggestion.objects.get().status) == (
        "returned",
        "属于交通局职责",
        "accepted",
    )


def test_co_handler_opinion_through_the_page_and_the_lead_reads_it(network, client_for):
    lead_unit, lead_user = make_unit(network)
    officer = network.users["officer"]
    suggestion = make_suggestion(network)
    handling.suggestion_accept(actor=officer, suggestion_id=suggestion.pk)
    handling.suggestion_assign(
        actor=officer, suggestion_id=suggestion.pk, lead_unit_id=lead_unit.pk, co_unit_ids=[network.unit.pk]
    )
    co = Assignment.objects.get(role="co")
    client = client_for(network.users["unit"])
    response = client.post(reverse("suggestions:unit_opinion", args=[co.pk]), {"text": "同意主办单位方案"})
    assert response.status_code == 302
    lead = Assignment.objects.get(role="lead")
    page = client_for(lead_user).get(reverse("suggestions:unit_detail", args=[lead.pk])).content.decode()
    assert "同意主办单位方案" in page


def test_the_menu_entry_and_home_panel_are_for_unit_users_only(network, client_for):
    _assign(network, network.unit)
    unit_home = client_for(network.users["unit"]).get(reverse("liaison:dashboard")).content.decode()
    assert 'data-testid="nav-unit"' in unit_home
    assert "交办本单位的件" in unit_home
    for role in ("officer", "county", "superuser", "representative"):
        page = client_for(network.users[role]).get(reverse("liaison:dashboard")).content.decode()
        assert 'data-testid="nav-unit"' not in page
