"""Restoring an archive: verify every hash first, refuse a non-empty target or another schema,
then load everything in one transaction and verify before committing."""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.utils.translation import gettext as _

from ..audit import verify_chain
from ..models import GENESIS_HASH, AuditChainHead
from .archive import (
    COPY_BYTES,
    DAMAGED,
    MANIFEST,
    MANIFEST_HASH,
    MEDIA_DIR,
    MEDIA_PROGRESS_EVERY,
    SEEDED_BY_MIGRATE,
    SPOOL_BYTES,
    BackupError,
    HashingReader,
    Progress,
    RestoreFailed,
    SchemaMismatch,
    TargetNotEmpty,
    applied_migrations,
    count_rows,
    counted_models,
    hash_stream,
    human_size,
    media_names,
    open_archive,
    quiet,
    read_manifest,
    referenced_files,
)


@dataclass(frozen=True)
class RestoreResult:
    manifest_sha256: str
    rows: int
    media_files: int
    media_bytes: int
    audit_head: tuple[int, str]
    replaced: dict[str, int] = field(default_factory=dict)
    left_in_storage: int = 0


def _check_schema(manifest: dict, using: str) -> None:
    applied = applied_migrations(using)
    if not applied:
        raise SchemaMismatch(_("目标数据库还没有建表：请先运行 python manage.py migrate，再恢复。"))
    archived = sorted(list(m) for m in manifest["migrations"])
    if applied == archived:
        return
    missing = [f"{a}.{n}" for a, n in archived if [a, n] not in applied]
    extra = [f"{a}.{n}" for a, n in applied if [a, n] not in archived]
    raise SchemaMismatch(
        _(
            "目标数据库的迁移状态与备份不同（缺少：{missing}；多出：{extra}）。请使用制作备份时的"
            "系统版本（{version}）运行 migrate 后恢复，再升级。"
        ).format(
            missing="、".join(missing[:10]) or _("无"),
            extra="、".join(extra[:10]) or _("无"),
            version=manifest.get("portal_version", "?"),
        )
    )


def _existing_data(using: str) -> dict[str, int]:
    return {
        label: n for label, n in count_rows(using).items() if n and label not in SEEDED_BY_MIGRATE
    }


def _first_media_files(limit: int = 3) -> list[str]:
    found = []
    for name in media_names(default_storage):
        found.append(name)
        if len(found) >= limit:
            break
    return found


def _check_target(*, force: bool, using: str, progress: Progress) -> dict[str, int]:
    existing = _existing_data(using)
    media = _first_media_files()
    if not existing and not media:
        return {}
    largest = sorted(existing.items(), key=lambda item: (-item[1], item[0]))
    described = "，".join(
        _("{model} {rows} 行").format(model=label, rows=n) for label, n in largest[:5]
    )
    if len(largest) > 5:
        described += _(" 等 {n} 个表").format(n=len(largest))
    if media:
        described = "，".join(
            filter(None, [described, _("媒体存储中已有文件（如 {name}）").format(name=media[0])])
        )
    if not force:
        raise TargetNotEmpty(
            _(
                "目标不是空的：{described}。恢复会用备份替换数据库中的全部数据（包括审计记录）"
                "和同名的媒体文件。确需替换时，请加 --force 重新运行。"
            ).format(described=described)
        )
    progress(_("--force：将用备份替换现有数据：{described}。").format(described=described))
    return existing


def _clear_database(using: str) -> None:
    connection = connections[using]
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    # One TRUNCATE on PostgreSQL: row triggers (the audit trail's append-only guard) do not
    # fire on it, and it empties tables that refer to each other in one statement.
    statements = connection.ops.sql_flush(
        no_style(), tables, reset_sequences=False, allow_cascade=False
    )
    if connection.vendor == "postgresql":
        # TRUNCATE refuses tables with deferred foreign-key checks still pending in this
        # transaction (there are some only when the restore runs inside a caller's transaction).
        connection.check_constraints()
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def _reset_sequences(using: str) -> None:
    connection = connections[using]
    statements = connection.ops.sequence_reset_sql(no_style(), list(counted_models().values()))
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


class _Loader:
    """Pass 2: reads the archive again, loads the rows, writes the media files, re-checking each
    member's hash as it goes (the file could have changed since it was verified)."""

    def __init__(self, manifest: dict, *, using: str, progress: Progress):
        self.entries = {f["name"]: f for f in manifest["files"]}
        self.using = using
        self.progress = progress
        self.written: list[str] = []
        self.rows = 0
        self.media_files = 0
        self.media_bytes = 0
        self.total_media = sum(1 for f in manifest["files"] if f["kind"] == "media")
        self.constraints_checked = False

    def run(self, path: Path) -> None:
        with open_archive(path) as tar:
            for member in tar:
                name = member.name
                if name in (MANIFEST, MANIFEST_HASH):
                    continue
                entry = self.entries.get(name)
                if entry is None:
                    raise RestoreFailed(_("备份中有清单未列出的文件 {name}。").format(name=name))
                reader = HashingReader(tar.extractfile(member))
                if entry["kind"] == "data":
                    self._load_rows(entry, reader)
                else:
                    self._write_media(entry, reader)

    def _verify(self, entry: dict, reader: HashingReader) -> None:
        if (reader.size, reader.sha256.hexdigest()) != (entry["size"], entry["sha256"]):
            raise RestoreFailed(_("文件 {name} 在校验之后被改动了。").format(name=entry["name"]))

    def _load_rows(self, entry: dict, reader: HashingReader) -> None:
        text = io.TextIOWrapper(io.BufferedReader(reader, COPY_BYTES), "utf-8", newline="\n")
        count = 0
        deferred = []
        try:
            for obj in serializers.deserialize(
                "jsonl", text, using=self.using, handle_forward_references=True
            ):
                if obj.object._meta.label_lower != entry["model"]:
                    raise RestoreFailed(
                        _("文件 {name} 中出现了 {model} 的数据。").format(
                            name=entry["name"], model=obj.object._meta.label_lower
                        )
                    )
                obj.save(using=self.using, save_m2m=False, force_insert=True)
                if obj.deferred_fields:
                    deferred.append(obj)
                count += 1
            for obj in deferred:
                obj.save_deferred_fields(using=self.using)
        except (DeserializationError, DatabaseError, ValueError) as exc:
            raise RestoreFailed(
                _("载入 {name} 失败：{error}").format(name=entry["name"], error=exc)
            ) from exc
        self._verify(entry, reader)
        if count != entry["rows"]:
            raise RestoreFailed(
                _("{name} 含 {count} 行，清单记录为 {rows} 行。").format(
                    name=entry["name"], count=count, rows=entry["rows"]
                )
            )
        self.rows += count
        if count:
            self.progress(
                _("数据库：{model} 载入 {rows} 行").format(model=entry["model"], rows=count)
            )

    def _write_media(self, entry: dict, reader: HashingReader) -> None:
        if not self.constraints_checked:
            # Deferred foreign keys are checked at commit; check them now, before any file is
            # written for rows that could not be committed.
            try:
                connections[self.using].check_constraints()
            except DatabaseError as exc:
                raise RestoreFailed(
                    _("备份中的数据违反外键约束：{error}").format(error=exc)
                ) from exc
            self.constraints_checked = True
        name = entry["name"][len(MEDIA_DIR) :]
        with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as spool:
            while chunk := reader.read(COPY_BYTES):
                spool.write(chunk)
            self._verify(entry, reader)
            spool.seek(0)
            if default_storage.exists(name):
                default_storage.delete(name)  # only with --force: the storage was empty otherwise
            else:
                self.written.append(name)
            saved = default_storage.save(name, File(spool, name=name))
        if saved != name:
            self.written.append(saved)
            raise RestoreFailed(
                _("媒体文件 {name} 被存储改名为 {saved}。").format(name=name, saved=saved)
            )
        self.media_files += 1
        self.media_bytes += entry["size"]
        if self.media_files % MEDIA_PROGRESS_EVERY == 0 or self.media_files == self.total_media:
            self.progress(
                _("媒体文件：{done}/{total}，{size}").format(
                    done=self.media_files,
                    total=self.total_media,
                    size=human_size(self.media_bytes),
                )
            )

    def remove_written(self) -> None:
        for name in self.written:
            with contextlib.suppress(OSError):
                default_storage.delete(name)


def _verify_restored(manifest: dict, *, using: str, progress: Progress) -> tuple[int, str]:
    progress(_("校验：行数、媒体文件哈希、审计链……"))
    counts = count_rows(using)
    if set(counts) != set(manifest["rows"]):
        raise RestoreFailed(_("数据库中的数据表与备份清单不一致。"))
    for label, expected in sorted(manifest["rows"].items()):
        if counts[label] != expected:
            raise RestoreFailed(
                _("{model} 恢复后有 {count} 行，清单记录为 {expected} 行。").format(
                    model=label, count=counts[label], expected=expected
                )
            )
    media = {}
    for entry in manifest["files"]:
        if entry["kind"] != "media":
            continue
        name = entry["name"][len(MEDIA_DIR) :]
        with default_storage.open(name, "rb") as stream:
            media[name] = hash_stream(stream)
        if media[name] != (entry["size"], entry["sha256"]):
            raise RestoreFailed(_("恢复后的媒体文件 {name} 与清单不符。").format(name=name))
    known_missing = {(m["model"], str(m["pk"]), m["field"]) for m in manifest["missing_media"]}
    for label, pk, field_name, file in referenced_files(using):
        if file not in media and (label, str(pk), field_name) not in known_missing:
            raise RestoreFailed(
                _("{model} #{pk} 引用的文件 {file} 没有恢复。").format(
                    model=label, pk=pk, file=file
                )
            )
    ContentType.objects.clear_cache()
    chain = verify_chain()
    audit = manifest["audit"]
    head = AuditChainHead.objects.using(using).filter(pk=1).first()
    restored_head = (head.last_seq, head.last_hash) if head else (0, GENESIS_HASH)
    if restored_head != (audit["head_seq"], audit["head_hash"]):
        raise RestoreFailed(
            _("恢复后的审计链头为第 {seq} 条，清单记录为第 {expected} 条。").format(
                seq=restored_head[0], expected=audit["head_seq"]
            )
        )
    if audit["chain_valid"] and not chain.ok:
        raise RestoreFailed(
            _("恢复后的审计链在第 {seq} 条断开：{problem}").format(
                seq=chain.broken_at, problem=chain.problem
            )
        )
    if not audit["chain_valid"] and chain.broken_at != audit["broken_at"]:
        raise RestoreFailed(_("恢复后的审计链与备份时的状态不同。"))
    return restored_head


def restore_backup(
    *,
    archive: str | os.PathLike,
    force: bool = False,
    expected_manifest_sha256: str | None = None,
    progress: Progress = quiet,
    using: str = DEFAULT_DB_ALIAS,
) -> RestoreResult:
    """Restore an archive made by :func:`create_backup` into this installation.

    Refuses, writing nothing, when the archive is damaged or altered (``ArchiveRefused``), when
    the database's migrations differ (``SchemaMismatch``), or when the database or the media
    storage already holds data and ``force`` is false (``TargetNotEmpty``). Otherwise replaces
    every row in one transaction, writes the media files, resets sequences and verifies row
    counts, file hashes and the audit chain before committing; on any failure the database is
    rolled back, the files it wrote are removed and ``RestoreFailed`` is raised.
    Stop the portal (web, worker, beat) while restoring.
    """
    path = Path(archive)
    progress(_("校验备份 {path} 中每个文件的 SHA-256……").format(path=path))
    manifest, manifest_sha256 = read_manifest(path, expected_sha256=expected_manifest_sha256)
    progress(
        _("备份完好：制作于 {created}，系统版本 {version}，清单 SHA-256 {sha}").format(
            created=manifest["created_at"], version=manifest["portal_version"], sha=manifest_sha256
        )
    )
    _check_schema(manifest, using)
    replaced = _check_target(force=force, using=using, progress=progress)
    loader = _Loader(manifest, using=using, progress=progress)
    try:
        with transaction.atomic(using=using):
            _clear_database(using)
            loader.run(path)
            _reset_sequences(using)
            head = _verify_restored(manifest, using=using, progress=progress)
    except BaseException as exc:
        loader.remove_written()
        if isinstance(exc, BackupError):
            raise
        if isinstance(exc, (*DAMAGED, DatabaseError)):
            raise RestoreFailed(_("恢复失败，数据库已回滚：{error}").format(error=exc)) from exc
        raise
    finally:
        ContentType.objects.clear_cache()
    left = 0
    if replaced:
        restored = {f["name"][len(MEDIA_DIR) :] for f in manifest["files"] if f["kind"] == "media"}
        left = sum(1 for name in media_names(default_storage) if name not in restored)
    return RestoreResult(
        manifest_sha256=manifest_sha256,
        rows=loader.rows,
        media_files=loader.media_files,
        media_bytes=loader.media_bytes,
        audit_head=head,
        replaced=replaced,
        left_in_storage=left,
    )
