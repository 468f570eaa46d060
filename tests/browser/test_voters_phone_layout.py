"""Voter and grid pages on a phone (390x844, Chromium): no sideways scrolling; the
search-as-you-type field finds a household and links it to a representative."""

import pytest
from django.urls import reverse

from tests.representatives.factories import make_representative
from tests.voters.factories import link_households, make_household, make_voter
from voters.models import HouseholdLink

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def test_voter_and_grid_pages_fit_a_phone_and_link_a_household(browser_network, login, page, live_server):
    net = browser_network
    county_rep = make_representative(net, name="欧阳县代表", level="county")
    rep = make_representative(net, name="欧阳晓梅")
    for i in range(3):
        make_voter(net, name=f"欧阳选民{i}", household=make_household(net, head_name=f"长户主名字{i}"))
    link_households(net, rep, 2)
    household = make_household(net, head_name="欧阳新户", address="甲村幸福路 18 号")
    page.set_viewport_size(PHONE)
    login("officer")
    pages = [
        reverse("voters:voter_list"),
        reverse("voters:voter_create"),
        reverse("voters:household_list"),
        reverse("voters:household_detail", args=[household.pk]),
        reverse("voters:grid_coverage"),
        reverse("voters:grid_township", args=[net.township_a.pk]),
        reverse("voters:grid_representative", args=[county_rep.pk]),
        reverse("voters:grid_visit_list"),
        reverse("voters:grid_visit_create"),
    ]
    for url in pages:
        page.goto(f"{live_server.url}{url}")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], url
    page.goto(f"{live_server.url}{reverse('voters:grid_representative', args=[rep.pk])}")
    page.get_by_placeholder("户主姓名或住址").fill("欧阳新")
    page.get_by_text("欧阳新户").click()
    page.get_by_role("button", name="添加").click()
    page.get_by_text("已建立联系").wait_for()
    assert HouseholdLink.objects.get(household=household).representative == rep
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
