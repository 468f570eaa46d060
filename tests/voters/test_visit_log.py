"""Logging a held reception day: visits (known, new or anonymous voter), items, the server draft,
masked phones, bad input, the iCalendar feed."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from tests.voters.reception_helpers import make_day, rep_with_account
from voters.models import RaisedItem, ReceptionDay, Visit, VisitDraft, Voter
from voters.services import reception as services
from voters.services import visits as visit_services


@pytest.fixture
def held(network):
    rep = rep_with_account(network, "", user=network.users["representative"])
    day = make_day(network.station_a, timezone.localdate() - datetime.timedelta(days=1), rep)
    return rep, day


def log_url(day):
    return reverse("voters:reception_log", args=[day.pk])


def test_a_visit_with_a_new_voter_and_two_items(network, held, client_for):
    rep, day = held
    client = client_for(network.users["representative"])
    response = client.post(
        log_url(day),
        {
            "phone": "138 0013 8000",
            "name": "张三",
            "items": ["路灯坏了", "", "垃圾清运不及时"],
            "received_by": rep.pk,
            "outcome": "follow_up",
        },
    )
    assert response.status_code == 302
    visit = Visit.objects.get()
    assert visit.voter.name == "张三" and visit.voter.phone == "13800138000"
    assert visit.voter.station == network.station_a
    assert [i.text for i in visit.items.all()] == ["路灯坏了", "垃圾清运不及时"]
    assert all(i.suggestion_id is None for i in visit.items.all())
    day.refresh_from_db()
    assert day.status == "held" and day.visitor_count == 1 and day.logged_at is None


def test_a_known_phone_finds_the_voter_and_empty_is_anonymous(network, held, client_for):
    _rep, day = held
    voter = Voter.objects.create(station=network.station_a, name="李四", phone="13900139000")
    client = client_for(network.users["representative"])
    client.post(log_url(day), {"phone": "13900139000", "items": ["问题"], "outcome": "settled"})
    client.post(log_url(day), {"phone": "", "name": "", "items": ["匿名反映"], "outcome": "settled"})
    first, second = Visit.objects.order_by("pk")
    assert first.voter == voter and second.voter is None
    assert Voter.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"phone": "", "items": [""], "outcome": "settled"}, "至少"),
        ({"phone": "12345", "items": ["x"], "outcome": "settled"}, "11"),
        ({"phone": "13700137000", "name": "", "items": ["x"], "outcome": "settled"}, "姓名"),
        ({"phone": "", "items": ["x"], "outcome": "bogus"}, ""),
        ({"phone": "", "items": ["x"], "outcome": "settled", "received_by": "999999"}, ""),
    ],
)
def test_bad_input_is_a_clear_message_and_changes_nothing(network, held, client_for, data, message):
    _rep, day = held
    response = client_for(network.users["representative"]).post(log_url(day), data)
    assert response.status_code == 200
    assert message.encode() in response.content
    assert not Visit.objects.exists() and not Voter.objects.exists() and not RaisedItem.objects.exists()


def test_the_draft_survives_a_reload(network, held, client_for):
    _rep, day = held
    client = client_for(network.users["representative"])
    draft = reverse("voters:visit_draft", args=[day.pk])
    response = client.post(draft, {"phone": "13800000001", "name": "王五", "items": ["桥要修", "第二件"]})
    assert response.status_code == 200 and response.json()["saved"]
    page = client.get(log_url(day)).content.decode()
    assert 'value="13800000001"' in page and 'value="王五"' in page
    assert "桥要修" in page and "第二件" in page
    client.post(
        log_url(day),
        {"phone": "13800000001", "name": "王五", "items": ["桥要修"], "outcome": "settled", "draft_token": "t1"},
    )
    assert VisitDraft.objects.get().data == {}
    # An autosave from that same form arriving late does not bring the saved visit back as a draft.
    client.post(draft, {"phone": "13800000001", "name": "王五", "items": ["桥要修"], "draft_token": "t1"})
    assert VisitDraft.objects.get().data == {}
    assert 'value="13800000001"' not in client.get(log_url(day)).content.decode()
    # The next form (a new token) autosaves again.
    client.post(draft, {"phone": "13800000002", "draft_token": "t2"})
    assert VisitDraft.objects.get().data["phone"] == "13800000002"


def test_a_future_or_cancelled_day_cannot_be_logged(network, held, client_for):
    rep, _day = held
    future = make_day(network.station_a, timezone.localdate() + datetime.timedelta(days=2), rep)
    cancelled = make_day(network.station_a, timezone.localdate(), rep, status=ReceptionDay.Status.CANCELLED)
    client = client_for(network.users["representative"])
    for day in (future, cancelled):
        response = client.post(log_url(day), {"phone": "", "items": ["x"], "outcome": "settled"})
        assert response.status_code == 200
    assert not Visit.objects.exists()


def test_finish_the_log_with_the_number_of_visitors(network, held, client_for):
    _rep, day = held
    client = client_for(network.users["representative"])
    client.post(log_url(day), {"phone": "", "items": ["x"], "outcome": "settled"})
    client.post(log_url(day), {"action": "held", "visitor_count": "0"})
    day.refresh_from_db()
    assert day.logged_at is None  # fewer visitors than logged visits: refused
    response = client.post(log_url(day), {"action": "held", "visitor_count": "5", "summary": "群众反映集中在道路"})
    assert response.status_code == 302
    day.refresh_from_db()
    assert day.logged_at and day.visitor_count == 5 and day.status == "held"
    assert day.duties.get().status == "confirmed"


def test_phones_are_masked_for_roles_that_must_not_see_them(network, held, client_for):
    _rep, day = held
    client_for(network.users["representative"]).post(
        log_url(day), {"phone": "13812345678", "name": "张三", "items": ["x"], "outcome": "settled"}
    )
    pages = [reverse("voters:visit_list"), reverse("voters:reception_detail", args=[day.pk]), log_url(day)]
    for role, full in [("officer", True), ("township", True), ("county", False), ("representative", False)]:
        client = client_for(network.users[role])
        for url in pages:
            html = client.get(url).content.decode()
            assert ("13812345678" in html) is full, (role, url)
            assert ("138****5678" in html) is not full, (role, url)


def test_the_seam_for_suggestions_lists_unconverted_items(network, held, client_for):
    _rep, day = held
    client_for(network.users["representative"]).post(log_url(day), {"items": ["a", "b"], "outcome": "settled"})
    assert [i.text for i in visit_services.raised_items_to_convert(day=day)] == ["a", "b"]
    from suggestions.models import Category, Suggestion

    suggestion = Suggestion.objects.create(
        source=Suggestion.Source.RECEPTION,
        title="a",
        content="a",
        category=Category.objects.get_or_create(name="其他")[0],
        station=day.station,
    )
    RaisedItem.objects.filter(text="a").update(suggestion=suggestion)
    assert [i.text for i in visit_services.raised_items_to_convert(day=day)] == ["b"]


def test_the_calendar_feed_parses_with_icalendar(network, held, client, client_for):
    rep, day = held
    cancelled = make_day(network.station_a, timezone.localdate() + datetime.timedelta(days=5), rep)
    services.reception_day_cancel(actor=network.users["officer"], day_id=cancelled.pk, reason="台风")
    client_for(network.users["representative"]).post(reverse("voters:reception_feed_renew"))
    feed = rep.calendar_feeds.get(revoked_at__isnull=True)
    client.logout()
    response = client.get(reverse("voters:reception_feed", args=[feed.token]))
    assert response["Content-Type"].startswith("text/calendar")
    cal = Calendar.from_ical(response.content)
    events = cal.walk("VEVENT")
    assert len(events) == 2
    starts = sorted(e.decoded("dtstart") for e in events)
    assert starts[0].date() == day.date and starts[0].hour == 9
    assert str(starts[0].tzinfo) == "Asia/Shanghai"
    assert any(str(e.get("status")) == "CANCELLED" for e in events)
    assert all("甲镇联络站" in str(e.get("summary")) for e in events)
    # A new link revokes the old one.
    client_for(network.users["representative"]).post(reverse("voters:reception_feed_renew"))
    client.logout()
    assert client.get(reverse("voters:reception_feed", args=[feed.token])).status_code == 404


def test_notification_preferences_page(network, client_for):
    user = network.users["officer"]
    client = client_for(user)
    url = reverse("liaison:notification_preferences")
    response = client.post(url, {"sms": "on"})
    assert response.status_code == 200
    assert "手机".encode() in response.content or b"phone" in response.content
    user.phone = "13800000000"
    user.save(update_fields=["phone"])
    assert client.post(url, {"sms": "on"}).status_code == 302
    from liaison.services import preferred_channels

    user.refresh_from_db()
    assert preferred_channels(user) == ("inbox", "sms")
    page = client.get(url).content.decode()
    assert 'name="sms"' in page and "checked" in page


def test_home_pages_show_the_work(network, held, client_for):
    _rep, _day = held
    waiting = reverse("voters:reception_list") + "?waiting="
    html = client_for(network.users["representative"]).get("/").content.decode()
    assert waiting + "to_log" in html
    page = client_for(network.users["representative"]).get(waiting + "to_log")
    assert page.context["page_obj"].paginator.count == 1
    html = client_for(network.users["officer"]).get("/").content.decode()
    assert waiting + "station_to_log" in html
    listed = client_for(network.users["officer"]).get(waiting + "station_to_log").content.decode()
    assert reverse("voters:reception_log", args=[_day.pk]) in listed
    mine = client_for(network.users["officer"]).get(reverse("voters:reception_mine")).content.decode()
    assert reverse("voters:reception_log", args=[_day.pk]) in mine
