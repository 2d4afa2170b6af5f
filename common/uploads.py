"""What an uploaded file is, judged by its content, not its name: the types the portal accepts
(PDF, JPEG, PNG, DOCX, XLSX), Office packages checked for bombs and macros (issue 8 items 7-8),
and the one refusal message. Every app that takes an upload asks ``check_upload``."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from xml.parsers import expat

from django.utils.translation import gettext

from common.exceptions import ApplicationError
from common.zipsafe import DOCUMENT_LIMITS, SafeZip, UnsafePackage

MAX_FILE_BYTES = 20 * 1024 * 1024
ALLOWED_LABEL = "PDF、JPEG、PNG、DOCX、XLSX"


@dataclass(frozen=True)
class FileType:
    content_type: str
    extension: str


PDF = FileType("application/pdf", "pdf")
JPEG = FileType("image/jpeg", "jpg")
PNG = FileType("image/png", "png")
DOCX = FileType("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx")
XLSX = FileType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx")
UNKNOWN = FileType("application/octet-stream", "bin")  # never stored; served as a download
FILE_TYPES = {t.content_type: t for t in (PDF, JPEG, PNG, DOCX, XLSX)}


# What marks a macro-enabled or VBA-carrying package, in any case: content types
# (application/vnd.ms-office.vbaProject, ...macroEnabled...), relationship types
# (.../relationships/vbaProject, .../wordVbaData) and Excel 4.0 macro sheets.
_MACRO_MARKERS = ("vbaproject", "macroenabled", "vbadata", "macrosheet")
# VBA projects and embedded OLE objects are compound files, whatever their part is called.
OLE_MAGIC = b"\xd0\xcf\x11\xe0"
MAX_PART_BYTES = 5 * 1024 * 1024  # [Content_Types].xml or one .rels part


class _Refused(Exception):
    pass


def _xml_attributes(data: bytes) -> list[dict[str, str]]:
    """The attributes of every element of a package's XML part, without building a tree.
    OPC parts may not declare a DTD (ECMA-376 part 2): one is refused, and with it any entity
    expansion."""

    def forbid(*args):
        raise _Refused

    elements: list[dict[str, str]] = []
    parser = expat.ParserCreate()
    parser.StartElementHandler = lambda name, attrs: elements.append(attrs)
    parser.StartDoctypeDeclHandler = forbid
    parser.EntityDeclHandler = forbid
    parser.Parse(data, True)
    return elements


def _macro_in(elements: list[dict[str, str]], attributes: tuple[str, ...]) -> bool:
    for attrs in elements:
        if attrs.get("TargetMode", "").lower() == "external":
            continue  # a hyperlink's address, not a part of the package
        for attribute in attributes:
            value = attrs.get(attribute, "").lower()
            if any(marker in value for marker in _MACRO_MARKERS):
                return True
    return False


def _office_type(upload, name: str) -> FileType | None:
    """DOCX and XLSX are ZIP packages: check the package's sizes before inflating anything
    (issue 8 item 7), refuse macros and OLE parts under any name (item 8), and look for the part
    that makes the package what it is."""
    upload.seek(0)
    try:
        package = SafeZip(upload, DOCUMENT_LIMITS)
        types_name = package.find("[Content_Types].xml")
        if types_name is None:
            return None
        macro = any(marker in n.lower() for n in package.names for marker in _MACRO_MARKERS)
        try:
            macro = macro or _macro_in(
                _xml_attributes(package.read(types_name, limit=MAX_PART_BYTES)),
                ("ContentType", "PartName", "Extension"),
            )
            for part in package.names:
                if macro:
                    break
                if part.lower().endswith(".rels"):
                    macro = _macro_in(
                        _xml_attributes(package.read(part, limit=MAX_PART_BYTES)),
                        ("Type", "Target"),
                    )
        except (_Refused, expat.ExpatError, ValueError):
            return None
        macro = macro or any(package.head(part).startswith(OLE_MAGIC) for part in package.names)
    except UnsafePackage as exc:
        raise ApplicationError(
            gettext("文件“%(name)s”：%(message)s") % {"name": name, "message": exc.message},
            field="file",
        ) from exc
    finally:
        upload.seek(0)
    if macro:
        raise ApplicationError(
            gettext(
                "文件“%(name)s”含有宏（VBA）或嵌入的OLE对象，不予接收；请另存为不含宏的DOCX或XLSX后再上传。"
            )
            % {"name": name},
            field="file",
        )
    if package.find("word/document.xml"):
        return DOCX
    if package.find("xl/workbook.xml"):
        return XLSX
    return None


def sniff(upload, name: str = "file") -> FileType | None:
    """The file's type by its first bytes (magic numbers), never by its name. Raises
    ApplicationError for a package that is unsafe to open or carries macros."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"PK\x03\x04"):
        return _office_type(upload, name)
    return None


def sha256_of(upload) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def _clean_name(name: str) -> str:
    base = (name or "file").replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(c for c in base if c.isprintable())[:200] or "file"


def name_for(name: str, file_type: FileType) -> str:
    """The name a file is kept and served under: the uploaded name's stem with the extension of
    the type its content was detected as, never the uploaded extension (issue 8 item 8:
    ``poly.html`` holding a PDF is ``poly.pdf``)."""
    base = _clean_name(name)
    stem = base.rsplit(".", 1)[0] if "." in base else base
    return f"{stem.strip(' .')[:200] or 'file'}.{file_type.extension}"


def served_as(document) -> tuple[str, str]:
    """``(filename, content type)`` to serve a stored document with: the detected type decides
    both, also for rows stored before names were normalised."""
    file_type = FILE_TYPES.get(document.content_type, UNKNOWN)
    return name_for(document.original_name, file_type), file_type.content_type


def check_upload(upload) -> FileType:
    """The upload's type, or ApplicationError with a message saying why it is refused."""
    name = _clean_name(getattr(upload, "name", ""))
    size = getattr(upload, "size", None) or 0
    if size == 0:
        raise ApplicationError(gettext("文件“%(name)s”是空文件。") % {"name": name}, field="file")
    if size > MAX_FILE_BYTES:
        raise ApplicationError(
            gettext("文件“%(name)s”大小为%(value)s MB，超过单个文件20 MB的上限。")
            % {"name": name, "value": format(size / 1024 / 1024, ".1f")},
            field="file",
        )
    kind = sniff(upload, name)
    if kind is None:
        raise ApplicationError(
            gettext(
                "文件“%(name)s”的内容不是允许的格式（仅接受%(ALLOWED_LABEL)s，按文件内容而非扩展名判断）。"
            )
            % {"name": name, "ALLOWED_LABEL": ALLOWED_LABEL},
            field="file",
        )
    return kind
