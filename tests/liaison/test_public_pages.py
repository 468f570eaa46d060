"""The public pages a voter reaches by scanning a QR code (no login): a station's page and a
representative's card, with 404s for what is not public, no personal phone or address anywhere,
quarterly points only where the county publishes them; and the staff's QR posters (PNG, SVG)."""

import datetime
import re
from decimal import Decimal

import pytest
import segno
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from liaison import services as liaison_services
from liaison.models import Station
from liaison.public import selectors
from representatives.models import PerformanceRecord, PointsPublication
from representatives.selectors import handbook
from representatives.selectors.performance import quarter_dates
from representatives.services import roster
from tests.representatives.factories import make_representative
from tests.suggestions.review_helpers import (
    answer,
    assign,
    make_suggestion,
    reference_data,  # noqa: F401  (fixture)
)
from tests.voters.reception_helpers import make_day
from voters.models import ReceptionDay

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_data")]

PHONE = "13912345678"


def published_day(station, days_ahead, *reps, **kw):
    day = make_day(station, timezone.localdate() + datetime.timedelta(days=days_ahead), *reps, **kw)
    ReceptionDay.objects.filter(pk=day.pk).update(notice_published_at=timezone.now(), theme="听民意、解民忧")
    return day


def station_url(slug):
    return reverse("public:station", args=[slug])


def card_url(rep):
    return reverse("public:representative", args=[rep.pk])


# --- the station page -------------------------------------------------------------------------


def test_station_page_shows_the_four_disclosures_to_anyone(network, client):
    station = network.station_a
    Station.objects.filter(pk=station.pk).update(
        address="甲镇人民路 8 号", opening_hours="工作日 9:00-17:00", phone="0571-1234567"
    )
    officer = network.users["officer"]
    officer.full_name, officer.phone = "周联络", "13600001111"
    officer.save()
    Station.objects.filter(pk=station.pk).update(officer=officer)
    rep = make_representative(network, name="李代表", phone=PHONE)
    county_rep = make_representative(network, name="赵代表", level="county")
    published_day(station, 2, rep)
    make_day(station, timezone.localdate() + datetime.timedelta(days=20))  # notice not out yet: not shown
    s = make_suggestion(station, title="村口路灯不亮", publish_consent=True)
    answer(assign(s, network.unit), answered=3, public_answer="路灯已于上周修复。")

    response = client.get(station_url("a"))
    assert response.status_code == 200
    page = response.content.decode()
    for text in ("甲镇联络站", "甲镇人民路 8 号", "工作日 9:00-17:00", "0571-1234567", "周联络"):
        assert text in page
    # Its representatives, each linking to their card; the county's listed first.
    assert page.index("赵代表") < page.index("李代表")
    assert card_url(rep) in page and card_url(county_rep) in page
    # The coming reception day with its duty representative; the unannounced one is not there.
    assert len(response.context["page"].days) == 1
    assert "听民意、解民忧" in page
    # The handling results: an excerpt and the link to all of them.
    assert "路灯已于上周修复。" in page
    assert reverse("suggestions:public_answers", args=["a"]) in page
    # The opinion button opens the public form addressed to the station.
    assert reverse("suggestions:public_form") + "?station=a" in page
    # No person's phone: neither the representative's nor the officer's, nor the officer's user name.
    digits = re.sub(r"\D", "", page)
    assert PHONE not in digits and "13600001111" not in digits
    assert ">officer<" not in page and "幸福路" not in page


def test_station_page_lists_only_serving_representatives_of_this_station(network, client):
    make_representative(network, name="甲站代表")
    make_representative(network, name="乙站代表", station=network.station_b)
    ended = make_representative(network, name="离任代表")
    roster.representative_end_service(
        actor=network.users["superuser"],
        representative=ended,
        status="resigned",
        date=datetime.date(2026, 1, 5),
        reason="调动",
    )
    page = client.get(station_url("a")).content.decode()
    assert "甲站代表" in page
    assert "乙站代表" not in page and "离任代表" not in page


def test_a_large_station_shows_a_capped_list_and_says_how_many(network, client, monkeypatch):
    monkeypatch.setattr(selectors, "REPRESENTATIVES_SHOWN", 3)
    for i in range(5):
        make_representative(network, name=f"代表{i}")
    response = client.get(station_url("a"))
    assert len(response.context["page"].representatives) == 3
    assert response.context["page"].representative_count == 5
    assert "显示了 5 位代表中的 3 位" in response.content.decode()


@pytest.mark.parametrize("slug", ["nope", "a" * 61, "a-1"])
def test_unknown_or_inactive_station_is_404(network, client, slug):
    liaison_services.station_deactivate(actor=network.users["superuser"], station=network.point_a)
    assert client.get(station_url(slug)).status_code == 404


# --- the representative card ------------------------------------------------------------------


def test_card_shows_public_facts_and_the_opinion_button_but_no_personal_data(network, client):
    rep = make_representative(
        network, name="李代表", phone=PHONE, specialties=["农业", "法律"], occupation="甲村村委会主任"
    )
    published_day(network.station_a, 3, rep)
    published_day(network.station_a, 4, rep, duty_status="declined")  # declined: not listed
    make_day(network.station_a, timezone.localdate() + datetime.timedelta(days=30), rep)  # not announced
    response = client.get(card_url(rep))
    assert response.status_code == 200
    page = response.content.decode()
    for text in ("李代表", "甲镇联络站", "农业、法律", "甲村村委会主任", "第十八届"):
        assert text in page
    assert len(response.context["card"].duties) == 1
    assert reverse("public:station", args=["a"]) in page
    assert reverse("suggestions:public_form") + f"?representative={rep.pk}" in page
    digits = re.sub(r"\D", "", page)
    assert PHONE not in digits
    assert "幸福路" not in page  # the residential address
    assert 'data-testid="card-points"' not in page  # the county publishes no points


def test_card_of_a_representative_no_longer_serving_or_of_an_inactive_station_is_404(network, client):
    ended = make_representative(network, name="离任代表")
    roster.representative_end_service(
        actor=network.users["superuser"],
        representative=ended,
        status="resigned",
        date=datetime.date(2026, 1, 5),
        reason="调动",
    )
    at_point = make_representative(network, name="点上代表", station=network.point_a)
    liaison_services.station_deactivate(actor=network.users["superuser"], station=network.point_a)
    assert client.get(card_url(ended)).status_code == 404
    assert client.get(card_url(at_point)).status_code == 404
    assert client.get("/r/99999999/").status_code == 404
    assert client.get("/r/abc/").status_code == 404


def _record(rep, date, points, verified=True):
    return PerformanceRecord.objects.create(
        representative=rep,
        date=date,
        kind="other",
        points=Decimal(points),
        verified_at=timezone.now() if verified else None,
    )


def test_points_are_shown_only_when_the_county_publishes_them(network, client):
    rep = make_representative(network, name="李代表")
    quarters = selectors.ended_quarters(timezone.localdate())
    last_year, last_quarter = quarters[0]
    first_day = quarter_dates(last_year, last_quarter)[0]
    _record(rep, first_day, "3")
    _record(rep, first_day, "1.5")
    _record(rep, first_day, "10", verified=False)  # not verified: does not count
    _record(rep, timezone.localdate(), "7")  # this quarter has not ended: not published yet

    assert 'data-testid="card-points"' not in client.get(card_url(rep)).content.decode()
    PointsPublication.objects.create(county=network.county, quarterly_points_public=False)
    assert 'data-testid="card-points"' not in client.get(card_url(rep)).content.decode()

    PointsPublication.objects.filter(county=network.county).update(quarterly_points_public=True)
    response = client.get(card_url(rep))
    points = response.context["card"].points
    assert [(q.year, q.quarter) for q in points] == quarters
    assert points[0].points == Decimal("4.5") and all(q.points == 0 for q in points[1:])
    page = response.content.decode()
    assert f"{last_year}年第{last_quarter}季度" in page and "4.5 分" in page


def test_published_points_are_the_staff_pages_quarterly_points(network):
    rep = make_representative(network, name="李代表")
    year = timezone.localdate().year - 1
    for quarter, points in ((1, "2"), (2, "3.5"), (4, "1")):
        _record(rep, quarter_dates(year, quarter)[1], points)
    staff = handbook.quarterly_points(user=network.users["county"], year=year).get(pk=rep.pk)
    public = selectors.quarter_points(rep, [(year, q) for q in (1, 2, 3, 4)])
    assert [q.points for q in public] == [staff.q1 or 0, staff.q2 or 0, staff.q3 or 0, staff.q4 or 0]


def test_ended_quarters_cross_the_year():
    assert selectors.ended_quarters(datetime.date(2026, 2, 10)) == [(2025, 4), (2025, 3), (2025, 2), (2025, 1)]
    assert selectors.ended_quarters(datetime.date(2026, 7, 1)) == [(2026, 2), (2026, 1), (2025, 4), (2025, 3)]


# --- the posters (staff) ----------------------------------------------------------------------


def test_station_poster_points_at_the_public_page(network, client_for):
    client = client_for(network.users["officer"])
    detail = client.get(reverse("liaison:station_detail", args=[network.station_a.pk])).content.decode()
    assert reverse("public:station_poster", args=[network.station_a.pk]) in detail
    response = client.get(reverse("public:station_poster", args=[network.station_a.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "http://testserver/s/a/" in page and "<svg" in page and "data-print" in page


def test_qr_png_and_svg_encode_the_public_address(network, client_for):
    client = client_for(network.users["officer"])
    png = client.get(reverse("public:station_qr", args=[network.station_a.pk, "png"]))
    assert png["Content-Type"] == "image/png"
    assert png.content.startswith(b"\x89PNG\r\n\x1a\n")
    assert 'filename="qr-station-a.png"' in png["Content-Disposition"]
    svg = client.get(reverse("public:station_qr", args=[network.station_a.pk, "svg"]))
    assert svg["Content-Type"] == "image/svg+xml"
    body = svg.content.decode()
    assert "<desc>http://testserver/s/a/</desc>" in body
    # The drawn modules are exactly those of a code for that address.
    expected = segno.make("http://testserver/s/a/", error="m", micro=False).svg_inline(scale=10, border=4)
    path = re.search(r' d="([^"]+)"', expected).group(1)
    assert f' d="{path}"' in body


@override_settings(PUBLIC_BASE_URL="https://lianluo.example.gov.cn")
def test_posters_use_the_public_base_url_when_set(network, client_for):
    rep = make_representative(network, name="李代表")
    client = client_for(network.users["county"])
    page = client.get(reverse("public:representative_poster", args=[rep.pk])).content.decode()
    assert f"https://lianluo.example.gov.cn/r/{rep.pk}/" in page
    detail = client.get(reverse("representatives:detail", args=[rep.pk])).content.decode()
    assert reverse("public:representative_poster", args=[rep.pk]) in detail


def test_no_poster_for_an_inactive_station_or_a_representative_no_longer_serving(network, client_for):
    liaison_services.station_deactivate(actor=network.users["superuser"], station=network.point_a)
    ended = make_representative(network, name="离任代表")
    roster.representative_end_service(
        actor=network.users["superuser"],
        representative=ended,
        status="resigned",
        date=datetime.date(2026, 1, 5),
        reason="调动",
    )
    client = client_for(network.users["county"])
    assert client.get(reverse("public:station_poster", args=[network.point_a.pk])).status_code == 404
    assert client.get(reverse("public:representative_poster", args=[ended.pk])).status_code == 404
    assert client.get(reverse("public:representative_qr", args=[ended.pk, "png"])).status_code == 404
    assert client.get(f"/posters/station/{network.station_a.pk}/qr.gif").status_code == 404


def test_activity_poster_points_at_its_check_in_page(network, client_for):
    from tests.activities.helpers import make_activity

    activity = make_activity(network, title="代表履职培训")
    client = client_for(network.users["officer"])
    detail = client.get(reverse("activities:detail", args=[activity.pk])).content.decode()
    assert reverse("public:activity_poster", args=[activity.pk]) in detail
    page = client.get(reverse("public:activity_poster", args=[activity.pk])).content.decode()
    check_in = f"http://testserver{reverse('activities:check_in', args=[activity.pk])}"
    assert "代表履职培训" in page and check_in in page and "代表扫码签到" in page and "<svg" in page
    svg = client.get(reverse("public:activity_qr", args=[activity.pk, "svg"])).content.decode()
    assert f"<desc>{check_in}</desc>" in svg
    png = client.get(reverse("public:activity_qr", args=[activity.pk, "png"]))
    assert png.content.startswith(b"\x89PNG\r\n\x1a\n")
    assert 'filename="qr-activity-' in png["Content-Disposition"]
