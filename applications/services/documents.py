"""Evidence uploads (实证材料): judged by content, capped in size, stored under random names."""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from common import audit
from common.exceptions import ApplicationError, StateConflict

from ..enums import EDITABLE_STATES
from ..models import Application, Document, DocumentKind
from .workflow import lock

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


def _office_type(upload) -> FileType | None:
    """DOCX and XLSX are ZIP packages: look inside for the part that makes them what they are,
    and refuse macro-enabled packages."""
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as package:
            names = set(package.namelist())
            if "[Content_Types].xml" not in names:
                return None
            types = package.read("[Content_Types].xml")
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, RuntimeError):
        return None
    finally:
        upload.seek(0)
    if b"macroEnabled" in types or any(n.endswith("vbaProject.bin") for n in names):
        return None
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    return None


def sniff(upload) -> FileType | None:
    """The file's type by its first bytes (magic numbers), never by its name."""
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
        return _office_type(upload)
    return None


def _sha256(upload) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def _clean_name(name: str) -> str:
    base = (name or "file").replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(c for c in base if c.isprintable())[:200] or "file"


def check_upload(upload) -> FileType:
    """The upload's type, or ApplicationError with a message saying why it is refused."""
    name = _clean_name(getattr(upload, "name", ""))
    size = getattr(upload, "size", None) or 0
    if size == 0:
        raise ApplicationError(f"文件“{name}”是空文件。", field="file")
    if size > MAX_FILE_BYTES:
        raise ApplicationError(
            f"文件“{name}”大小为{size / 1024 / 1024:.1f} MB，超过单个文件20 MB的上限。",
            field="file",
        )
    kind = sniff(upload)
    if kind is None:
        raise ApplicationError(
            f"文件“{name}”的内容不是允许的格式（仅接受{ALLOWED_LABEL}，按文件内容而非扩展名判断）。",
            field="file",
        )
    return kind


@transaction.atomic
def upload_document(*, application: Application, upload, kind: str, actor) -> Document:
    """Store an evidence file for a draft or returned application."""
    if kind not in DocumentKind.values:
        raise ApplicationError(
            f"材料类别应为 {', '.join(DocumentKind.values)} 之一。", field="kind"
        )
    app = lock(application)
    if app.status not in EDITABLE_STATES:
        raise StateConflict("申报已提交，不能再上传材料。")
    file_type = check_upload(upload)
    used = app.documents.filter(removed_at=None).aggregate(total=Sum("size"))["total"] or 0
    cap = app.cycle.settings.evidence_total_mb * 1024 * 1024
    if used + upload.size > cap:
        raise ApplicationError(
            f"本申报实证材料总量上限为{app.cycle.settings.evidence_total_mb} MB，"
            f"已用{used / 1024 / 1024:.1f} MB，此文件放不下。",
            field="file",
        )
    name = _clean_name(upload.name)
    document = Document(
        application=app,
        kind=kind,
        original_name=name,
        content_type=file_type.content_type,
        size=upload.size,
        sha256=_sha256(upload),
        uploaded_by=actor,
    )
    document.file.save(f"upload.{file_type.extension}", upload, save=False)
    document.save()
    audit.record(
        action="document.uploaded",
        actor=actor,
        obj=app,
        data={
            "document": document.pk,
            "kind": kind,
            "sha256": document.sha256,
            "size": document.size,
        },
    )
    return document


@transaction.atomic
def remove_document(*, document: Document, actor) -> Document:
    """Take a file out of a draft. The row and file stay on record (earlier versions may cite
    them); only ``removed_at`` is set."""
    app = lock(document.application)
    if app.status not in EDITABLE_STATES:
        raise StateConflict("申报已提交，不能再移除材料。")
    doc = Document.objects.select_for_update().get(pk=document.pk)
    if doc.removed_at is None:
        doc.removed_at = timezone.now()
        doc.save(update_fields=["removed_at"])
        audit.record(
            action="document.removed",
            actor=actor,
            obj=app,
            data={"document": doc.pk, "sha256": doc.sha256},
        )
    return doc
