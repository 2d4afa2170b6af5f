"""Writing the archive: one snapshot of the database, then every media file, then the
manifest (see :mod:`common.backup.archive` for the format)."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import tarfile
from dataclasses import dataclass, field
from pathlib import Path

import django
from django.core.files.storage import (
    DEFAULT_STORAGE_ALIAS,
    FileSystemStorage,
    default_storage,
    storages,
)
from django.core.serializers import jsonl
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..audit import verify_chain
from ..models import GENESIS_HASH, AuditChainHead
from .archive import (
    COPY_BYTES,
    DATA_DIR,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    MANIFEST_HASH,
    MEDIA_DIR,
    MEDIA_PROGRESS_EVERY,
    MEMBER_BYTES,
    QUERY_CHUNK,
    BackupError,
    HashingReader,
    HashingWriter,
    Progress,
    applied_migrations,
    backed_up_models,
    count_rows,
    human_size,
    media_names,
    portal_version,
    quiet,
    referenced_files,
)


@dataclass(frozen=True)
class BackupResult:
    path: Path
    archive_sha256: str
    manifest_sha256: str
    rows: int
    media_files: int
    media_bytes: int
    audit_head: tuple[int, str]
    missing_media: list[dict] = field(default_factory=list)


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes, mtime: float) -> dict:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o600
    info.mtime = mtime
    tar.addfile(info, io.BytesIO(data))
    return {"name": name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}


class _JSONEncoder(DjangoJSONEncoder):
    """DjangoJSONEncoder cuts times to milliseconds; the audit hash covers microseconds."""

    def default(self, o):
        if isinstance(o, dt.datetime | dt.time):
            return o.isoformat()
        return super().default(o)


class _DataMembers:
    """The stream the serialiser writes to: buffers whole rows and adds them to the archive as
    members of about ``MEMBER_BYTES``, each listed with its size, SHA-256 and row count."""

    def __init__(
        self,
        tar: tarfile.TarFile,
        index: int,
        label: str,
        mtime: float,
        *,
        total: int,
        progress: Progress,
    ):
        self.tar, self.index, self.label, self.mtime = tar, index, label, mtime
        self.total, self.progress = total, progress
        self.buffer = io.StringIO()
        self.rows_in_member = 0
        self.rows = 0
        self.part = 0
        self.files: list[dict] = []

    def write(self, text: str) -> int:
        return self.buffer.write(text)

    def row_done(self) -> None:
        self.rows_in_member += 1
        self.rows += 1
        if self.buffer.tell() >= MEMBER_BYTES:
            self.close_member()
            self.progress(
                _("数据库：{model} 已导出 {rows}/{total} 行……").format(
                    model=self.label, rows=self.rows, total=self.total
                )
            )

    def close_member(self) -> None:
        if not self.rows_in_member:
            return
        self.part += 1
        name = f"{DATA_DIR}{self.index:03d}-{self.label}-{self.part:04d}.jsonl"
        entry = _add_bytes(self.tar, name, self.buffer.getvalue().encode(), self.mtime)
        entry.update({"kind": "data", "model": self.label, "rows": self.rows_in_member})
        self.files.append(entry)
        self.buffer = io.StringIO()
        self.rows_in_member = 0


class _Serializer(jsonl.Serializer):
    def handle_m2m_field(self, obj, field):
        pass  # the many-to-many tables are archived as tables, with their keys

    def end_object(self, obj):
        super().end_object(obj)
        self.stream.row_done()


class _snapshot:
    """One consistent view of the database while it is read: REPEATABLE READ on PostgreSQL; on
    SQLite a deferred transaction, which in WAL mode reads a snapshot without blocking the
    portal's writers. Inside an outer transaction (tests) that transaction is the view."""

    def __init__(self, using: str):
        self.connection = connections[using]
        self.atomic = transaction.atomic(using=using)
        self.saved_mode: str | None = None
        self.changed_mode = False

    def __enter__(self):
        outermost = not self.connection.in_atomic_block
        vendor = self.connection.vendor
        if outermost and vendor == "sqlite":
            self.connection.ensure_connection()  # the mode is read from the settings then
            self.saved_mode = self.connection.transaction_mode
            self.connection.transaction_mode = "DEFERRED"
            self.changed_mode = True
        self.atomic.__enter__()
        if outermost and vendor == "postgresql":
            with self.connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        return self

    def __exit__(self, *exc):
        try:
            return self.atomic.__exit__(*exc)
        finally:
            if self.changed_mode:
                self.connection.transaction_mode = self.saved_mode


def archive_path(output: str | os.PathLike, now: dt.datetime) -> Path:
    """``output`` itself, or a new name inside it when it is a directory."""
    path = Path(output)
    if path.is_dir():
        stamp = timezone.localtime(now).strftime("%Y%m%d-%H%M%S")
        path = path / f"award-portal-backup-{stamp}.tar.gz"
    return path


def _refuse_output_inside_media(path: Path) -> None:
    if not isinstance(default_storage, FileSystemStorage):
        return
    media = Path(default_storage.location).resolve()
    if path.resolve().is_relative_to(media):
        raise BackupError(
            _("备份文件不能写在媒体目录（{media}）中，否则会被下一次备份收入。").format(media=media)
        )


def create_backup(
    *, output: str | os.PathLike, progress: Progress = quiet, using: str = DEFAULT_DB_ALIAS
) -> BackupResult:
    """Write one archive of the database and every media file, and return what it holds.

    The archive is created with mode 600 under a ``.partial`` name and renamed when complete, so
    a failed backup never leaves a plausible-looking archive. An existing file is never
    overwritten. Next to it, ``<archive>.sha256`` holds the archive's SHA-256 (``sha256sum -c``).
    Reads the database in one snapshot and holds at most about ``MEMBER_BYTES`` of it in memory.
    """
    now = timezone.now()
    path = archive_path(output, now)
    if path.exists():
        raise BackupError(_("备份文件 {path} 已存在，不会覆盖。").format(path=path))
    if not path.parent.is_dir():
        raise BackupError(_("目录 {path} 不存在。").format(path=path.parent))
    _refuse_output_inside_media(path)
    partial = path.with_name(path.name + ".partial")
    try:
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as exc:
        raise BackupError(
            _("无法创建备份文件 {path}：{error}").format(path=partial, error=exc)
        ) from exc
    try:
        with os.fdopen(fd, "wb") as raw:
            sink = HashingWriter(raw)
            with tarfile.open(
                fileobj=sink, mode="w:gz", compresslevel=6, format=tarfile.PAX_FORMAT
            ) as tar:
                manifest = _write_archive(tar, now=now, progress=progress, using=using)
                manifest_bytes = json.dumps(
                    manifest, ensure_ascii=False, indent=1, sort_keys=True
                ).encode()
                manifest_sha256 = hashlib.sha256(manifest_bytes).hexdigest()
                mtime = now.timestamp()
                _add_bytes(tar, MANIFEST, manifest_bytes, mtime)
                _add_bytes(tar, MANIFEST_HASH, f"{manifest_sha256}\n".encode(), mtime)
            raw.flush()
            os.fsync(raw.fileno())
        os.link(partial, path)  # never replaces an existing file, unlike rename
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    partial.unlink()
    archive_sha256 = sink.sha256.hexdigest()
    side = path.with_name(path.name + ".sha256")
    side.write_text(f"{archive_sha256}  {path.name}\n", encoding="utf-8")
    media = [f for f in manifest["files"] if f["kind"] == "media"]
    return BackupResult(
        path=path,
        archive_sha256=archive_sha256,
        manifest_sha256=manifest_sha256,
        rows=sum(f["rows"] for f in manifest["files"] if f["kind"] == "data"),
        media_files=len(media),
        media_bytes=sum(f["size"] for f in media),
        audit_head=(manifest["audit"]["head_seq"], manifest["audit"]["head_hash"]),
        missing_media=manifest["missing_media"],
    )


def _write_archive(tar: tarfile.TarFile, *, now: dt.datetime, progress: Progress, using: str):
    mtime = now.timestamp()
    files: list[dict] = []
    with _snapshot(using):
        migrations = applied_migrations(using)
        rows = count_rows(using)
        for index, model in enumerate(backed_up_models(), start=1):
            label = model._meta.label_lower
            members = _DataMembers(tar, index, label, mtime, total=rows[label], progress=progress)
            queryset = model._base_manager.using(using).order_by(model._meta.pk.name)
            _Serializer().serialize(
                queryset.iterator(chunk_size=QUERY_CHUNK),
                stream=members,
                cls=_JSONEncoder,
                use_natural_foreign_keys=False,
                use_natural_primary_keys=False,
            )
            members.close_member()
            if members.rows != rows[label]:
                raise BackupError(
                    _("{model} 读出 {read} 行，但计数为 {count} 行。").format(
                        model=label, read=members.rows, count=rows[label]
                    )
                )
            files.extend(members.files)
            if members.rows:
                progress(_("数据库：{model} {rows} 行").format(model=label, rows=members.rows))
        referenced = list(referenced_files(using))
        chain = verify_chain()
        head = AuditChainHead.objects.using(using).filter(pk=1).first()
        audit = {
            "entries": rows["common.auditentry"],
            "head_seq": head.last_seq if head else 0,
            "head_hash": head.last_hash if head else GENESIS_HASH,
            "chain_valid": chain.ok,
            "broken_at": chain.broken_at,
            "problem": chain.problem,
        }
    if not chain.ok:
        progress(
            _(
                "警告：审计链在第 {seq} 条断开（{problem}）；备份照原样保存，恢复后也将如此。"
            ).format(seq=chain.broken_at, problem=chain.problem)
        )
    media_files = _write_media(tar, mtime=mtime, progress=progress)
    present = {f["name"][len(MEDIA_DIR) :] for f in media_files}
    missing = [
        {"model": label, "pk": pk, "field": name, "file": file}
        for label, pk, name, file in referenced
        if file not in present
    ]
    for item in missing:
        progress(_("警告：{model} #{pk} 的 {field} 引用的文件 {file} 不在存储中。").format(**item))
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "created_at": now.isoformat(),
        "portal_version": portal_version(),
        "django_version": django.get_version(),
        "database_vendor": connections[using].vendor,
        "media_storage": storages.backends[DEFAULT_STORAGE_ALIAS]["BACKEND"],
        "migrations": migrations,
        "rows": rows,
        "audit": audit,
        "files": files + media_files,
        "missing_media": missing,
    }


def _write_media(tar: tarfile.TarFile, *, mtime: float, progress: Progress) -> list[dict]:
    names = list(media_names(default_storage))
    total_bytes = 0
    files = []
    for done, name in enumerate(names, start=1):
        size = default_storage.size(name)
        info = tarfile.TarInfo(MEDIA_DIR + name)
        info.size = size
        info.mode = 0o600
        info.mtime = mtime
        with default_storage.open(name, "rb") as stream:
            reader = HashingReader(stream)
            tar.addfile(info, io.BufferedReader(reader, COPY_BYTES))
        if reader.size < size:
            raise BackupError(_("读取媒体文件 {name} 时文件变短了。").format(name=name))
        total_bytes += size
        files.append(
            {
                "name": info.name,
                "size": size,
                "sha256": reader.sha256.hexdigest(),
                "kind": "media",
            }
        )
        if done % MEDIA_PROGRESS_EVERY == 0 or done == len(names):
            progress(
                _("媒体文件：{done}/{total}，{size}").format(
                    done=done, total=len(names), size=human_size(total_bytes)
                )
            )
    return files
