"""A voter on a phone (390x844, Chromium) scans a station's poster: the station page opens with its
representatives and reception days; the voter opens a representative's card, presses the opinion
button and lands on the form addressed to that representative. Nothing scrolls sideways."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from suggestions.demo import ensure_categories
from tests.representatives.factories import make_representative
from tests.voters.reception_helpers import make_day
from voters.models import ReceptionDay

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def fits(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], page.url


def test_station_page_to_card_to_the_opinion_form(browser_network, browser, live_server):
    ensure_categories()
    rep = make_representative(browser_network, name="欧阳晓梅", phone="13912345678", specialties=["农业技术推广"])
    make_representative(browser_network, name="王建国")
    day = make_day(browser_network.station_a, timezone.localdate() + datetime.timedelta(days=2), rep)
    ReceptionDay.objects.filter(pk=day.pk).update(notice_published_at=timezone.now(), theme="乡村振兴")

    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    voter = context.new_page()
    voter.set_default_timeout(10_000)
    voter.goto(f"{live_server.url}{reverse('public:station', args=['a'])}")
    assert voter.get_by_role("heading", level=1).inner_text() == "甲镇联络站"
    assert voter.get_by_test_id("station-representative").count() == 2
    assert "乡村振兴" in voter.get_by_test_id("station-day").inner_text()
    assert voter.get_by_test_id("station-opinion").is_visible()
    fits(voter)
    assert "13912345678" not in voter.inner_text("body")

    voter.get_by_test_id("station-representative").filter(has_text="欧阳晓梅").click()
    voter.wait_for_url(f"**{reverse('public:representative', args=[rep.pk])}")
    card = voter.get_by_test_id("representative-card").inner_text()
    assert "欧阳晓梅" in card and "农业技术推广" in card and "甲镇联络站" in card
    assert voter.get_by_test_id("card-day").count() == 1
    fits(voter)

    voter.get_by_role("link", name="向代表提意见").click()
    voter.wait_for_url(f"**{reverse('suggestions:public_form')}?representative={rep.pk}")
    addressee = voter.get_by_test_id("addressee").inner_text()
    assert "欧阳晓梅" in addressee and "甲镇联络站" in addressee
    assert voter.get_by_test_id("public-suggestion-form").is_visible()
    fits(voter)
    context.close()
