"""`manage.py backup` / `restore` (issue 8): the database and every media file in one archive
with a SHA-256 manifest, restored into an empty database with every application, file and audit
entry back and the hash chain valid; a damaged or altered archive, a non-empty target and another
schema are refused before anything is written."""

import hashlib
import io
import json
import os
import stat
import subprocess
import sys
import tarfile
from importlib import metadata
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from pypdf import PdfReader

from applications.models import Application, ApplicationVersion, Document
from awards.models import Certificate
from common import audit
from common.audit import verify_chain
from common.backup import (
    EXIT_ARCHIVE_REFUSED,
    EXIT_FAILED,
    EXIT_RESTORE_FAILED,
    EXIT_SCHEMA_MISMATCH,
    EXIT_TARGET_NOT_EMPTY,
    MANIFEST,
    MEDIA_DIR,
    create_backup,
    read_manifest,
)
from common.models import AuditChainHead, AuditEntry
from review.models import ItemScore
from tests.common.conftest import (
    database_rows,
    media_files,
    rewrite_archive,
    wipe_installation,
)

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]


def run(*args, **kwargs) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, **kwargs)
    return out.getvalue()


def refused(*args, **kwargs) -> CommandError:
    with pytest.raises(CommandError) as excinfo:
        call_command(*args, stdout=io.StringIO(), **kwargs)
    return excinfo.value


def audit_trail() -> list[tuple]:
    return list(AuditEntry.objects.order_by("seq").values_list("seq", "action", "hash"))


def test_restore_into_an_empty_database_brings_back_every_application_file_and_audit_entry(
    complete_installation, tmp_path
):
    """issue 8: back up, empty the database and the media, restore; everything is back."""
    rows, files, trail = database_rows(), media_files(), audit_trail()
    applications = list(Application.objects.order_by("pk").values_list("pk", "status"))
    head = AuditChainHead.objects.values_list("last_seq", "last_hash").get()
    # The data set is complete: evidence, a submitted form's PDF, scores, certificates, audit.
    # Four uploads, and the evidence and dossier the demo's nomination carries up.
    assert Document.objects.count() == 6
    assert ApplicationVersion.objects.exclude(pdf="").count() == 4  # the demo's three too
    assert ItemScore.objects.count() > 0
    assert Certificate.objects.exclude(pdf="").count() == 2
    assert len(trail) > 100
    assert Session.objects.count() == 1

    output = run("backup", output=str(tmp_path))
    (archive,) = tmp_path.glob("*.tar.gz")
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    assert "权限为 600" in output
    assert f"第 {head[0]} 条" in output

    wipe_installation()
    assert Application.objects.count() == AuditEntry.objects.count() == 0
    assert media_files() == {}

    output = run("restore", str(archive))
    assert "恢复完成" in output
    assert "审计链完好" in output
    assert list(Application.objects.order_by("pk").values_list("pk", "status")) == applications
    assert audit_trail() == trail
    assert media_files() == files
    assert database_rows() == rows
    report = verify_chain()
    assert (report.ok, report.checked) == (True, head[0])
    assert AuditChainHead.objects.values_list("last_seq", "last_hash").get() == head
    assert Session.objects.count() == 0  # logins are not restored
    # The restored PDFs are the PDFs, and the rows still point at them.
    for certificate in Certificate.objects.all():
        with certificate.pdf.open("rb") as f:
            assert hashlib.sha256(f.read()).hexdigest() == certificate.sha256
        assert len(PdfReader(certificate.pdf.path).pages) == 1
    for version in ApplicationVersion.objects.exclude(pdf=""):
        assert len(PdfReader(version.pdf.path).pages) >= 1
    for document in Document.objects.all():
        with document.file.open("rb") as f:
            assert hashlib.sha256(f.read()).hexdigest() == document.sha256
    # The portal goes on: new rows get new keys, the chain grows from the restored head.
    call_command("verify_audit", stdout=io.StringIO())


@pytest.mark.integration
def test_backup_moves_to_a_fresh_sqlite_installation_and_back(complete_installation, tmp_path):
    """issue 8: the archive is portable. From the test database (PostgreSQL in CI) into a new
    SQLite installation made by `migrate`, which counts as empty, and back again."""
    rows, files = database_rows(), media_files()
    run("backup", output=str(tmp_path / "first.tar.gz"))
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("REDIS_URL", "DATABASE_URL", "MEDIA_ROOT")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="award_portal.settings",
        SECRET_KEY="backup-test-secret",
        DATABASE_URL=f"sqlite:///{tmp_path / 'other.sqlite3'}",
        MEDIA_ROOT=str(tmp_path / "other-media"),
    )

    def manage(*args):
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )

    assert manage("migrate", "-v0").returncode == 0
    restored = manage("restore", str(tmp_path / "first.tar.gz"))
    assert restored.returncode == 0, restored.stderr
    assert "恢复完成" in restored.stdout
    again = manage("restore", str(tmp_path / "first.tar.gz"))
    assert again.returncode == EXIT_TARGET_NOT_EMPTY
    assert "--force" in again.stderr
    assert manage("verify_audit").returncode == 0
    backed_up = manage("backup", "--output", str(tmp_path / "second.tar.gz"))
    assert backed_up.returncode == 0, backed_up.stderr

    wipe_installation()
    run("restore", str(tmp_path / "second.tar.gz"))
    assert database_rows() == rows
    assert media_files() == files
    assert verify_chain().ok


def test_manifest_lists_every_file_row_count_head_and_migration(small_installation, tmp_path):
    """issue 8: each file with its size and SHA-256, the rows per model, the chain head, the
    migration state, the portal version and the time; the manifest itself is hashed."""
    result = create_backup(output=tmp_path)
    manifest, manifest_sha256 = read_manifest(result.path)
    assert manifest_sha256 == result.manifest_sha256
    assert stat.S_IMODE(result.path.stat().st_mode) == 0o600
    sidecar = result.path.with_name(result.path.name + ".sha256").read_text()
    assert (
        sidecar == f"{hashlib.sha256(result.path.read_bytes()).hexdigest()}  {result.path.name}\n"
    )
    media = {f["name"]: (f["size"], f["sha256"]) for f in manifest["files"] if f["kind"] == "media"}
    assert media == {
        MEDIA_DIR + name: (len(data), hashlib.sha256(data).hexdigest())
        for name, data in media_files().items()
    }
    counts = {label: len(table) for label, table in database_rows().items()}
    assert manifest["rows"] == counts
    assert manifest["rows"]["common.auditentry"] == 3
    assert sum(f["rows"] for f in manifest["files"] if f.get("model") == "accounts.user") == 1
    assert (manifest["audit"]["head_seq"], manifest["audit"]["head_hash"]) == (
        3,
        AuditChainHead.objects.get().last_hash,
    )
    assert manifest["audit"]["chain_valid"] is True
    assert manifest["migrations"] == sorted(
        [app, name] for app, name in MigrationRecorder(connection).applied_migrations()
    )
    assert ["common", "0002_audit_append_only_triggers"] in manifest["migrations"]
    assert manifest["portal_version"] == metadata.version("award-portal")
    assert manifest["database_vendor"] == connection.vendor
    assert manifest["created_at"][:4].isdigit()
    assert manifest["missing_media"] == []


def test_backup_never_overwrites_and_is_not_written_into_the_media_folder(
    small_installation, tmp_path
):
    result = create_backup(output=tmp_path / "b.tar.gz")
    error = refused("backup", output=str(result.path))
    assert error.returncode == EXIT_FAILED
    assert "已存在" in str(error)
    error = refused("backup", output=str(settings.MEDIA_ROOT))
    assert "媒体目录" in str(error)
    assert [p.name for p in Path(settings.MEDIA_ROOT).rglob("*.gz*")] == []


@pytest.fixture
def backup_then_change(small_installation, tmp_path):
    """An archive, then a change made after it: a refused restore --force leaves the change."""
    result = create_backup(output=tmp_path / "backup.tar.gz")
    audit.record(action="test.after_backup", reason="备份之后")
    default_storage.save("evidence/2/after", io.BytesIO(b"after the backup"))
    return result.path, database_rows(), media_files()


def _assert_nothing_written(rows, files):
    assert database_rows() == rows
    assert media_files() == files


def test_restore_refuses_an_archive_with_one_byte_of_one_file_changed(backup_then_change, tmp_path):
    """issue 8: a tampered archive is refused, with the file named, before anything is written."""
    archive, rows, files = backup_then_change
    tampered = tmp_path / "tampered.tar.gz"

    def flip(name, data):
        if name == "media/certificates/TEST-2026-001.pdf":
            return data[:10] + bytes([data[10] ^ 1]) + data[11:]
        return data

    rewrite_archive(archive, tampered, flip)
    error = refused("restore", str(tampered), force=True)
    assert error.returncode == EXIT_ARCHIVE_REFUSED
    assert "media/certificates/TEST-2026-001.pdf" in str(error)
    assert "SHA-256 与清单不符" in str(error)
    _assert_nothing_written(rows, files)


def test_restore_refuses_an_archive_with_a_changed_audit_row(backup_then_change, tmp_path):
    archive, rows, files = backup_then_change
    tampered = tmp_path / "tampered.tar.gz"

    def rewrite_reason(name, data):
        return data.replace("理由1".encode(), "理由9".encode()) if "auditentry" in name else data

    rewrite_archive(archive, tampered, rewrite_reason)
    error = refused("restore", str(tampered), force=True)
    assert error.returncode == EXIT_ARCHIVE_REFUSED
    assert "common.auditentry" in str(error)
    _assert_nothing_written(rows, files)


def test_restore_refuses_a_changed_manifest(backup_then_change, tmp_path):
    archive, rows, files = backup_then_change
    tampered = tmp_path / "tampered.tar.gz"

    def raise_count(name, data):
        if name != MANIFEST:
            return data
        manifest = json.loads(data)
        manifest["rows"]["common.auditentry"] = 2
        return json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()

    rewrite_archive(archive, tampered, raise_count)
    error = refused("restore", str(tampered), force=True)
    assert error.returncode == EXIT_ARCHIVE_REFUSED
    assert "manifest.json" in str(error)
    _assert_nothing_written(rows, files)


def test_restore_refuses_a_consistently_rehashed_archive_given_the_recorded_hash(
    backup_then_change, tmp_path
):
    """A forger who rewrites the manifest and its hash is caught by the manifest SHA-256 the
    backup printed, when the operator passes it."""
    archive, rows, files = backup_then_change
    _, recorded = read_manifest(archive)
    forged = tmp_path / "forged.tar.gz"
    rewrite_archive(
        archive,
        forged,
        lambda name, data: data + b"%forged\n" if name.endswith(".pdf") else data,
        rehash=True,
    )
    error = refused("restore", str(forged), force=True, manifest_sha256=recorded)
    assert error.returncode == EXIT_ARCHIVE_REFUSED
    assert recorded in str(error)
    _assert_nothing_written(rows, files)


def test_restore_refuses_a_truncated_archive(backup_then_change, tmp_path):
    archive, rows, files = backup_then_change
    truncated = tmp_path / "truncated.tar.gz"
    data = archive.read_bytes()
    truncated.write_bytes(data[: len(data) // 2])
    error = refused("restore", str(truncated), force=True)
    assert error.returncode == EXIT_ARCHIVE_REFUSED
    assert "已损坏或不完整" in str(error)
    _assert_nothing_written(rows, files)


def test_restore_refuses_a_database_that_is_not_empty_without_force(backup_then_change):
    archive, rows, files = backup_then_change
    error = refused("restore", str(archive))
    assert error.returncode == EXIT_TARGET_NOT_EMPTY
    assert "--force" in str(error)
    assert "common.auditentry 4 行" in str(error)
    assert "媒体存储中已有文件" in str(error)
    _assert_nothing_written(rows, files)


def test_restore_with_force_replaces_the_data_and_keeps_unknown_files(backup_then_change):
    archive, _rows, files = backup_then_change
    output = run("restore", str(archive), force=True)
    assert "--force：将用备份替换现有数据" in output
    assert "1 个不属于该备份的文件" in output
    assert list(AuditEntry.objects.values_list("action", flat=True)) == ["test.step"] * 3
    assert verify_chain().ok
    assert media_files() == files  # the file made after the backup is left where it was


def test_restore_refuses_another_migration_state(backup_then_change):
    archive, rows, files = backup_then_change
    MigrationRecorder(connection).record_applied("common", "9999_future")
    error = refused("restore", str(archive), force=True)
    assert error.returncode == EXIT_SCHEMA_MISMATCH
    assert "common.9999_future" in str(error)
    MigrationRecorder(connection).record_unapplied("common", "9999_future")
    _assert_nothing_written(rows, files)


@pytest.mark.django_db(transaction=True)
def test_restore_that_fails_verification_rolls_back_and_removes_its_files(
    small_installation, tmp_path
):
    """A forged archive that passes the hash checks (no recorded hash given) is loaded, its
    audit chain found broken, and the whole restore undone: no row, no file."""
    archive = create_backup(output=tmp_path / "backup.tar.gz").path
    forged = tmp_path / "forged.tar.gz"
    rewrite_archive(
        archive,
        forged,
        lambda name, data: data.replace("理由1".encode(), "理由9".encode()),
        rehash=True,
    )
    wipe_installation()
    empty = database_rows()
    error = refused("restore", str(forged))
    assert error.returncode == EXIT_RESTORE_FAILED
    assert "审计链在第 2 条断开" in str(error)
    assert database_rows() == empty
    assert media_files() == {}


def test_restore_refuses_a_rehashed_manifest_that_lacks_what_a_restore_reads(
    backup_then_change, tmp_path
):
    archive, rows, files = backup_then_change
    forged = tmp_path / "forged.tar.gz"

    def drop_audit(name, data):
        if name != MANIFEST:
            return data
        manifest = json.loads(data)
        del manifest["audit"]
        return json.dumps(manifest).encode()

    rewrite_archive(archive, forged, drop_audit, rehash=True)
    error = refused("restore", str(forged), force=True)
    assert error.returncode == EXIT_ARCHIVE_REFUSED
    assert "内容不完整" in str(error)
    _assert_nothing_written(rows, files)


@pytest.mark.parametrize("member", ["media/../../outside.txt", "/etc/cron.d/x", "other.txt"])
def test_restore_refuses_a_member_outside_the_archive_layout(backup_then_change, tmp_path, member):
    archive, rows, files = backup_then_change
    crafted = tmp_path / "crafted.tar.gz"
    with tarfile.open(archive, "r:gz") as src, tarfile.open(crafted, "w:gz") as dst:
        for info in src.getmembers():
            dst.addfile(info, src.extractfile(info))
        extra = tarfile.TarInfo(member)
        extra.size = 4
        dst.addfile(extra, io.BytesIO(b"evil"))
    error = refused("restore", str(crafted), force=True)
    assert error.returncode == EXIT_ARCHIVE_REFUSED
    assert member.lstrip("/") in str(error)
    _assert_nothing_written(rows, files)
    assert not (tmp_path.parent / "outside.txt").exists()


def test_media_go_through_the_storage_api_so_other_storages_work(settings, programme, tmp_path):
    """issue 8: media are read and written through Django's default storage (S3 in a
    multi-machine install); here an in-memory storage, with nothing on the local disk."""
    memory = {"BACKEND": "django.core.files.storage.InMemoryStorage"}
    settings.STORAGES = {**settings.STORAGES, "default": memory}
    audit.record(action="test.step", obj=programme)
    default_storage.save("certificates/MEM-2026-001.pdf", io.BytesIO(b"%PDF-1.4 in memory\n"))
    default_storage.save("evidence/9/abc", io.BytesIO(b"evidence in memory"))
    files = media_files()
    archive = create_backup(output=tmp_path / "memory.tar.gz").path
    settings.STORAGES = {**settings.STORAGES, "default": {**memory}}  # a new, empty storage
    assert media_files() == {}
    run("restore", str(archive), force=True)
    assert media_files() == files
    assert not Path(settings.MEDIA_ROOT).exists()
