"""The archive's format, and checking an archive against its manifest before anything is written.

The archive is a ``.tar.gz`` holding, in this order:

- ``data/NNN-<app>.<model>-PPPP.jsonl``: every row of every table, in Django's JSON Lines
  serialisation, a few megabytes per member so that neither side ever holds a whole table;
- ``media/<name>``: every file of the default storage (uploads, submitted forms, certificates),
  read through the storage API, so S3-compatible storage works as the file system does;
- ``manifest.json``: each member with its size and SHA-256, the row count of every table, the
  audit chain's head, the applied migrations, the portal version and the creation time;
- ``manifest.sha256``: the SHA-256 of ``manifest.json``.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tarfile
import zlib
from collections.abc import Callable, Iterator
from importlib import metadata
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.core import serializers
from django.db import connections, models
from django.db.migrations.recorder import MigrationRecorder
from django.utils.translation import gettext as _

FORMAT = "award-portal-backup"


FORMAT_VERSION = 1


MANIFEST = "manifest.json"


MANIFEST_HASH = "manifest.sha256"


DATA_DIR = "data/"


MEDIA_DIR = "media/"

# Logins are not data: a restored database starts without sessions (an old cookie could otherwise
# name a different person after a restore into another installation).


EXCLUDED_MODELS = frozenset({"sessions.session"})
# What `manage.py migrate` itself writes: content types and permissions (post_migrate), the role
# groups (accounts' post_migrate), the GB/T 19580-2012 criteria set (programmes' data
# migration) and the GB/T 2260 divisions (regions' data migration). A database holding only
# these rows is empty; a restore replaces them.


SEEDED_BY_MIGRATE = frozenset(
    {
        "contenttypes.contenttype",
        "auth.permission",
        "auth.group",
        "auth.group_permissions",
        "programmes.criteriaset",
        "programmes.criteriacategory",
        "programmes.criteriaitem",
        "regions.division",
    }
)


MEMBER_BYTES = 4 * 1024 * 1024  # one data member holds about this much JSON


QUERY_CHUNK = 1000


MEDIA_PROGRESS_EVERY = 200


SPOOL_BYTES = 8 * 1024 * 1024


COPY_BYTES = 1024 * 1024


MAX_MANIFEST_BYTES = 512 * 1024 * 1024

# Exit codes of the commands (docs/backup.md).


EXIT_FAILED = 1


EXIT_ARCHIVE_REFUSED = 3


EXIT_TARGET_NOT_EMPTY = 4


EXIT_SCHEMA_MISMATCH = 5


EXIT_RESTORE_FAILED = 6


Progress = Callable[[str], None]


def quiet(message: str) -> None:
    pass


class BackupError(Exception):
    """A backup or restore that did not happen; ``exit_code`` is the command's exit status."""

    exit_code = EXIT_FAILED


class ArchiveRefused(BackupError):
    """The archive is damaged, incomplete or altered; nothing was written."""

    exit_code = EXIT_ARCHIVE_REFUSED


class TargetNotEmpty(BackupError):
    """The database or the media storage already holds data and ``force`` was not given."""

    exit_code = EXIT_TARGET_NOT_EMPTY


class SchemaMismatch(BackupError):
    """The database's applied migrations are not the archive's."""

    exit_code = EXIT_SCHEMA_MISMATCH


class RestoreFailed(BackupError):
    """Loading or verifying failed; the database was rolled back."""

    exit_code = EXIT_RESTORE_FAILED


def backed_up_models() -> list[type[models.Model]]:
    """Every table the archive holds, in dumpdata's dependency order: each concrete model, then
    its many-to-many tables (``accounts.user_groups``) as rows of their own, so that their keys
    are kept as well."""
    by_app: dict = {}
    for model in apps.get_models():
        opts = model._meta
        if opts.proxy or not opts.managed or opts.label_lower in EXCLUDED_MODELS:
            continue
        by_app.setdefault(opts.app_config, []).append(model)
    ordered = []
    for model in serializers.sort_dependencies(by_app.items(), allow_cycles=True):
        ordered.append(model)
        ordered.extend(
            f.remote_field.through
            for f in model._meta.local_many_to_many
            if f.remote_field.through._meta.auto_created
        )
    return ordered


def counted_models() -> dict[str, type[models.Model]]:
    """Label → model of every table the archive holds and the manifest counts."""
    return {model._meta.label_lower: model for model in backed_up_models()}


def count_rows(using: str) -> dict[str, int]:
    return {
        label: model._base_manager.using(using).count() for label, model in counted_models().items()
    }


def applied_migrations(using: str) -> list[list[str]]:
    recorder = MigrationRecorder(connections[using])
    if not recorder.has_table():
        return []
    return sorted([app, name] for app, name in recorder.applied_migrations())


def media_names(storage, path: str = "") -> Iterator[str]:
    """Every file name in ``storage`` under ``path``, walking its folders (any storage backend
    that implements ``listdir``: the file system, S3)."""
    try:
        dirs, files = storage.listdir(path)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{path}/{name}" if path else name
    for name in sorted(dirs):
        yield from media_names(storage, f"{path}/{name}" if path else name)


def referenced_files(using: str) -> Iterator[tuple[str, object, str, str]]:
    """(model label, pk, field name, file name) of every non-empty file field value."""
    for model in backed_up_models():
        file_fields = [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]
        for f in file_fields:
            rows = (
                model._base_manager.using(using)
                .exclude(**{f.attname: ""})
                .exclude(**{f"{f.attname}__isnull": True})
                .values_list("pk", f.attname)
                .order_by("pk")
            )
            for pk, name in rows.iterator(chunk_size=QUERY_CHUNK):
                yield model._meta.label_lower, pk, f.name, name


def portal_version() -> str:
    try:
        return metadata.version("award-portal")
    except metadata.PackageNotFoundError:
        return "unknown"


class HashingWriter:
    """A binary sink that hashes and counts everything written to the file under it."""

    def __init__(self, raw):
        self.raw = raw
        self.sha256 = hashlib.sha256()
        self.size = 0

    def write(self, data) -> int:
        self.sha256.update(data)
        self.size += len(data)
        return self.raw.write(data)

    def flush(self) -> None:
        self.raw.flush()


class HashingReader(io.RawIOBase):
    """Reads a file object and hashes every byte read."""

    def __init__(self, raw):
        self.raw = raw
        self.sha256 = hashlib.sha256()
        self.size = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self.raw.read(len(buffer))
        n = len(data)
        buffer[:n] = data
        self.sha256.update(data)
        self.size += n
        return n


def hash_stream(stream) -> tuple[int, str]:
    reader = HashingReader(stream)
    while reader.read(COPY_BYTES):
        pass
    return reader.size, reader.sha256.hexdigest()


def human_size(n: int) -> str:
    size = float(n)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{n} B"  # pragma: no cover


def _check_member(member: tarfile.TarInfo) -> str:
    name = member.name
    path = PurePosixPath(name)
    safe = (
        member.isreg()
        and not path.is_absolute()
        and ".." not in path.parts
        and "\\" not in name
        and "\x00" not in name
        and (name in (MANIFEST, MANIFEST_HASH) or name.startswith((DATA_DIR, MEDIA_DIR)))
    )
    if not safe:
        raise ArchiveRefused(_("备份中有不应有的条目 {name}，已拒绝。").format(name=name))
    return name


def open_archive(path: Path) -> tarfile.TarFile:
    return tarfile.open(path, mode="r|gz")


DAMAGED = (tarfile.TarError, EOFError, zlib.error, OSError)


def _well_formed(manifest: dict) -> bool:
    """Every key a restore reads is there, with the right type (a forged manifest whose hash
    was recomputed must still not crash the restore)."""
    files = manifest.get("files")
    audit = manifest.get("audit")
    return (
        isinstance(files, list)
        and all(
            isinstance(f, dict)
            and isinstance(f.get("name"), str)
            and isinstance(f.get("size"), int)
            and isinstance(f.get("sha256"), str)
            and (
                f.get("kind") == "media"
                or (
                    f.get("kind") == "data"
                    and isinstance(f.get("model"), str)
                    and isinstance(f.get("rows"), int)
                )
            )
            for f in files
        )
        and isinstance(manifest.get("rows"), dict)
        and all(isinstance(n, int) for n in manifest["rows"].values())
        and isinstance(manifest.get("migrations"), list)
        and all(isinstance(m, list) and len(m) == 2 for m in manifest["migrations"])
        and isinstance(manifest.get("missing_media"), list)
        and all(
            isinstance(m, dict) and {"model", "pk", "field", "file"} <= m.keys()
            for m in manifest["missing_media"]
        )
        and isinstance(audit, dict)
        and isinstance(audit.get("head_seq"), int)
        and isinstance(audit.get("head_hash"), str)
        and isinstance(audit.get("chain_valid"), bool)
        and "broken_at" in audit
    )


def read_manifest(
    path: str | os.PathLike, *, expected_sha256: str | None = None
) -> tuple[dict, str]:
    """Check every member of the archive against its manifest and return (manifest, its
    SHA-256). Writes nothing. Raises ``ArchiveRefused`` naming the first member that is missing,
    extra, of the wrong size or of the wrong hash, and when the archive is damaged."""
    path = Path(path)
    if not path.is_file():
        raise ArchiveRefused(_("找不到备份文件 {path}。").format(path=path))
    seen: dict[str, tuple[int, str]] = {}
    order: list[str] = []
    manifest_bytes = b""
    manifest_hash_text = ""
    try:
        with open_archive(path) as tar:
            for member in tar:
                name = _check_member(member)
                if name in seen or (name == MANIFEST and manifest_bytes):
                    raise ArchiveRefused(_("备份中 {name} 出现了两次。").format(name=name))
                stream = tar.extractfile(member)
                if name == MANIFEST:
                    if member.size > MAX_MANIFEST_BYTES:
                        raise ArchiveRefused(_("清单 manifest.json 大得不正常。"))
                    manifest_bytes = stream.read()
                elif name == MANIFEST_HASH:
                    manifest_hash_text = stream.read(1024).decode("ascii", "replace").strip()
                else:
                    seen[name] = hash_stream(stream)
                    order.append(name)
    except ArchiveRefused:
        raise
    except DAMAGED as exc:
        raise ArchiveRefused(
            _("备份文件已损坏或不完整（{error}），已拒绝。").format(error=exc)
        ) from exc
    if not manifest_bytes:
        raise ArchiveRefused(_("备份中没有清单 manifest.json，已拒绝。"))
    manifest_sha256 = hashlib.sha256(manifest_bytes).hexdigest()
    if manifest_hash_text != manifest_sha256:
        raise ArchiveRefused(
            _("清单 manifest.json 与 manifest.sha256 记录的哈希不符（清单被修改），已拒绝。")
        )
    if expected_sha256 and expected_sha256.strip().lower() != manifest_sha256:
        raise ArchiveRefused(
            _("清单 manifest.json 的 SHA-256 为 {actual}，不是预期的 {expected}，已拒绝。").format(
                actual=manifest_sha256, expected=expected_sha256
            )
        )
    try:
        manifest = json.loads(manifest_bytes)
    except ValueError as exc:
        raise ArchiveRefused(_("清单 manifest.json 不是有效的 JSON，已拒绝。")) from exc
    if not isinstance(manifest, dict) or (
        manifest.get("format"),
        manifest.get("format_version"),
    ) != (
        FORMAT,
        FORMAT_VERSION,
    ):
        raise ArchiveRefused(_("这不是本系统可识别的备份格式，已拒绝。"))
    if not _well_formed(manifest):
        raise ArchiveRefused(_("清单 manifest.json 的内容不完整，已拒绝。"))
    listed = [f["name"] for f in manifest["files"]]
    for entry in manifest["files"]:
        name = entry["name"]
        if name not in seen:
            raise ArchiveRefused(_("清单列出的文件 {name} 不在备份中，已拒绝。").format(name=name))
        size, sha256 = seen[name]
        if size != entry["size"]:
            raise ArchiveRefused(
                _("文件 {name} 的大小为 {size} 字节，清单记录为 {expected} 字节，已拒绝。").format(
                    name=name, size=size, expected=entry["size"]
                )
            )
        if sha256 != entry["sha256"]:
            raise ArchiveRefused(
                _("文件 {name} 的 SHA-256 与清单不符（文件被修改或损坏），已拒绝。").format(
                    name=name
                )
            )
    extra = [name for name in order if name not in set(listed)]
    if extra:
        raise ArchiveRefused(_("备份中有清单未列出的文件 {name}，已拒绝。").format(name=extra[0]))
    if order != listed:
        raise ArchiveRefused(_("备份中文件的顺序与清单不符，已拒绝。"))
    return manifest, manifest_sha256
