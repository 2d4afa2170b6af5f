"""Backing up and restoring the whole portal: the database and every media file, in one archive
with a SHA-256 manifest (issue 8: "manage.py backup / restore"; docs/backup.md).

Rows keep their primary keys. The audit trail's hashes cover the actor's id and the object's id,
so a restore that renumbered rows would break the chain; keeping every key (content types,
permissions and many-to-many rows included, which is why natural keys are not needed) makes the
restored database the same database, on SQLite or on PostgreSQL.

A restore checks every SHA-256 before it writes anything, loads the rows in one transaction,
writes the media files, resets PostgreSQL's sequences and verifies row counts, file hashes and
the audit chain before it commits. The archive holds confidential data: it is written with mode
600 and never left half-written under its final name.
"""

from .archive import (
    DATA_DIR,
    EXIT_ARCHIVE_REFUSED,
    EXIT_FAILED,
    EXIT_RESTORE_FAILED,
    EXIT_SCHEMA_MISMATCH,
    EXIT_TARGET_NOT_EMPTY,
    MANIFEST,
    MANIFEST_HASH,
    MEDIA_DIR,
    ArchiveRefused,
    BackupError,
    RestoreFailed,
    SchemaMismatch,
    TargetNotEmpty,
    counted_models,
    human_size,
    media_names,
    read_manifest,
)
from .create import BackupResult, create_backup
from .restore import RestoreResult, restore_backup

__all__ = [
    "DATA_DIR",
    "EXIT_ARCHIVE_REFUSED",
    "EXIT_FAILED",
    "EXIT_RESTORE_FAILED",
    "EXIT_SCHEMA_MISMATCH",
    "EXIT_TARGET_NOT_EMPTY",
    "MANIFEST",
    "MANIFEST_HASH",
    "MEDIA_DIR",
    "ArchiveRefused",
    "BackupError",
    "BackupResult",
    "RestoreFailed",
    "RestoreResult",
    "SchemaMismatch",
    "TargetNotEmpty",
    "counted_models",
    "create_backup",
    "human_size",
    "media_names",
    "read_manifest",
    "restore_backup",
]
