"""The unit console: (role, page) -> status. Anonymous -> sign-in; staff and representatives -> 403;
another unit's item -> 404; the unit's own -> 200."""

import pytest
from django.urls import reverse

from suggestions.models import Assignment
from suggestions.services import handling
from tests.suggestions.core_helpers import make_suggestion, make_unit

ROLES = [
    "anonymous",
    "superuser",
    "county",
    "township",
    "officer",
    "point_officer",
    "representative",
    "unit",
    "other_unit",
    "norole",
]


@pytest.fixture
def pages(network):
    officer = network.users["officer"]
    other_unit, other_user = make_unit(network)
    network.users["other_unit"] = other_user
    proposal = make_suggestion(network, kind="proposal")
    handling.suggestion_accept(actor=officer, suggestion_id=proposal.pk)
    handling.suggestion_assign(actor=officer, suggestion_id=proposal.pk, lead_unit_id=network.unit.pk)
    lead = Assignment.objects.get(suggestion=proposal)
    opinion = make_suggestion(network)
    handling.suggestion_accept(actor=officer, suggestion_id=opinion.pk)
    handling.suggestion_assign(
        actor=officer, suggestion_id=opinion.pk, lead_unit_id=other_unit.pk, co_unit_ids=[network.unit.pk]
    )
    co = Assignment.objects.get(suggestion=opinion, role="co")
    return {
        "list": reverse("suggestions:unit_list"),
        "list_overdue": reverse("suggestions:unit_list") + "?when=overdue&page=x",
        "list_bad": reverse("suggestions:unit_list") + "?when=<script>&page=999",
        "detail": reverse("suggestions:unit_detail", args=[lead.pk]),
        "answer": reverse("suggestions:unit_answer", args=[lead.pk]),
        "extension": reverse("suggestions:unit_extension", args=[lead.pk]),
        "return": reverse("suggestions:unit_return", args=[lead.pk]),
        "opinion": reverse("suggestions:unit_opinion", args=[co.pk]),
        "co_detail": reverse("suggestions:unit_detail", args=[co.pk]),
    }


UNIT_PAGE = [302, 404, 403, 403, 403, 403, 403, 200, 404, 403]
TABLE = {
    #               anon super county town officer point rep unit other norole
    "list":         [302, 200, 403, 403, 403, 403, 403, 200, 200, 403],
    "list_overdue": [302, 200, 403, 403, 403, 403, 403, 200, 200, 403],
    "list_bad":     [302, 200, 403, 403, 403, 403, 403, 200, 200, 403],
    "detail":       UNIT_PAGE,
    "answer":       UNIT_PAGE,
    "extension":    UNIT_PAGE,
    "return":       UNIT_PAGE,
    "opinion":      UNIT_PAGE,
    "co_detail":    UNIT_PAGE,
}  # fmt: skip

CASES = [(page, role, statuses[i]) for page, statuses in TABLE.items() for i, role in enumerate(ROLES)]


@pytest.mark.parametrize(("page", "role", "expected"), CASES, ids=[f"{p}-{r}" for p, r, _ in CASES])
def test_role_page_status(network, pages, client_for, page, role, expected):
    user = None if role == "anonymous" else network.users[role]
    response = client_for(user).get(pages[page])
    assert response.status_code == expected
    if expected == 302:
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("page", ["answer", "extension", "return", "opinion"])
def test_another_unit_cannot_post_a_step(network, pages, client_for, page):
    response = client_for(network.users["other_unit"]).post(pages[page], {"reason": "x", "text": "x", "result": "A"})
    assert response.status_code == 404
    assert not Assignment.objects.exclude(status="active").exists()
