"""The tracking page: status, public timeline and answer, never the voter's name or phone;
unknown codes are limited; the voter rates after confirming the phone's last four digits."""

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from suggestions.models import Assignment, Category, Suggestion
from suggestions.selectors import public as public_selectors
from suggestions.services import answering, handling, intake
from tests.suggestions.review_helpers import reference_data  # noqa: F401  (fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_data")]


def submit(network, **fields):
    values = {
        "station_id": network.station_a.pk,
        "source": Suggestion.Source.STATION_CODE,
        "title": "村口路灯不亮",
        "content": "路灯坏了。",
        "category_id": Category.objects.order_by("pk").first().pk,
        "contact_name": "张三丰",
        "contact_phone": "13812345678",
        "publish_consent": True,
    }
    values.update(fields)
    return intake.suggestion_create_public(**values)


def answered(network, **fields):
    s = submit(network, **fields)
    handling.suggestion_accept(actor=network.users["officer"], suggestion_id=s.pk)
    handling.suggestion_assign(actor=network.users["officer"], suggestion_id=s.pk, lead_unit_id=network.unit.pk)
    a = Assignment.objects.get(suggestion=s, status=Assignment.Status.ACTIVE)
    answering.suggestion_answer(
        actor=network.users["unit"], assignment_id=a.pk, text="内部答复", result="A", public_answer="路灯已于本周修复。"
    )
    s.refresh_from_db()
    return s


def track(code):
    return reverse("suggestions:public_track_detail", args=[code])


def test_tracking_page_shows_status_steps_and_answer_but_no_personal_data(network, client):
    s = answered(network)
    response = client.get(track(s.code))
    page = response.content.decode()
    assert "路灯已于本周修复。" in page
    with translation.override("zh-hans"):
        assert str(Suggestion.Status.ANSWERED.label) in page
    assert "张三丰" not in page and "13812345678" not in page and "5678" not in page
    assert "内部答复" not in page
    steps = response.context["t"].steps
    assert len(steps) == 4  # submitted, accepted, assigned, answered
    assert all(step.label in page for step in steps)


def test_code_is_forgiving_about_case_and_spaces(network, client):
    s = submit(network)
    typed = f" {s.code[:5].lower()} {s.code[5:]} "
    response = client.get(reverse("suggestions:public_track"), {"code": typed})
    assert response.status_code == 302 and response["Location"] == track(s.code)


@pytest.mark.parametrize("typed", ["ABCDEFGHJK", "<script>", "' OR 1=1--", "x" * 500, "２３４"])
def test_unknown_codes_say_so(network, client, typed):
    submit(network)
    response = client.get(reverse("suggestions:public_track"), {"code": typed})
    assert response.status_code == 200
    assert "没有此查询码" in response.content.decode()
    assert client.get(track("ABCDEFGHJK")).status_code == 404


@override_settings(RATELIMIT_ENABLE=True, SUGGESTION_TRACK_RATELIMIT="3/h")
def test_failed_lookups_are_rate_limited_but_a_known_code_is_not_counted(network, client):
    cache.clear()
    s = submit(network)
    for _ in range(5):
        assert client.get(track(s.code)).status_code == 200
    for code in ["ABCDEFGHJ2", "ABCDEFGHJ3", "ABCDEFGHJ4"]:
        assert client.get(reverse("suggestions:public_track"), {"code": code}).status_code == 200
    response = client.get(reverse("suggestions:public_track"), {"code": "ABCDEFGHJ5"})
    assert response.status_code == 429
    assert "短时间内操作次数过多" in response.content.decode()
    assert client.get(track(s.code)).status_code == 429
    cache.clear()


def test_merged_code_shows_the_survivor(network, client):
    keep = submit(network, title="主件")
    gone = submit(network, title="重复件")
    handling.suggestion_merge(actor=network.users["officer"], suggestion_id=gone.pk, into_id=keep.pk)
    page = client.get(track(gone.code)).content.decode()
    assert "主件" in page and gone.code in page


def rate(client, s, **data):
    values = {"last_four": "5678", "value": "satisfied", "comment": "", "version": s.version}
    values.update(data)
    return client.post(track(s.code), values)


def test_voter_rates_after_confirming_the_phone(network, client):
    s = answered(network)
    response = rate(client, s, last_four="1234")
    assert "不是您留下的手机号码的后四位" in response.content.decode()
    s.refresh_from_db()
    assert s.status == Suggestion.Status.ANSWERED
    assert rate(client, s, value="unsatisfied").status_code == 302
    s.refresh_from_db()
    assert (s.status, s.reopened_count) == (Suggestion.Status.ASSIGNED, 1)
    # A rating from a stale page is refused with the service's message.
    response = rate(client, s, value="satisfied", version=1)
    assert response.status_code == 200


@pytest.mark.parametrize("data,message", [({"last_four": "12a4"}, "四位数字"), ({"value": "great"}, "请从列表中选择")])
def test_bad_rating_input(network, client, data, message):
    s = answered(network)
    response = rate(client, s, **data)
    assert message in response.content.decode()
    s.refresh_from_db()
    assert s.status == Suggestion.Status.ANSWERED


@override_settings(RATELIMIT_ENABLE=True, SUGGESTION_RATING_RATELIMIT="2/h")
def test_wrong_digits_are_rate_limited(network, client):
    cache.clear()
    s = answered(network)
    assert rate(client, s, last_four="0000").status_code == 200
    assert rate(client, s, last_four="0001").status_code == 200
    assert rate(client, s).status_code == 429
    s.refresh_from_db()
    assert s.status == Suggestion.Status.ANSWERED
    cache.clear()


def test_published_answers_only_with_consent(network, client):
    shown = answered(network, title="公开的")
    answered(network, title="不公开的", publish_consent=False)
    page = client.get(reverse("suggestions:public_answers", args=["a"])).content.decode()
    assert "公开的" in page and "不公开的" not in page and "张三丰" not in page
    assert list(public_selectors.published_answers(network.station_a)) == [shown]
    assert client.get(reverse("suggestions:public_answers", args=["nope"])).status_code == 404


def test_code_alphabet_and_length():
    from suggestions.models import CODE_ALPHABET, CODE_LENGTH, new_tracking_code

    code = new_tracking_code()
    assert len(code) == CODE_LENGTH == 10 and set(code) <= set(CODE_ALPHABET)
    assert len(CODE_ALPHABET) ** CODE_LENGTH > 10**14
