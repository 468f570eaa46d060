"""Activity and funds pages: (role, page) -> status. Another station's activity is a 404."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from liaison.activities.services import funds as fund_services
from tests.activities.helpers import invite, make_activity, rep_with_account

ROLES = ["anonymous", "superuser", "county", "township", "officer", "point_officer", "representative", "unit", "norole"]

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


@pytest.fixture
def objects(network, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    a = make_activity(network, station=network.station_a)
    b = make_activity(network, station=network.station_b)
    rep, _user = rep_with_account(network)
    invite(network, a, rep)
    expense = fund_services.expense_record(
        actor=network.users["superuser"],
        activity=b,
        amount="120.50",
        purpose="general",
        spent_on=timezone.localdate(),
        receipt=SimpleUploadedFile("发票.pdf", PDF, content_type="application/pdf"),
    )
    return {"a": a, "b": b, "expense": expense}


def page_url(objects, page):
    a, b = objects["a"].pk, objects["b"].pk
    return {
        "list": reverse("activities:list"),
        "create": reverse("activities:create"),
        "mine": reverse("activities:mine"),
        "detail_a": reverse("activities:detail", args=[a]),
        "edit_a": reverse("activities:update", args=[a]),
        "search_a": reverse("activities:invite_search", args=[a]) + "?q=李",
        "detail_b": reverse("activities:detail", args=[b]),
        "edit_b": reverse("activities:update", args=[b]),
        "check_in_a": reverse("activities:check_in", args=[a]),
        "funds": reverse("activities:budget_report"),
        "budget_set": reverse("activities:budget_set"),
        "receipt_b": reverse("activities:receipt", args=[objects["expense"].pk]),
        "poster_a": reverse("public:activity_poster", args=[a]),
        "qr_a": reverse("public:activity_qr", args=[a, "png"]),
        "poster_b": reverse("public:activity_poster", args=[b]),
        "qr_b": reverse("public:activity_qr", args=[b, "svg"]),
    }[page]


TABLE = {
    #             anon super county town  officer point rep  unit norole
    "list":       [302, 200, 200, 200, 200, 200, 403, 403, 403],
    "create":     [302, 200, 200, 200, 200, 200, 403, 403, 403],
    "mine":       [302, 200, 200, 200, 200, 200, 200, 200, 200],
    "detail_a":   [302, 200, 200, 200, 200, 404, 403, 403, 403],
    "edit_a":     [302, 200, 200, 200, 200, 404, 403, 403, 403],
    "search_a":   [302, 200, 200, 200, 200, 404, 403, 403, 403],
    "detail_b":   [302, 200, 200, 404, 404, 404, 403, 403, 403],
    "edit_b":     [302, 200, 200, 404, 404, 404, 403, 403, 403],
    "check_in_a": [302, 200, 200, 200, 200, 200, 200, 200, 200],
    "funds":      [302, 200, 200, 200, 200, 200, 403, 403, 403],
    "budget_set": [302, 200, 200, 200, 200, 200, 403, 403, 403],
    "receipt_b":  [302, 200, 200, 404, 404, 404, 403, 403, 403],
    "poster_a":   [302, 200, 200, 200, 200, 404, 403, 403, 403],
    "qr_a":       [302, 200, 200, 200, 200, 404, 403, 403, 403],
    "poster_b":   [302, 200, 200, 404, 404, 404, 403, 403, 403],
    "qr_b":       [302, 200, 200, 404, 404, 404, 403, 403, 403],
}  # fmt: skip

CASES = [(page, role, statuses[i]) for page, statuses in TABLE.items() for i, role in enumerate(ROLES)]


@pytest.mark.parametrize(("page", "role", "expected"), CASES, ids=[f"{p}-{r}" for p, r, _ in CASES])
def test_activity_role_page_status(network, objects, client_for, page, role, expected):
    user = None if role == "anonymous" else network.users[role]
    response = client_for(user).get(page_url(objects, page))
    response.close()  # a receipt is a streamed file
    assert response.status_code == expected


@pytest.mark.parametrize("action", ["invite", "uninvite", "announce", "cancel", "attendance", "expense_create"])
def test_changing_another_stations_activity_is_a_404_and_changes_nothing(network, objects, client_for, action):
    b = objects["b"]
    response = client_for(network.users["officer"]).post(
        reverse(f"activities:{action}", args=[b.pk]), {"representatives": [], "amount": "10"}
    )
    assert response.status_code == 404
    b.refresh_from_db()
    assert b.status == "planned"
    assert b.expenses.count() == 1


def test_another_stations_expense_cannot_be_deleted(network, objects, client_for):
    url = reverse("activities:expense_delete", args=[objects["expense"].pk])
    assert client_for(network.users["officer"]).post(url).status_code == 404
    assert objects["b"].expenses.count() == 1


def test_officer_may_not_hold_an_activity_at_another_station(network, client_for):
    response = client_for(network.users["officer"]).post(
        reverse("activities:create"),
        {"station": network.station_b.pk, "kind": "training", "title": "越权活动", "starts_at": "2030-01-01T09:00"},
    )
    assert response.status_code == 200  # the form again, with the error
    assert "station" in response.context["form"].errors


def test_search_finds_only_representatives_in_scope(network, client_for):
    from tests.representatives.factories import make_representative

    a = make_activity(network)
    make_representative(network, name="张甲镇", station=network.station_a)
    make_representative(network, name="张乙乡", station=network.station_b)
    response = client_for(network.users["officer"]).get(reverse("activities:invite_search", args=[a.pk]) + "?q=张")
    html = response.content.decode()
    assert "张甲镇" in html
    assert "张乙乡" not in html
    # An id from another station sent by hand is not invited either.
    other = make_representative(network, name="张乙乡二", station=network.station_b)
    client_for(network.users["officer"]).post(
        reverse("activities:invite", args=[a.pk]), {"representatives": [other.pk]}
    )
    assert not a.invitations.filter(representative=other).exists()
