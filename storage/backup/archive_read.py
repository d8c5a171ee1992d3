"""Reading a backup file strictly, and checking each part's hash (R-9.1, R-9.3).

Only regular files with the names of a backup, in the manifest's order, with zeroed padding
and end blocks, so that a flipped byte anywhere in the file is detected, and no member can be
written outside the folder it is unpacked into.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from storage.backup.manifest import (
    BLOCK,
    CHUNK,
    DAMAGED,
    FORMAT,
    MANIFEST_MAX,
    MANIFEST_NAME,
    MODIFIED,
    NOT_A_BACKUP,
    OTHER_KEY,
    PART_RE,
    Manifest,
    Part,
    Progress,
    key_fingerprint,
    manifest_mac,
    report,
)
from storage.errors import TamperingDetected, WorkspaceError, os_reason
from storage.files import _os_error, fsync_dir, private_dir


@dataclass(frozen=True)
class Member:
    name: str
    offset_data: int
    size: int


@dataclass(frozen=True)
class Archive:
    path: Path
    manifest: Manifest
    members: list[Member]  # the parts, in manifest order


def _damaged(path: Path, why: str) -> TamperingDetected:
    return TamperingDetected(DAMAGED.format(name=path.name, why=why))


def _check_zero(handle: IO[bytes], start: int, end: int, path: Path) -> None:
    handle.seek(start)
    remaining = end - start
    while remaining > 0:
        chunk = handle.read(min(CHUNK, remaining))
        if not chunk:
            raise _damaged(path, "fin de fichier inattendue")
        if chunk.count(0) != len(chunk):
            raise _damaged(path, "octets inattendus entre les parties")
        remaining -= len(chunk)


def open_archive(path: Path) -> Archive:
    """Parse and check the structure of a backup; the manifest is not yet authenticated."""
    try:
        size = path.stat().st_size
        handle = open(path, "rb")  # noqa: SIM115 - closed below
    except FileNotFoundError:
        raise WorkspaceError(f"Le fichier « {path} » est introuvable.") from None
    except IsADirectoryError:
        raise WorkspaceError(f"« {path} » est un dossier, pas un fichier de sauvegarde.") from None
    except OSError as exc:
        raise WorkspaceError(f"Impossible de lire « {path.name} » ({os_reason(exc)}).") from None
    with handle:
        head = handle.read(BLOCK)
        if len(head) < BLOCK or head[:len(MANIFEST_NAME)] != MANIFEST_NAME.encode():
            raise WorkspaceError(NOT_A_BACKUP.format(name=path.name))
        if size % BLOCK:
            raise _damaged(path, "taille incorrecte")
        members = _members(handle, size, path)
        if not members or members[0].name != MANIFEST_NAME or members[0].size > MANIFEST_MAX:
            raise WorkspaceError(NOT_A_BACKUP.format(name=path.name))
        handle.seek(members[0].offset_data)
        raw = handle.read(members[0].size)
    manifest = _parse_manifest(raw, path)
    parts = manifest.parts
    rest = members[1:]
    if [m.name for m in rest] != [p.name for p in parts]:
        raise _damaged(path, "liste des parties différente du manifeste")
    for member, part in zip(rest, parts, strict=True):
        if member.size != part.size:
            raise _damaged(path, f"taille de « {part.name} » incorrecte")
    return Archive(path, manifest, rest)


def _members(handle: IO[bytes], size: int, path: Path) -> list[Member]:
    """Every member, each checked to follow the previous one with zeroed padding, and the end."""
    handle.seek(0)
    members: list[Member] = []
    covered_until = 0
    try:
        with tarfile.open(fileobj=handle, mode="r:", format=tarfile.USTAR_FORMAT) as archive:
            for info in archive:
                if (
                    not info.isreg() or info.offset_data - info.offset != BLOCK
                    or info.offset != covered_until or info.pax_headers
                ):
                    raise _damaged(path, "structure inattendue")
                end = info.offset_data + info.size
                if end > size:
                    raise _damaged(path, "fichier tronqué")
                padded = end + (-end % BLOCK)
                members.append(Member(info.name, info.offset_data, info.size))
                _check_zero(handle, end, padded, path)
                covered_until = padded
    except tarfile.TarError:
        raise _damaged(path, "en-tête illisible ou fichier tronqué") from None
    # The rest is the end of the archive exactly as written: two zero blocks, then zeros
    # up to a whole tar record. So even a cut in the trailing zeros is seen.
    expected = covered_until + 2 * BLOCK
    expected += -expected % tarfile.RECORDSIZE
    if size != expected:
        raise _damaged(path, "fichier tronqué" if size < expected else "données en trop à la fin")
    _check_zero(handle, covered_until, size, path)
    return members


def _parse_manifest(raw: bytes, path: Path) -> Manifest:
    try:
        obj = json.loads(raw.decode("utf-8"))
        if not isinstance(obj, dict) or obj.get("format") != FORMAT:
            raise ValueError("format")
        mac = obj.pop("mac")
        if not isinstance(mac, str) or not re.fullmatch(r"[0-9a-f]{64}", mac):
            raise ValueError("mac")
        manifest = Manifest(obj, mac)
        names = set()
        for part in manifest.parts:
            if not PART_RE.match(part.name) or part.name in names or part.size < 0:
                raise ValueError("part")
            if not re.fullmatch(r"[0-9a-f]{64}", part.sha256):
                raise ValueError("sha")
            names.add(part.name)
        if "sillage.db" not in names or "keyslots.json" not in names:
            raise ValueError("parts")
        _ = manifest.created_at, manifest.backup_id, manifest.journal_seq
    except (ValueError, KeyError, TypeError, UnicodeDecodeError, AttributeError):
        raise _damaged(path, "manifeste illisible") from None
    return manifest


def authenticate(archive: Archive, dmk: bytes) -> None:
    """Raise unless the manifest was signed with this key."""
    manifest = archive.manifest
    if manifest.body.get("key_id") != key_fingerprint(dmk):
        if hmac.compare_digest(manifest_mac(dmk, manifest.body), manifest.mac):  # pragma: no cover
            return
        raise TamperingDetected(OTHER_KEY.format(name=archive.path.name))
    if not hmac.compare_digest(manifest_mac(dmk, manifest.body), manifest.mac):
        raise TamperingDetected(MODIFIED.format(name=archive.path.name))


def _checked_chunks(source: IO[bytes], member: Member, part: Part, path: Path) -> Iterator[bytes]:
    """The bytes of one part, in chunks; once all are read, their SHA-256 must be the manifest's."""
    digest = hashlib.sha256()
    source.seek(member.offset_data)
    remaining = member.size
    while remaining > 0:
        chunk = source.read(min(CHUNK, remaining))
        if not chunk:
            raise _damaged(path, "fichier tronqué")
        digest.update(chunk)
        remaining -= len(chunk)
        yield chunk
    if not hmac.compare_digest(digest.hexdigest(), part.sha256):
        raise _damaged(path, f"contenu de « {part.name} » altéré")


def extract(archive: Archive, dest: Path, progress: Progress | None) -> None:
    """Copy every part into ``dest`` while hashing it; raise at the first mismatch."""
    total = sum(m.size for m in archive.members) or 1
    done = 0
    private_dir(dest / "journal")
    try:
        with open(archive.path, "rb") as source:
            for member, part in zip(archive.members, archive.manifest.parts, strict=True):
                fd = os.open(dest / member.name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(fd, "wb") as out:
                    for chunk in _checked_chunks(source, member, part, archive.path):
                        out.write(chunk)
                        done += len(chunk)
                        report(progress, done, total)
                    out.flush()
                    os.fsync(out.fileno())
    except OSError as exc:
        raise _os_error(exc, dest / "sillage.db") from None
    fsync_dir(dest / "journal")
    fsync_dir(dest)


def hash_parts(archive: Archive, progress: Progress | None) -> None:
    """Check the SHA-256 of every part without writing anything."""
    total = sum(m.size for m in archive.members) or 1
    done = 0
    with open(archive.path, "rb") as source:
        for member, part in zip(archive.members, archive.manifest.parts, strict=True):
            for chunk in _checked_chunks(source, member, part, archive.path):
                done += len(chunk)
                report(progress, done, total)
