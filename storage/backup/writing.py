"""Making a backup file: consistent encrypted copies of the databases, then the archive (R-9.1, R-9.2)."""

from __future__ import annotations

import contextlib
import hashlib
import os
import tarfile
import tempfile
from pathlib import Path
from typing import Any

import sqlcipher3

from storage.backup.manifest import (
    CHUNK,
    MANIFEST_NAME,
    PAGES_PER_STEP,
    PART_RE,
    BackupCancelled,
    Manifest,
    Progress,
    report,
)
from storage.connection import key_pragma, open_database, translate_db_error
from storage.errors import WorkspaceError
from storage.files import _os_error, fsync_dir, private_dir


class _Stop(Exception):
    pass


def copy_database(source: Path, dest: Path, key: bytes, on_step: Progress) -> None:
    """A consistent encrypted copy of one database with the online backup API.

    ``on_step(copied_pages, total_pages)`` returns False to abandon the copy (BackupCancelled).
    """
    src = open_database(source, key, quick_check=False, read_only=True)
    try:
        try:
            dst = sqlcipher3.connect(str(dest), isolation_level=None, check_same_thread=False)
        except sqlcipher3.Error as exc:
            raise translate_db_error(exc, dest) from None
        try:
            dst.execute("PRAGMA cipher_log_level = NONE")
            dst.execute(key_pragma(key))

            def step(_status: int, remaining: int, total: int) -> None:
                if on_step(total - remaining, total) is False:
                    raise _Stop

            try:
                src.backup(dst, pages=PAGES_PER_STEP, progress=step)
                # One self-contained file: no -wal beside it once the copy is closed.
                dst.execute("PRAGMA journal_mode = DELETE")
            except _Stop:
                raise BackupCancelled() from None
            except sqlcipher3.Error as exc:
                raise translate_db_error(exc, dest) from None
        finally:
            dst.close()
    finally:
        src.close()
    with contextlib.suppress(OSError):
        os.chmod(dest, 0o600)


def workspace_files(root: Path) -> list[str]:
    """The names (archive form) of the workspace files a backup holds."""
    names = ["sillage.db"]
    journal = root / "journal"
    if journal.is_dir():
        names += sorted(
            f"journal/{p.name}" for p in journal.iterdir() if PART_RE.match(f"journal/{p.name}")
        )
    names.append("keyslots.json")
    if (root / "DEMO").is_file():
        names.append("DEMO")
    return names


def snapshot(root: Path, key: bytes, staging: Path, progress: Progress | None) -> list[str]:
    """Copy every database (main first: see below), then the small files, into ``staging``.

    The main database is copied before the journal partitions: an entry moved from the outbox
    to its partition in between is then in both copies, which the outbox flush deduplicates;
    never in neither.
    """
    names = workspace_files(root)
    sizes = {n: (root / n).stat().st_size for n in names if (root / n).exists()}
    total = sum(sizes.values()) or 1
    done = 0
    private_dir(staging / "journal")
    for name in names:
        source, dest = root / name, staging / name
        if name.endswith(".db"):
            base = done
            size = sizes.get(name, 0)

            def on_step(copied: int, pages: int, base: int = base, size: int = size) -> bool:
                if progress is None:
                    return True
                return progress(base + (size * copied) // max(pages, 1), total) is not False

            copy_database(source, dest, key, on_step)
        else:
            _copy_small_file(name, source, dest)
        done += sizes.get(name, 0)
        report(progress, done, total)
    return names


def _copy_small_file(name: str, source: Path, dest: Path) -> None:
    try:
        data = source.read_bytes()
    except FileNotFoundError:
        raise WorkspaceError(
            f"Le fichier « {name} » manque dans l'espace de travail : sauvegarde impossible."
        ) from None
    dest.write_bytes(data)
    os.chmod(dest, 0o600)


def describe_parts(staging: Path, names: list[str]) -> list[dict[str, Any]]:
    parts = []
    for name in names:
        path = staging / name
        digest = hashlib.sha256()
        with open(path, "rb") as handle:
            for chunk in iter(lambda: handle.read(CHUNK), b""):
                digest.update(chunk)
        parts.append({"name": name, "size": path.stat().st_size, "sha256": digest.hexdigest()})
    return parts


def _tarinfo(name: str, size: int, mtime: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mtime = mtime
    info.mode = 0o600
    info.type = tarfile.REGTYPE
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    return info


def write_archive(
    target: Path, manifest: Manifest, staging: Path, mtime: int, progress: Progress | None
) -> None:
    """Write the archive under a temporary name beside ``target``, fsync, rename (atomic)."""
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partiel", dir=target.parent)
    except OSError as exc:
        raise _os_error(exc, target) from None
    tmp = Path(tmp_name)
    try:
        os.chmod(tmp, 0o600)
        with os.fdopen(fd, "wb") as raw:
            with tarfile.open(fileobj=raw, mode="w", format=tarfile.USTAR_FORMAT) as archive:
                _add_members(archive, manifest, staging, mtime, progress)
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(tmp, target)
        fsync_dir(target.parent)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise _os_error(exc, target) from None
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def _add_members(
    archive: tarfile.TarFile, manifest: Manifest, staging: Path, mtime: int, progress: Progress | None
) -> None:
    """The manifest first, then every part in the manifest's order."""
    parts = manifest.parts
    total = sum(p.size for p in parts) or 1
    data = manifest.to_bytes()
    archive.addfile(_tarinfo(MANIFEST_NAME, len(data), mtime), _BytesReader(data))
    done = 0
    for part in parts:
        with open(staging / part.name, "rb") as handle:
            archive.addfile(_tarinfo(part.name, part.size, mtime), handle)
        done += part.size
        report(progress, done, total)


class _BytesReader:
    def __init__(self, data: bytes) -> None:
        self._data = data
        self._pos = 0

    def read(self, size: int = -1) -> bytes:
        end = len(self._data) if size < 0 else self._pos + size
        chunk = self._data[self._pos:end]
        self._pos += len(chunk)
        return chunk
