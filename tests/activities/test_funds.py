"""Budgets and expenses: exact decimals, spending against budget per station and purpose."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from liaison.activities import selectors
from liaison.activities.services import funds as fund_services
from liaison.models import Expense, StationBudget
from tests.activities.helpers import local, make_activity

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
YEAR = 2031


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def spend(network, activity, amount, purpose="general", actor=None):
    return fund_services.expense_record(
        actor=actor or network.users["superuser"],
        activity=activity,
        amount=amount,
        purpose=purpose,
        spent_on=timezone.localdate(),
    )


def test_amounts_are_exact_decimals(network):
    admin = network.users["superuser"]
    fund_services.budget_set(actor=admin, station=network.station_a, year=YEAR, purpose="general", amount="0.30")
    activity = make_activity(network, starts_at=local(YEAR, 3, 1))
    spend(network, activity, "0.1")
    spend(network, activity, "0.2")
    row = selectors.budget_report(user=admin, year=YEAR)["stations"][0]
    assert row.spent_total == Decimal("0.30")
    assert row.remaining == Decimal("0.00")
    assert not row.over_budget
    assert isinstance(row.spent_total, Decimal)
    assert Expense.objects.get(amount=Decimal("0.10")).amount == Decimal("0.10")


@pytest.mark.parametrize("bad", ["abc", "1.234", "-5", "0", "NaN", "Infinity", "1e-3", "99999999999", ""])
def test_bad_amounts_are_refused_in_chinese(network, bad):
    activity = make_activity(network)
    with pytest.raises(ValidationError) as exc:
        spend(network, activity, bad)
    message = " ".join(exc.value.messages)
    assert any(word in message for word in ("金额", "两位小数"))
    assert not Expense.objects.exists()


def test_amounts_are_never_floats(network):
    with pytest.raises(TypeError):
        fund_services.parse_amount(0.1)


def test_expense_form_with_a_bad_amount_changes_nothing(network, client_for):
    activity = make_activity(network)
    response = client_for(network.users["officer"]).post(
        reverse("activities:expense_create", args=[activity.pk]),
        {"amount": "12.345", "purpose": "general", "spent_on": "2031-01-02"},
    )
    assert response.status_code == 400
    assert "最多两位小数" in response.content.decode()
    assert not Expense.objects.exists()


def test_expense_with_receipt_records_who_and_serves_the_file(network, client_for, media):
    activity = make_activity(network)
    client = client_for(network.users["officer"])
    response = client.post(
        reverse("activities:expense_create", args=[activity.pk]),
        {
            "amount": "1,280.50",
            "purpose": "mobile",
            "spent_on": "2031-01-02",
            "note": "流动代表交通补助",
            "receipt": SimpleUploadedFile("receipt.pdf", PDF, content_type="application/pdf"),
        },
    )
    assert response.status_code == 302
    expense = Expense.objects.get()
    assert expense.amount == Decimal("1280.50")
    assert expense.recorded_by == network.users["officer"]
    assert expense.history.count() == 1
    download = client.get(reverse("activities:receipt", args=[expense.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    download.close()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("invoice.exe", b"MZ\x90\x00", "PDF、JPG 或 PNG"),
        ("invoice.pdf", b"MZ\x90\x00 not a pdf", "不是可读的"),
        ("big.png", b"\x89PNG" + b"0" * (5 * 1024 * 1024), "5 MB"),
    ],
)
def test_bad_receipts_are_refused(network, client_for, media, name, content, message):
    activity = make_activity(network)
    response = client_for(network.users["officer"]).post(
        reverse("activities:expense_create", args=[activity.pk]),
        {"amount": "10", "purpose": "general", "spent_on": "2031-01-02", "receipt": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Expense.objects.exists()
    assert not list(media.rglob("*"))


def test_spending_against_budget_per_station_and_purpose(network):
    admin = network.users["superuser"]
    for station, purpose, amount in [
        (network.station_a, "general", "1000.00"),
        (network.station_a, "mobile", "500.00"),
        (network.station_a_town, "mobile", "800.00"),
        (network.station_b, "general", "300.00"),
    ]:
        fund_services.budget_set(actor=admin, station=station, year=YEAR, purpose=purpose, amount=amount)
    a = make_activity(network, starts_at=local(YEAR, 4, 1), planned_amount="600")
    town = make_activity(network, station=network.station_a_town, starts_at=local(YEAR, 5, 1))
    b = make_activity(network, station=network.station_b, starts_at=local(YEAR, 6, 1))
    last_year = make_activity(network, starts_at=local(YEAR - 1, 12, 31, 23, 30))
    spend(network, a, "250.25")
    spend(network, a, "600.10", purpose="mobile")  # over the mobile budget
    spend(network, town, "99.99", purpose="mobile")
    spend(network, b, "300.01")
    spend(network, last_year, "5000")
    report = selectors.budget_report(user=network.users["county"], year=YEAR)
    rows = {row.name: row for row in report["stations"]}
    assert rows["甲镇联络站"].budget_total == Decimal("1500.00")
    assert rows["甲镇联络站"].spent_total == Decimal("850.35")
    assert rows["甲镇联络站"].planned == Decimal("600.00")
    purposes = {item["purpose"]: item for item in rows["甲镇联络站"].by_purpose()}
    assert purposes["流动代表工作经费"]["spent"] == Decimal("600.10")
    assert purposes["流动代表工作经费"]["over"] is True
    assert purposes["代表活动经费"]["remaining"] == Decimal("749.75")
    assert rows["乙乡联络站"].over_budget
    townships = {row.name: row for row in report["townships"]}
    assert townships["甲镇"].budget_total == Decimal("2300.00")
    assert townships["甲镇"].spent_total == Decimal("950.34")
    assert report["total"].spent_total == Decimal("1250.35")
    # An officer sees their own station only, and no roll-up.
    officer = selectors.budget_report(user=network.users["officer"], year=YEAR)
    assert [row.name for row in officer["stations"]] == ["甲镇联络站", "甲镇城区联络站"]
    assert officer["townships"] == []


def test_budget_report_page_shows_the_numbers(network, client_for):
    fund_services.budget_set(
        actor=network.users["superuser"], station=network.station_a, year=YEAR, purpose="mobile", amount="8000"
    )
    html = client_for(network.users["county"]).get(reverse("activities:budget_report") + f"?year={YEAR}")
    content = html.content.decode()
    assert "8000.00" in content
    assert "流动代表工作经费" in content


def test_setting_a_budget_again_changes_it_and_keeps_history(network, client_for):
    client = client_for(network.users["officer"])
    data = {"station": network.station_a.pk, "year": YEAR, "purpose": "general", "amount": "1000"}
    assert client.post(reverse("activities:budget_set"), data).status_code == 302
    assert client.post(reverse("activities:budget_set"), {**data, "amount": "1200.5"}).status_code == 302
    budget = StationBudget.objects.get()
    assert budget.amount == Decimal("1200.50")
    assert [h.amount for h in budget.history.order_by("history_date")] == [Decimal("1000.00"), Decimal("1200.50")]
    assert budget.history.first().history_user == network.users["officer"]
    # Another station's budget is refused with a Chinese message; nothing changes.
    response = client.post(reverse("activities:budget_set"), {**data, "station": network.station_b.pk})
    assert response.status_code == 200
    assert StationBudget.objects.count() == 1
    response = client.post(reverse("activities:budget_set"), {**data, "amount": "一千"})
    assert "两位小数" in response.content.decode()
