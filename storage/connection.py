"""Opening SQLCipher databases with the workspace key, and the settings every connection needs.

Every database of a workspace is opened with the same raw 256-bit key (R-2.2), so
SQLCipher's own PBKDF2 is skipped and any SQLCipher-4 client holding the recovery
key can open the files (R-2.3). Each setting is read back after being set (R-2.4).
"""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlcipher3

from storage.errors import DamagedFile, WorkspaceError, os_reason

if TYPE_CHECKING:  # sqlcipher3 ships no type hints; its API is the standard sqlite3 one
    from sqlite3 import Connection as Connection
else:
    Connection = sqlcipher3.Connection
DatabaseError = sqlcipher3.DatabaseError

#: (pragma, value to set, value expected when read back)
_SETTINGS: tuple[tuple[str, str, str], ...] = (
    ("temp_store", "MEMORY", "2"),
    ("secure_delete", "ON", "1"),
    ("foreign_keys", "ON", "1"),
    ("journal_mode", "WAL", "wal"),
    ("synchronous", "FULL", "2"),
)

#: cipher_memory_security locks and wipes every allocation SQLCipher makes. Measured here
#: (tests/perf/bench.py, and 300 demo dossiers inserted: 4.2 s ON against 0.23 s OFF) it
#: multiplies the cost of statement-heavy work by about 18, which the 10,000-dossier demo
#: and the per-keystroke budgets cannot afford: OFF by default, as R-2.4 allows ("where the
#: cost is acceptable"). Key material is still wiped by SQLCipher when a connection closes.
MEMORY_SECURITY = False

FOREIGN_OR_CORRUPT = (
    "Le fichier « {name} » n'est pas une base Sillage de cet espace de travail, "
    "ou il est endommagé. Rien n'a été modifié. Vérifiez le dossier choisi, ou restaurez "
    "une sauvegarde."
)


def key_pragma(key: bytes) -> str:
    if len(key) != 32:
        raise ValueError("the database key must be 32 bytes")
    return "PRAGMA key = \"x'" + key.hex() + "'\""


def _raise_for_os_error(exc: OSError, path: Path) -> None:
    if exc.errno == errno.ENOSPC:
        raise WorkspaceError(
            "Le disque est plein : libérez de la place puis réessayez. Rien n'a été perdu."
        ) from None
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        raise WorkspaceError(
            f"Le dossier « {path.parent} » n'est pas accessible en écriture. "
            "Vérifiez les droits du dossier ou choisissez-en un autre."
        ) from None
    raise WorkspaceError(
        f"Impossible d'ouvrir « {path.name} » ({os_reason(exc)}). Rien n'a été modifié."
    ) from None


def environment_error(exc: BaseException, path: Path) -> WorkspaceError | None:
    """The French error for a failure caused by the environment, or None for a bug."""
    text = str(exc).lower()
    if "disk is full" in text or "database or disk is full" in text:
        return WorkspaceError(
            "Le disque est plein : l'opération a été annulée et rien n'a été perdu. "
            "Libérez de la place puis réessayez."
        )
    if "readonly" in text or "read-only" in text:
        return WorkspaceError(
            f"Le dossier « {path.parent} » est en lecture seule : impossible d'enregistrer. "
            "Rien n'a été modifié."
        )
    if "disk i/o error" in text:
        return WorkspaceError(
            "Écriture impossible sur le disque (disque plein, clé USB retirée ou fichier trop grand) : "
            "l'opération a été annulée et rien n'a été perdu. Libérez de la place puis réessayez."
        )
    if "locked" in text or "busy" in text:
        return WorkspaceError(
            "La base est occupée par un autre programme. Fermez-le puis réessayez."
        )
    return None


def translate_db_error(exc: BaseException, path: Path) -> WorkspaceError:
    """Errors while opening: anything not environmental means a foreign or corrupt file."""
    return environment_error(exc, path) or DamagedFile(FOREIGN_OR_CORRUPT.format(name=path.name))


#: Files up to this size get a full quick_check when opened. Larger ones (a 10,000-dossier
#: workspace is ~70 MB: 0.8 s) get the full check off the GUI thread after login
#: (``full_check``), so that login stays within SPEC §11; every page read is still
#: authenticated by SQLCipher's per-page HMAC, so a damaged page is never used silently.
QUICK_CHECK_MAX_BYTES = 16 * 1024 * 1024


def open_database(
    path: Path,
    key: bytes,
    *,
    create: bool = False,
    quick_check: bool | None = None,
    read_only: bool = False,
) -> Connection:
    """Open (or create) one encrypted database and apply the workspace settings.

    ``quick_check=None`` checks files up to QUICK_CHECK_MAX_BYTES.
    """
    if not create and not path.exists():
        raise WorkspaceError(
            f"Le fichier « {path.name} » est introuvable dans « {path.parent} »."
        )
    if create and path.exists() and path.stat().st_size > 0:
        raise WorkspaceError(f"Le fichier « {path.name} » existe déjà : il n'a pas été modifié.")
    if not create and path.stat().st_size == 0:
        raise DamagedFile(FOREIGN_OR_CORRUPT.format(name=path.name))
    try:
        conn: Connection
        if read_only:
            conn = sqlcipher3.connect(
                f"file:{path}?mode=ro", uri=True, isolation_level=None, check_same_thread=False
            )
        else:
            conn = sqlcipher3.connect(str(path), isolation_level=None, check_same_thread=False)
    except OSError as exc:
        _raise_for_os_error(exc, path)
        raise  # pragma: no cover - _raise_for_os_error always raises
    except sqlcipher3.Error as exc:
        raise translate_db_error(exc, path) from None
    if quick_check is None:
        quick_check = not create and path.stat().st_size <= QUICK_CHECK_MAX_BYTES
    try:
        _configure(conn, key, path, create=create, quick_check=quick_check, read_only=read_only)
    except BaseException:
        conn.close()
        raise
    if create:
        with contextlib.suppress(OSError):
            os.chmod(path, 0o600)
    return conn


def _configure(
    conn: Connection, key: bytes, path: Path, *, create: bool, quick_check: bool, read_only: bool
) -> None:
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(key_pragma(key))
        if MEMORY_SECURITY:
            conn.execute("PRAGMA cipher_memory_security = ON")
        # The first read decrypts page 1: a wrong key or a foreign file fails here.
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher3.Error as exc:
        raise translate_db_error(exc, path) from None
    for name, value, expected in _SETTINGS:
        if read_only and name == "journal_mode":
            continue
        try:
            conn.execute(f"PRAGMA {name} = {value}")
            got = conn.execute(f"PRAGMA {name}").fetchone()
        except sqlcipher3.Error as exc:
            raise translate_db_error(exc, path) from None
        if got is None or str(got[0]).lower() != expected:
            raise WorkspaceError(
                f"La base « {path.name} » n'accepte pas le réglage de sécurité {name}. "
                "Rien n'a été modifié."
            )
    if quick_check and not create:
        try:
            rows = conn.execute("PRAGMA quick_check").fetchall()
        except sqlcipher3.Error as exc:
            raise translate_db_error(exc, path) from None
        if rows != [("ok",)]:
            raise DamagedFile(FOREIGN_OR_CORRUPT.format(name=path.name))


@contextlib.contextmanager
def transaction(conn: Connection, path: Path | None = None) -> Iterator[Connection]:
    """BEGIN IMMEDIATE ... COMMIT, rolled back on any error; environment errors become French."""
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlcipher3.Error as exc:
        raise translate_db_error(exc, path or Path("sillage.db")) from None
    try:
        yield conn
        conn.execute("COMMIT")
    except sqlcipher3.OperationalError as exc:
        with contextlib.suppress(sqlcipher3.Error):
            conn.execute("ROLLBACK")
        known = environment_error(exc, path or Path("sillage.db"))
        if known is None:
            raise
        raise known from None
    except BaseException:
        with contextlib.suppress(sqlcipher3.Error):
            conn.execute("ROLLBACK")
        raise


def scalar(conn: Connection, sql: str, params: tuple[Any, ...] = ()) -> Any:
    row = conn.execute(sql, params).fetchone()
    return None if row is None else row[0]


def full_check(path: Path, key: bytes) -> bool:
    """PRAGMA quick_check on a separate read-only connection (safe in a worker thread).

    A file whose schema pages no longer decrypt fails the check as well."""
    try:
        conn = open_database(path, key, quick_check=False, read_only=True)
    except WorkspaceError:
        return False
    try:
        rows = conn.execute("PRAGMA quick_check").fetchall()
    except sqlcipher3.Error:
        return False
    finally:
        conn.close()
    return bool(rows == [("ok",)])
