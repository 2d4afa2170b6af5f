"""Evidence uploads (实证材料): judged by content, capped in size, stored under random names."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext

from common import audit
from common.exceptions import ApplicationError, StateConflict
from common.uploads import (  # noqa: F401 - the upload checks, re-exported for this app's callers
    ALLOWED_LABEL,
    FILE_TYPES,
    JPEG,
    MAX_FILE_BYTES,
    PDF,
    PNG,
    FileType,
    check_upload,
    name_for,
    served_as,
    sha256_of,
    sniff,
)

from ..enums import EDITABLE_STATES
from ..models import Application, Document, DocumentKind
from .workflow import lock


@transaction.atomic
def upload_document(*, application: Application, upload, kind: str, actor) -> Document:
    """Store an evidence file for a draft or returned application."""
    if kind not in DocumentKind.values:
        raise ApplicationError(
            gettext("材料类别应为 %(join)s 之一。") % {"join": ", ".join(DocumentKind.values)},
            field="kind",
        )
    app = lock(application)
    if app.status not in EDITABLE_STATES:
        raise StateConflict(gettext("申报已提交，不能再上传材料。"))
    file_type = check_upload(upload)
    used = app.documents.filter(removed_at=None).aggregate(total=Sum("size"))["total"] or 0
    cap = app.cycle.settings.evidence_total_mb * 1024 * 1024
    if used + upload.size > cap:
        raise ApplicationError(
            gettext(
                "本申报实证材料总量上限为%(evidence_total_mb)s MB，已用%(value)s MB，此文件放不下。"
            )
            % {
                "evidence_total_mb": app.cycle.settings.evidence_total_mb,
                "value": format(used / 1024 / 1024, ".1f"),
            },
            field="file",
        )
    name = name_for(upload.name, file_type)
    document = Document(
        application=app,
        kind=kind,
        original_name=name,
        content_type=file_type.content_type,
        size=upload.size,
        sha256=sha256_of(upload),
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
        raise StateConflict(gettext("申报已提交，不能再移除材料。"))
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
