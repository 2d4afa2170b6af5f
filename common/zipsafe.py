"""Opening uploaded ZIP packages (DOCX, XLSX) without trusting what they say about themselves.

A package is checked from its central directory before any member is inflated: the number of
members, each member's declared size and compression ratio, and the declared total. Members are
then read only through :meth:`SafeZip.read`, which stops as soon as the inflated bytes pass the
declared size or the caller's limit, so a forged header costs no more than an honest one
(issue 8, item 7).
"""

from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass

from .exceptions import ApplicationError

_END_OF_CENTRAL_DIRECTORY = b"PK\x05\x06"
_ZIP64_LOCATOR = b"PK\x06\x07"
_END_RECORD_SIZE = 22
_MAX_COMMENT = 0xFFFF
_CHUNK = 64 * 1024
MB = 1024 * 1024


class UnsafePackage(ApplicationError):
    """The package would cost too much to open, or is not what it claims to be."""

    def __init__(self, message: str) -> None:
        super().__init__(message, field="file")


@dataclass(frozen=True)
class ZipLimits:
    max_members: int
    max_total_bytes: int  # declared uncompressed size of all members together
    max_ratio: int = 100  # uncompressed : compressed, per member
    # Small parts (a few KB of repeated XML) may legitimately compress better than max_ratio;
    # they cannot add up to much, the total cap still holds.
    ratio_grace_bytes: int = 1 * MB
    max_directory_bytes: int = 1 * MB


# Evidence files: up to 20 MB uploaded, 100 MB inflated.
DOCUMENT_LIMITS = ZipLimits(max_members=2000, max_total_bytes=100 * MB)


def _directory_size(fileobj) -> tuple[int, int]:
    """(members, bytes) the end-of-central-directory record announces, read before zipfile
    builds one object per member."""
    fileobj.seek(0, io.SEEK_END)
    size = fileobj.tell()
    tail_size = min(size, _END_RECORD_SIZE + _MAX_COMMENT)
    fileobj.seek(size - tail_size)
    tail = fileobj.read(tail_size)
    fileobj.seek(0)
    at = tail.rfind(_END_OF_CENTRAL_DIRECTORY)
    if at < 0 or len(tail) - at < _END_RECORD_SIZE:
        raise UnsafePackage("不是有效的ZIP压缩包（DOCX、XLSX都是ZIP格式）。")
    if at >= 20 and tail[at - 20 : at - 16] == _ZIP64_LOCATOR:
        raise UnsafePackage("不支持ZIP64格式的压缩包（正常的DOCX、XLSX不会用到）。")
    members = int.from_bytes(tail[at + 10 : at + 12], "little")
    directory = int.from_bytes(tail[at + 12 : at + 16], "little")
    return members, directory


class SafeZip:
    """A ZIP package whose central directory passed the limits. Read members with
    :meth:`read` (bounded) or :meth:`head` (the first bytes), never with zipfile directly.

    Raises :class:`UnsafePackage` (an ``ApplicationError`` on ``file``) with a message for the
    person who uploaded it."""

    def __init__(self, fileobj, limits: ZipLimits) -> None:
        self.limits = limits
        members, directory = _directory_size(fileobj)
        if members > limits.max_members or directory > limits.max_directory_bytes:
            raise UnsafePackage(
                f"压缩包内的文件过多（声明{members}个，最多{limits.max_members}个）。"
            )
        try:
            self._zip = zipfile.ZipFile(fileobj)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
            raise UnsafePackage("不是有效的ZIP压缩包（DOCX、XLSX都是ZIP格式）。") from exc
        infos = self._zip.infolist()
        if len(infos) > limits.max_members:
            raise UnsafePackage(
                f"压缩包内的文件过多（{len(infos)}个，最多{limits.max_members}个）。"
            )
        self._by_name: dict[str, zipfile.ZipInfo] = {}
        total = 0
        for info in infos:
            self._check_member(info)
            key = info.filename.lower()
            if key in self._by_name:  # part names are case-insensitive (OPC): one part each
                raise UnsafePackage(f"压缩包内有重名的文件“{info.filename[:100]}”。")
            self._by_name[key] = info
            total += info.file_size
            if total > limits.max_total_bytes:
                raise UnsafePackage(
                    f"压缩包解压后超过{limits.max_total_bytes // MB} MB的上限"
                    "（疑似“压缩炸弹”），已拒收。"
                )
        self._inflated = 0

    def _check_member(self, info: zipfile.ZipInfo) -> None:
        name = info.filename[:100]
        if info.flag_bits & 0x1:
            raise UnsafePackage(f"压缩包内的“{name}”已加密，无法检查其内容。")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise UnsafePackage(f"压缩包内的“{name}”使用了不支持的压缩方式。")
        if info.file_size > self.limits.max_total_bytes:
            raise UnsafePackage(
                f"压缩包内的“{name}”解压后为{info.file_size / MB:.0f} MB，"
                f"超过{self.limits.max_total_bytes // MB} MB的上限（疑似“压缩炸弹”），已拒收。"
            )
        if (
            info.file_size > self.limits.ratio_grace_bytes
            and info.file_size > self.limits.max_ratio * max(info.compress_size, 1)
        ):
            raise UnsafePackage(
                f"压缩包内的“{name}”压缩比为"
                f"{info.file_size // max(info.compress_size, 1)}:1，超过{self.limits.max_ratio}:1"
                "的上限（疑似“压缩炸弹”），已拒收。"
            )

    @property
    def names(self) -> list[str]:
        """Every member's name as stored."""
        return [info.filename for info in self._by_name.values()]

    def find(self, name: str) -> str | None:
        """The stored name of a member, looked up case-insensitively, or None."""
        info = self._by_name.get(name.lower())
        return info.filename if info else None

    def read(self, name: str, *, limit: int) -> bytes:
        """A member's bytes, at most ``limit`` of them and never more than it declared."""
        info = self._by_name[name.lower()]
        if info.file_size > limit:
            raise UnsafePackage(
                f"压缩包内的“{info.filename[:100]}”过大（{info.file_size / MB:.1f} MB）。"
            )
        data = bytearray()
        try:
            with self._zip.open(info) as member:
                while chunk := member.read(_CHUNK):
                    data += chunk
                    if len(data) > info.file_size:
                        raise UnsafePackage(
                            f"压缩包内的“{info.filename[:100]}”实际解压大小超过其声明的大小，已拒收。"
                        )
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
            # zipfile stops at the declared size and then finds the CRC wrong: a forged header.
            raise UnsafePackage(
                f"压缩包内的“{info.filename[:100]}”已损坏或与其声明的大小不符，已拒收。"
            ) from exc
        self._inflated += len(data)
        if self._inflated > self.limits.max_total_bytes:
            raise UnsafePackage("压缩包解压后过大（疑似“压缩炸弹”），已拒收。")
        return bytes(data)

    def head(self, name: str, size: int = 8) -> bytes:
        """The first ``size`` bytes of a member (inflating only a few KB)."""
        info = self._by_name[name.lower()]
        try:
            with self._zip.open(info) as member:
                return member.read(size)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
            raise UnsafePackage(f"压缩包内的“{info.filename[:100]}”已损坏，已拒收。") from exc
