"""The backup file: every database of a workspace, encrypted with its key, in one archive (R-9.1).

A backup is a plain POSIX tar archive (USTAR, no compression) so that an organisation can
unpack it with standard tools and open each part in any SQLCipher-4 client with the recovery
key (R-2.3). Its members, in order:

- ``sillage-backup.json``: the manifest (date, key fingerprint and generation, schema version,
  journal head and seal, size and SHA-256 of each part), authenticated by an HMAC-SHA256 whose
  key is derived from the workspace key (HKDF), so it cannot be edited or forged without it;
- ``sillage.db``, ``journal/AAAA-MM.db``: consistent copies made with SQLite's online backup
  API between connections keyed alike (the pages stay encrypted with the workspace key);
- ``keyslots.json``, and ``DEMO`` for a demo workspace.

Reading is strict: only regular files with the names above, in the manifest's order, with
zeroed padding and end blocks, so that a flipped byte anywhere in the file is detected, and
no member can be written outside the folder it is unpacked into.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import re
import shutil
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import sqlcipher3

from storage.connection import Connection, key_pragma, open_database, scalar, translate_db_error
from storage.errors import KnownError, TamperingDetected, WorkspaceError, os_reason
from storage.files import _os_error, fsync_dir, private_dir
from storage.keyslots import hkdf

FORMAT = "sillage-backup-1"
MANIFEST_NAME = "sillage-backup.json"
MANIFEST_MAX = 1024 * 1024
BLOCK = 512
CHUNK = 1024 * 1024
#: pages copied per step of the backup API (4 KiB pages: 16 MiB), between progress reports
PAGES_PER_STEP = 4096

#: a restore is built in BUILDING + random, renamed READY once complete, then renamed into place
BUILDING = ".{name}.restauration-en-cours-"
READY = ".{name}.restauration-prete"

_PART_RE = re.compile(r"^(sillage\.db|keyslots\.json|DEMO|journal/\d{4}-\d{2}\.db)$")

#: called with (done, total); returning False asks to stop
Progress = Callable[[int, int], bool]

DAMAGED = (
    "La sauvegarde « {name} » est endommagée ou incomplète ({why}). Elle ne peut pas être "
    "utilisée : prenez une autre sauvegarde."
)
NOT_A_BACKUP = (
    "Le fichier « {name} » n'est pas une sauvegarde Sillage. Vérifiez le fichier choisi."
)
OTHER_KEY = (
    "La sauvegarde « {name} » a été faite avec une autre clé que celle de cet espace de travail "
    "(un autre espace, ou une date antérieure à un renouvellement de la clé). Utilisez la clé de "
    "secours en vigueur à la date de la sauvegarde."
)
MODIFIED = (
    "La sauvegarde « {name} » a été modifiée en dehors de Sillage (son manifeste ne correspond "
    "plus à sa signature) : elle est refusée."
)
CANCELLED = "Opération annulée : aucun fichier n'a été laissé à moitié écrit."


class BackupCancelled(KnownError):
    def __init__(self) -> None:
        super().__init__(CANCELLED)


class _Stop(Exception):
    pass


def key_fingerprint(dmk: bytes) -> str:
    """Names the key without revealing it: the workspace's own key id (meta ``dmk_id``, R-2.8),
    so a backup says which key opens it."""
    from storage.keyslots import key_id_of

    return key_id_of(dmk)


def _canonical(body: dict[str, Any]) -> bytes:
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def manifest_mac(dmk: bytes, body: dict[str, Any]) -> str:
    return hmac.digest(hkdf(dmk, b"sillage backup manifest v1"), _canonical(body), "sha256").hex()


@dataclass(frozen=True)
class Part:
    name: str  # path inside the archive, with "/" separators
    size: int
    sha256: str


@dataclass(frozen=True)
class Manifest:
    body: dict[str, Any]
    mac: str

    @property
    def parts(self) -> list[Part]:
        return [Part(str(p["name"]), int(p["size"]), str(p["sha256"])) for p in self.body["parts"]]

    @property
    def created_at(self) -> str:
        return str(self.body["created_at"])

    @property
    def backup_id(self) -> str:
        return str(self.body["backup_id"])

    @property
    def journal_seq(self) -> int:
        return int(self.body["journal"]["seq"])

    def to_bytes(self) -> bytes:
        return json.dumps(dict(self.body, mac=self.mac), sort_keys=True, indent=1, ensure_ascii=True).encode()


# -- making the parts ----------------------------------------------------------------------------
def _report(progress: Progress | None, done: int, total: int) -> None:
    if progress is not None and progress(done, total) is False:
        raise BackupCancelled()


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
            f"journal/{p.name}" for p in journal.iterdir() if _PART_RE.match(f"journal/{p.name}")
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
            try:
                data = source.read_bytes()
            except FileNotFoundError:
                raise WorkspaceError(
                    f"Le fichier « {name} » manque dans l'espace de travail : sauvegarde impossible."
                ) from None
            dest.write_bytes(data)
            os.chmod(dest, 0o600)
        done += sizes.get(name, 0)
        _report(progress, done, total)
    return names


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


def sign(dmk: bytes, body: dict[str, Any]) -> Manifest:
    body = dict(body, format=FORMAT)
    return Manifest(body, manifest_mac(dmk, body))


# -- writing the archive -----------------------------------------------------------------------
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
    parts = manifest.parts
    total = sum(p.size for p in parts) or 1
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partiel", dir=target.parent)
    except OSError as exc:
        raise _os_error(exc, target) from None
    tmp = Path(tmp_name)
    try:
        os.chmod(tmp, 0o600)
        with os.fdopen(fd, "wb") as raw:
            with tarfile.open(fileobj=raw, mode="w", format=tarfile.USTAR_FORMAT) as archive:
                data = manifest.to_bytes()
                archive.addfile(_tarinfo(MANIFEST_NAME, len(data), mtime), _BytesReader(data))
                done = 0
                for part in parts:
                    with open(staging / part.name, "rb") as handle:
                        archive.addfile(_tarinfo(part.name, part.size, mtime), handle)
                    done += part.size
                    _report(progress, done, total)
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


class _BytesReader:
    def __init__(self, data: bytes) -> None:
        self._data = data
        self._pos = 0

    def read(self, size: int = -1) -> bytes:
        end = len(self._data) if size < 0 else self._pos + size
        chunk = self._data[self._pos:end]
        self._pos += len(chunk)
        return chunk


# -- reading the archive -----------------------------------------------------------------------
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
            if not _PART_RE.match(part.name) or part.name in names or part.size < 0:
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


def extract(archive: Archive, dest: Path, progress: Progress | None) -> None:
    """Copy every part into ``dest`` while hashing it; raise at the first mismatch."""
    total = sum(m.size for m in archive.members) or 1
    done = 0
    private_dir(dest / "journal")
    try:
        with open(archive.path, "rb") as source:
            for member, part in zip(archive.members, archive.manifest.parts, strict=True):
                target = dest / member.name
                digest = hashlib.sha256()
                source.seek(member.offset_data)
                remaining = member.size
                fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(fd, "wb") as out:
                    while remaining > 0:
                        chunk = source.read(min(CHUNK, remaining))
                        if not chunk:
                            raise _damaged(archive.path, "fichier tronqué")
                        digest.update(chunk)
                        out.write(chunk)
                        remaining -= len(chunk)
                        done += len(chunk)
                        _report(progress, done, total)
                    out.flush()
                    os.fsync(out.fileno())
                if not hmac.compare_digest(digest.hexdigest(), part.sha256):
                    raise _damaged(archive.path, f"contenu de « {part.name} » altéré")
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
            digest = hashlib.sha256()
            source.seek(member.offset_data)
            remaining = member.size
            while remaining > 0:
                chunk = source.read(min(CHUNK, remaining))
                if not chunk:
                    raise _damaged(archive.path, "fichier tronqué")
                digest.update(chunk)
                remaining -= len(chunk)
                done += len(chunk)
                _report(progress, done, total)
            if not hmac.compare_digest(digest.hexdigest(), part.sha256):
                raise _damaged(archive.path, f"contenu de « {part.name} » altéré")


# -- checking unpacked parts ---------------------------------------------------------------------
@dataclass(frozen=True)
class ContentReport:
    schema_version: int
    dossiers: int
    users: int
    journal_entries: int
    journal_seq: int
    journal_hash: str


def check_content(root: Path, dmk: bytes, manifest: Manifest | None) -> ContentReport:
    """Open every unpacked database with the key, check it and its journal chain.

    Works on a copy: verifying the chain moves the outbox into the partitions.
    """
    from storage.journal import JournalStore, verify_chain
    from storage.keyslots import KeySlotFile
    from storage.schema.migrations import CURRENT_VERSION
    from storage.store import NEWER_VERSION

    conn = open_database(root / "sillage.db", dmk, quick_check=True)
    journal: JournalStore | None = None
    try:
        version = int(scalar(conn, "PRAGMA user_version"))
        if version > CURRENT_VERSION:
            raise WorkspaceError(NEWER_VERSION.format(found=version, known=CURRENT_VERSION))
        for part in sorted((root / "journal").glob("*.db")):
            pconn = open_database(part, dmk, quick_check=True)
            pconn.close()
        recorded = scalar(conn, "SELECT value FROM meta WHERE key = 'keyslot_generation'")
        keyslots = KeySlotFile.load(root / "keyslots.json")
        keyslots.verify(dmk, int(recorded) if recorded is not None else None)
        from storage.store import journal_audit_key

        journal = JournalStore(root / "journal", dmk, conn, journal_audit_key(conn, dmk))
        report = verify_chain(journal)
        if not report.ok:
            raise TamperingDetected(
                f"Le journal des accès contenu dans la sauvegarde ne se vérifie pas (entrée "
                f"{report.first_bad_seq} : {report.reason}) : elle est refusée."
            )
        seq, head, _, _ = journal.head()
        if manifest is not None and (seq != manifest.journal_seq or head.hex() != manifest.body["journal"]["hash"]):
            raise TamperingDetected(
                "Le journal contenu dans la sauvegarde ne correspond pas à son manifeste : elle est refusée."
            )
        dossiers = int(scalar(conn, "SELECT count(*) FROM dossiers"))
        users = int(scalar(conn, "SELECT count(*) FROM users"))
        return ContentReport(version, dossiers, users, report.count, seq, head.hex())
    except sqlcipher3.Error as exc:
        raise translate_db_error(exc, root / "sillage.db") from None
    finally:
        if journal is not None:
            journal.close()
        with contextlib.suppress(sqlcipher3.Error):
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.close()


@contextlib.contextmanager
def scratch_dir(near: Path | None = None) -> Iterator[Path]:
    """A private temporary folder, removed afterwards (it only ever holds encrypted files),
    even when Ctrl+C arrives while it is being made or removed."""
    base = near if near is not None and os.access(near, os.W_OK) else None
    path: Path | None = None
    try:
        path = Path(tempfile.mkdtemp(prefix=".sillage-verification-", dir=base))
        os.chmod(path, 0o700)
        yield path
    finally:
        if path is not None:
            remove_tree(path)


def remove_tree(path: Path) -> None:
    """Remove ``path`` completely; an interruption during the removal is held until it is done."""
    interrupted = False
    while True:
        try:
            shutil.rmtree(path, ignore_errors=True)
            break
        except KeyboardInterrupt:
            interrupted = True
    if interrupted:
        raise KeyboardInterrupt


def journal_head_of(conn: Connection) -> tuple[int, str, int]:
    row = conn.execute("SELECT seq, h, last_ts FROM journal_head").fetchone()
    if row is None:
        return 0, "", 0
    return int(row[0]), bytes(row[1]).hex(), int(row[2])


def finish_interrupted_restore(root: Path) -> None:
    """A restore stopped between its last two renames left no workspace at ``root`` and the
    restored one ready beside it: put it in place (R-9.2). Called whenever a workspace is opened."""
    ready = root.parent / READY.format(name=root.name)
    if not root.exists() and ready.is_dir() and (ready / "sillage.db").is_file():
        with contextlib.suppress(FileNotFoundError):
            os.replace(ready, root)
            fsync_dir(root.parent)
