"""ZIP packages are measured from their directory before anything is inflated, and read only
through a bounded reader (issue 8 item 7)."""

import io
import tracemalloc
import zipfile

import pytest

from common.zipsafe import DOCUMENT_LIMITS, MB, SafeZip, UnsafePackage, ZipLimits
from tests.factories.files import docx, docx_bomb, forge_declared_size, package

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return docx_bomb(400)


def _peak_while(action) -> tuple[int, Exception | None]:
    tracemalloc.start()
    try:
        action()
        error = None
    except Exception as exc:  # the refusal is the point; it is checked by the caller
        error = exc
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak, error


def test_declared_400_mb_member_is_refused_before_inflating_issue8_item7(bomb):
    assert len(bomb) < 400 * 1024  # the attack's 398 KB
    peak, error = _peak_while(lambda: SafeZip(io.BytesIO(bomb), DOCUMENT_LIMITS))
    assert isinstance(error, UnsafePackage)
    assert error.message == (
        "压缩包内的“[Content_Types].xml”解压后为400 MB，"
        "超过100 MB的上限（疑似“压缩炸弹”），已拒收。"
    )
    assert peak < 5 * MB


def test_ratio_above_100_to_1_is_refused_even_under_the_total_cap_issue8_item7():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", bytes(20 * MB))  # 20 MB of zeros: about 1000:1
    with pytest.raises(UnsafePackage, match=r"压缩比为\d+:1，超过100:1的上限"):
        SafeZip(io.BytesIO(buffer.getvalue()), DOCUMENT_LIMITS)


def test_many_members_adding_up_past_the_total_cap_are_refused_issue8_item7():
    limits = ZipLimits(max_members=100, max_total_bytes=1 * MB, ratio_grace_bytes=MB)
    data = package({f"part{i}.xml": bytes(300 * 1024) for i in range(4)})  # 1.2 MB in all
    with pytest.raises(UnsafePackage, match="解压后超过1 MB的上限"):
        SafeZip(io.BytesIO(data), limits)


def test_too_many_members_are_refused_from_the_directory_issue8_item7():
    data = package({f"p/{i}": b"" for i in range(DOCUMENT_LIMITS.max_members + 1)})
    with pytest.raises(UnsafePackage) as refused:
        SafeZip(io.BytesIO(data), DOCUMENT_LIMITS)
    assert refused.value.message == "压缩包内的文件过多（声明2001个，最多2000个）。"


def test_forged_declared_size_stops_at_the_declared_size_issue8_item7(bomb):
    """The directory says 300 bytes; the member inflates to 400 MB. Reading stops after the
    declared bytes, in a few hundred KB of memory."""
    forged = forge_declared_size(bomb, "[Content_Types].xml", 300)
    package_ = SafeZip(io.BytesIO(forged), DOCUMENT_LIMITS)  # declared sizes look honest
    peak, error = _peak_while(lambda: package_.read("[Content_Types].xml", limit=5 * MB))
    assert isinstance(error, UnsafePackage)
    assert error.message == "压缩包内的“[Content_Types].xml”已损坏或与其声明的大小不符，已拒收。"
    assert peak < 5 * MB


def test_same_part_twice_in_different_case_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("word/document.xml", "<a/>")
        z.writestr("WORD/Document.xml", "<b/>")
    with pytest.raises(UnsafePackage, match="重名"):
        SafeZip(io.BytesIO(buffer.getvalue()), DOCUMENT_LIMITS)


def test_honest_package_reads_and_finds_parts_in_any_case():
    safe = SafeZip(io.BytesIO(docx()), DOCUMENT_LIMITS)
    assert safe.find("WORD/DOCUMENT.XML") == "word/document.xml"
    assert safe.read("word/document.xml", limit=MB).startswith(b"<w:document")
    assert safe.head("[content_types].xml", 5) == b"<?xml"


def test_not_a_zip_is_refused_with_a_message():
    with pytest.raises(UnsafePackage, match="不是有效的ZIP压缩包"):
        SafeZip(io.BytesIO(b"PK\x03\x04junk"), DOCUMENT_LIMITS)
