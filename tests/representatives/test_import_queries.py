"""The import's upload and preview issue the same number of queries for 10 rows and for 200."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from representatives.models import ImportBatch
from tests.representatives.factories import make_representative
from tests.representatives.import_helpers import row, rows, upload_file, xlsx_bytes


def upload_and_preview(client, data_rows):
    with CaptureQueriesContext(connection) as upload_ctx:
        response = client.post(reverse("representatives:import"), {"file": upload_file(xlsx_bytes(data_rows))})
    assert response.status_code == 302
    with CaptureQueriesContext(connection) as preview_ctx:
        page = client.get(response["Location"])
    assert page.status_code == 200
    return len(upload_ctx.captured_queries), len(preview_ctx.captured_queries), page


def mixed_rows(network, count):
    """New rows, rows matching existing representatives (by phone and by name), and bad rows."""
    data = rows(count - 4)
    existing = make_representative(network, name=f"老代表{count}", phone=str(13700000000 + count))
    no_phone = make_representative(network, name=f"无号{count}", phone="")
    data += [
        row(姓名=existing.name, 手机号码=existing.phone, 工作单位及职务="新职务"),
        row(姓名=no_phone.name, 手机号码=""),
        row(姓名="坏号码", 手机号码="123"),
        row(姓名="外站", 手机号码="13600000000", 所属联络站="乙乡联络站"),
    ]
    return data


def test_upload_and_preview_queries_are_constant_for_10_and_200_rows(network, client_for):
    client = client_for(network.users["officer"])
    small_upload, small_preview, page = upload_and_preview(client, mixed_rows(network, 10))
    assert page.context["counts"] == {"new": 6, "update": 2, "unchanged": 0, "error": 2, "conflict": 0}
    large_upload, large_preview, page = upload_and_preview(client, mixed_rows(network, 200))
    assert page.context["batch"].counts["total"] == 200
    assert len(page.context["page_obj"]) == 100  # the preview is paginated
    assert (small_upload, small_preview) == (large_upload, large_preview)
    assert ImportBatch.objects.count() == 2
