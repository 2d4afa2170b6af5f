"""The incident import reads its file as a stream, stops at the row limit and caps the file
(issue 8 item 9); an XLSX is a ZIP checked before it is opened (item 7)."""

import tracemalloc

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from common.exceptions import ApplicationError
from common.zipsafe import MB
from organisations.importing import MAX_IMPORT_BYTES, MAX_ROWS, import_incidents
from organisations.models import Incident
from tests.conftest import login_api
from tests.factories import OrganisationFactory
from tests.factories.files import docx_bomb, xlsx

pytestmark = pytest.mark.unit

IMPORT_URL = "/api/v1/organisations/incidents/import/"
HEADER = ["uscc", "kind", "occurred_on", "description"]
LIMIT = f"一次最多导入{MAX_ROWS}行（空行也计入），本文件超过了{MAX_ROWS}行，请分批导入。"


def _peak(action):
    tracemalloc.start()
    try:
        result = action()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_xlsx_declaring_100000_rows_is_refused_at_the_limit_issue8_item9(office):
    """The attack's 1.6 KB workbook declares 100,000 rows over 52 columns; the code before
    listed every row (about 132 MB) and, counting only the filled ones, imported it."""
    org = OrganisationFactory()
    data = xlsx(
        {1: HEADER, 2: [org.uscc, "violation", "2025-01-02", "违规"], 100_000: ["x"]},
        dimension="A1:AZ100000",
    )
    assert len(data) < 2 * 1024
    report, peak = _peak(lambda: import_incidents(data=data, actor=office))
    assert report.errors == [(0, LIMIT)]
    assert report.created == 0
    assert peak < 50 * MB
    assert not Incident.objects.exists()


def test_csv_past_the_limit_is_refused_reading_line_by_line_issue8_item9(office):
    org = OrganisationFactory()
    line = f"{org.uscc},violation,2025-01-02,违规\n"
    data = (",".join(HEADER) + "\n" + line * 100_000).encode()
    assert len(data) < MAX_IMPORT_BYTES
    report, peak = _peak(lambda: import_incidents(data=data, actor=office))
    assert report.errors == [(0, LIMIT)]
    # The code before decoded the whole text and listed every row: tens of MB.
    assert peak < 20 * MB
    assert not Incident.objects.exists()


def test_rows_at_the_limit_are_imported(office):
    org = OrganisationFactory()
    rows = [HEADER] + [[org.uscc, "violation", "2025-01-02", f"违规{i}"] for i in range(50)]
    report = import_incidents(data=xlsx(rows), actor=office)
    assert (report.rows, report.created, report.errors) == (50, 50, [])


def test_file_over_the_cap_is_refused_by_the_import_itself_issue8_item9(office):
    data = b"uscc,kind,occurred_on,description\n" + b"x" * MAX_IMPORT_BYTES
    with pytest.raises(ApplicationError) as refused:
        import_incidents(data=data, actor=office)
    assert refused.value.message == "文件大小为5.0 MB，超过5 MB的上限。"


def test_xlsx_zip_bomb_is_refused_through_the_api_issue8_item7(office):
    response = login_api(office).post(
        IMPORT_URL,
        {"file": SimpleUploadedFile("incidents.xlsx", docx_bomb(400))},
        format="multipart",
    )
    assert response.status_code == 400
    assert response.json()["file"] == [
        "无法读取该XLSX文件：压缩包内的“[Content_Types].xml”解压后为400 MB，"
        "超过30 MB的上限（疑似“压缩炸弹”），已拒收。"
    ]
