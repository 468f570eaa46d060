"""Import and export pages: (role, page) -> status. Another user's upload is a 404."""

import pytest
from django.urls import reverse

from representatives.services import imports
from tests.representatives.import_helpers import row, xlsx_bytes

ROLES = ["anonymous", "superuser", "county", "township", "officer", "point_officer", "representative", "unit", "norole"]


@pytest.fixture
def batch(network):
    """A file the station officer uploaded."""
    return imports.import_upload(actor=network.users["officer"], name="名册.xlsx", data=xlsx_bytes([row()]))


def page_url(batch, page):
    return {
        "import": reverse("representatives:import"),
        "template": reverse("representatives:import_template"),
        "export": reverse("representatives:export"),
        "preview": reverse("representatives:import_detail", args=[batch.pk]),
        "progress": reverse("representatives:import_progress", args=[batch.pk]),
    }[page]


TABLE = {
    #             anon super county town  officer point rep  unit norole
    "import":     [302, 200, 200, 200, 200, 200, 403, 403, 403],
    "template":   [302, 200, 200, 200, 200, 200, 403, 403, 403],
    "export":     [302, 200, 200, 200, 200, 200, 403, 403, 403],
    "preview":    [302, 404, 404, 404, 200, 404, 403, 403, 403],
    "progress":   [302, 404, 404, 404, 200, 404, 403, 403, 403],
    "confirm":    [302, 404, 404, 404, 302, 404, 403, 403, 403],
}  # fmt: skip

CASES = [(page, role, statuses[i]) for page, statuses in TABLE.items() for i, role in enumerate(ROLES)]


@pytest.mark.parametrize(("page", "role", "expected"), CASES, ids=[f"{p}-{r}" for p, r, _ in CASES])
def test_import_role_page_status(network, batch, client_for, page, role, expected, monkeypatch):
    from representatives import tasks

    monkeypatch.setattr(tasks.import_apply, "delay", lambda *args: None)
    user = None if role == "anonymous" else network.users[role]
    client = client_for(user)
    if page == "confirm":
        response = client.post(reverse("representatives:import_confirm", args=[batch.pk]))
    else:
        response = client.get(page_url(batch, page))
    assert response.status_code == expected


@pytest.mark.parametrize(
    ("role", "station", "ok"),
    [
        ("officer", "甲镇联络站", True),
        ("officer", "甲村联络点", True),
        ("officer", "乙乡联络站", False),
        ("point_officer", "甲村联络点", True),
        ("point_officer", "甲镇联络站", False),
        ("township", "甲镇城区联络站", True),
        ("township", "乙村联络点", False),
        ("county", "乙村联络点", True),
    ],
)
def test_rows_may_only_name_stations_in_the_uploaders_scope(network, role, station, ok):
    batch = imports.import_upload(
        actor=network.users[role], name="名册.xlsx", data=xlsx_bytes([row(所属联络站=station)])
    )
    assert (batch.status == "ready") is ok
    if not ok:
        (error,) = batch.report[0]["errors"]
        assert error["column"] == "所属联络站"
        assert "不在您管理的联络站范围内" in error["message"]


def test_import_page_is_in_the_navigation_for_roster_roles_only(network, client_for):
    url = reverse("representatives:import")
    assert url in client_for(network.users["officer"]).get(reverse("liaison:dashboard")).content.decode()
    assert url not in client_for(network.users["representative"]).get(reverse("liaison:dashboard")).content.decode()


def test_only_the_uploader_may_decide_or_confirm_an_upload_even_through_the_service(network, batch):
    from django.core.exceptions import PermissionDenied

    for user in ("county", "township"):
        with pytest.raises(PermissionDenied):
            imports.import_confirm(actor=network.users[user], batch=batch)
        with pytest.raises(PermissionDenied):
            imports.import_resolve(actor=network.users[user], batch=batch, row=2, choice="new")
    batch.refresh_from_db()
    assert batch.status == "ready"
