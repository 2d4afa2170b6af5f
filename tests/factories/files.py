"""Real files for upload and import tests, built byte by byte where the point is what a library
would never write: forged sizes, declared rows, raw numbers such as ``1e400``, macros."""

from __future__ import annotations

import io
import struct
import zipfile
from xml.sax.saxutils import escape

from openpyxl.utils import get_column_letter

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
RELS = "application/vnd.openxmlformats-package.relationships+xml"


def content_types(*overrides: tuple[str, str], defaults: tuple[tuple[str, str], ...] = ()) -> str:
    parts = [f'<Default Extension="rels" ContentType="{RELS}"/>']
    parts += [f'<Default Extension="{e}" ContentType="{t}"/>' for e, t in defaults]
    parts += [f'<Override PartName="{p}" ContentType="{t}"/>' for p, t in overrides]
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        + "".join(parts)
        + "</Types>"
    )


def package(members: dict[str, bytes | str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buffer.getvalue()


def docx(extra: dict[str, bytes | str] | None = None, *, types: str | bytes | None = None) -> bytes:
    """A minimal Word package; ``extra`` adds or replaces members."""
    members: dict[str, bytes | str] = {
        "[Content_Types].xml": types
        if types is not None
        else content_types(("/word/document.xml", DOCX_MAIN)),
        "_rels/.rels": rels(
            (
                "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument",
                "word/document.xml",
            )
        ),
        "word/document.xml": '<w:document xmlns:w="http://schemas.openxmlformats.org/'
        'wordprocessingml/2006/main"><w:body/></w:document>',
    }
    members.update(extra or {})
    return package(members)


def rels(*relationships: tuple[str, str], external: bool = False) -> str:
    mode = ' TargetMode="External"' if external else ""
    body = "".join(
        f'<Relationship Id="rId{i}" Type="{t}" Target="{escape(target)}"{mode}/>'
        for i, (t, target) in enumerate(relationships, start=1)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        f'openxmlformats.org/package/2006/relationships">{body}</Relationships>'
    )


def deflated_zeros_member(z: zipfile.ZipFile, name: str, megabytes: int) -> None:
    """Write ``megabytes`` MB of zeros into one member, 1 MB at a time (the test's own memory
    stays small too)."""
    chunk = bytes(1024 * 1024)
    info = zipfile.ZipInfo(name)
    info.compress_type = zipfile.ZIP_DEFLATED
    with z.open(info, "w") as member:
        for _ in range(megabytes):
            member.write(chunk)


def docx_bomb(megabytes: int = 400) -> bytes:
    """The attack's DOCX: ``[Content_Types].xml`` inflating to ``megabytes`` MB of zeros
    (400 MB deflate to about 398 KB)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        deflated_zeros_member(z, "[Content_Types].xml", megabytes)
        z.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def forge_declared_size(data: bytes, name: str, declared: int) -> bytes:
    """The package with ``name``'s uncompressed size rewritten to ``declared`` in its local
    header and its central-directory entry (the inflated bytes stay what they are)."""
    out = bytearray(data)
    encoded = name.encode()
    at = 0
    while (at := out.find(b"PK\x03\x04", at)) >= 0:
        if out[at + 30 : at + 30 + len(encoded)] == encoded:
            struct.pack_into("<I", out, at + 22, declared)
        at += 4
    at = 0
    while (at := out.find(b"PK\x01\x02", at)) >= 0:
        if out[at + 46 : at + 46 + len(encoded)] == encoded:
            struct.pack_into("<I", out, at + 24, declared)
        at += 4
    return bytes(out)


def _cell(ref: str, value) -> str:
    if value is None:
        return ""
    if isinstance(value, RawNumber):
        return f'<c r="{ref}"><v>{value.text}</v></c>'
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value!r}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>'


class RawNumber:
    """A number cell whose text is written as given: ``RawNumber("1e400")``."""

    def __init__(self, text: str) -> None:
        self.text = text


def xlsx(rows: dict[int, list] | list[list], *, dimension: str | None = None) -> bytes:
    """A minimal workbook written by hand: ``rows`` is a list (rows 1, 2, ...) or a mapping of
    row number to cells, so a sheet may declare (``dimension``) or jump to rows far away."""
    numbered = rows if isinstance(rows, dict) else dict(enumerate(rows, start=1))
    sheet_rows = "".join(
        f'<row r="{n}">'
        + "".join(_cell(f"{get_column_letter(i)}{n}", v) for i, v in enumerate(cells, start=1))
        + "</row>"
        for n, cells in sorted(numbered.items())
    )
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    office_rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    sml = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    return package(
        {
            "[Content_Types].xml": content_types(
                ("/xl/workbook.xml", f"{sml}.sheet.main+xml"),
                ("/xl/worksheets/sheet1.xml", f"{sml}.worksheet+xml"),
                defaults=(("xml", "application/xml"),),
            ),
            "_rels/.rels": rels((f"{office_rel}/officeDocument", "xl/workbook.xml")),
            "xl/workbook.xml": f'<workbook xmlns="{main}" xmlns:r="{office_rel}"><sheets>'
            '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
            "xl/_rels/workbook.xml.rels": rels(
                (f"{office_rel}/worksheet", "worksheets/sheet1.xml")
            ),
            "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{main}">{dim}<sheetData>'
            f"{sheet_rows}</sheetData></worksheet>",
        }
    )
