"""Repository of accounts: the ``users`` table and the units each account works in
(``user_units``). Profiles travel as their text value; ``app.auth`` turns them into ``Profile``."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from storage.connection import Connection, scalar


@dataclass(frozen=True)
class UserRecord:
    """What a session needs of the logged-in account."""

    id: int
    login: str
    display_name: str
    profile: str
    unit_ids: frozenset[int]
    must_change_password: bool
    charter_accepted: bool


@dataclass(frozen=True)
class LoginState:
    """What decides whether an account may open a session now."""

    active: bool
    locked: bool
    otp_expires_at: str | None


@dataclass(frozen=True)
class AccountRecord:
    """One line of the account list and of the habilitation review (R-3.1, R-3.6)."""

    id: int
    login: str
    display_name: str
    profile: str
    active: bool
    locked: bool
    last_login_at: str | None
    created_at: str
    unit_names: tuple[str, ...]


_ACCOUNT_SQL = (
    "SELECT u.id, u.login, u.display_name, u.profile, u.active, u.locked, u.last_login_at, "
    "u.created_at, (SELECT group_concat(n.name, ', ') FROM user_units uu JOIN units n "
    "ON n.id = uu.unit_id WHERE uu.user_id = u.id) FROM users u"
)


def _account(r: Any) -> AccountRecord:
    return AccountRecord(int(r[0]), str(r[1]), str(r[2]), str(r[3]), bool(r[4]), bool(r[5]), r[6],
                         str(r[7]), tuple(str(r[8]).split(", ")) if r[8] else ())


def list_accounts(conn: Connection) -> list[AccountRecord]:
    """Every account, by display name."""
    return [_account(r) for r in conn.execute(f"{_ACCOUNT_SQL} ORDER BY u.display_name")]


def get_account(conn: Connection, user_id: int) -> AccountRecord | None:
    r = conn.execute(f"{_ACCOUNT_SQL} WHERE u.id = ?", (user_id,)).fetchone()
    return None if r is None else _account(r)


def get_user(conn: Connection, user_id: int) -> UserRecord | None:
    row = conn.execute(
        "SELECT id, login, display_name, profile, must_change_password, charter_accepted_at "
        "FROM users WHERE id = ?",
        (user_id,),
    ).fetchone()
    if row is None:
        return None
    units = frozenset(
        int(r[0]) for r in conn.execute("SELECT unit_id FROM user_units WHERE user_id = ?", (user_id,))
    )
    return UserRecord(int(row[0]), str(row[1]), str(row[2]), str(row[3]), units, bool(row[4]),
                      row[5] is not None)


def login_state(conn: Connection, user_id: int) -> LoginState | None:
    row = conn.execute(
        "SELECT active, locked, otp_expires_at FROM users WHERE id = ?", (user_id,)
    ).fetchone()
    return None if row is None else LoginState(row[0] == 1, row[1] == 1, row[2])


def login_taken(conn: Connection, login: str) -> bool:
    """Logins compare without case (the column is ``COLLATE NOCASE``)."""
    return conn.execute("SELECT 1 FROM users WHERE login = ?", (login,)).fetchone() is not None


def add_user(conn: Connection, *, login: str, display_name: str, profile: str, created_at: str,
             must_change_password: bool = False, otp_expires_at: str | None = None) -> int:
    cur = conn.execute(
        "INSERT INTO users (login, display_name, profile, created_at, must_change_password, "
        "otp_expires_at) VALUES (?, ?, ?, ?, ?, ?)",
        (login, display_name, profile, created_at, 1 if must_change_password else 0, otp_expires_at),
    )
    return int(cur.lastrowid or 0)


def set_units(conn: Connection, user_id: int, unit_ids: Iterable[int]) -> None:
    conn.execute("DELETE FROM user_units WHERE user_id = ?", (user_id,))
    conn.executemany("INSERT INTO user_units (user_id, unit_id) VALUES (?, ?)",
                     [(user_id, u) for u in unit_ids])


def set_profile(conn: Connection, user_id: int, profile: str) -> None:
    conn.execute("UPDATE users SET profile = ? WHERE id = ?", (profile, user_id))


def deactivate(conn: Connection, user_id: int) -> None:
    conn.execute("UPDATE users SET active = 0 WHERE id = ?", (user_id,))


def lock(conn: Connection, user_id: int) -> None:
    conn.execute("UPDATE users SET locked = 1 WHERE id = ?", (user_id,))


def unlock(conn: Connection, user_id: int) -> None:
    conn.execute("UPDATE users SET locked = 0 WHERE id = ?", (user_id,))


def record_login(conn: Connection, user_id: int, at: str) -> None:
    conn.execute("UPDATE users SET last_login_at = ? WHERE id = ?", (at, user_id))


def require_password_change(conn: Connection, user_id: int, otp_expires_at: str) -> None:
    """A one-time password was issued: it only opens the change-password step, and unlocks."""
    conn.execute("UPDATE users SET must_change_password = 1, otp_expires_at = ?, locked = 0 "
                 "WHERE id = ?", (otp_expires_at, user_id))


def password_changed(conn: Connection, user_id: int) -> None:
    conn.execute("UPDATE users SET must_change_password = 0, otp_expires_at = NULL "
                 "WHERE id = ?", (user_id,))


def accept_charter(conn: Connection, user_id: int, at: str) -> None:
    conn.execute("UPDATE users SET charter_accepted_at = ? WHERE id = ?", (at, user_id))


def active_director_count(conn: Connection) -> int:
    return int(scalar(conn, "SELECT count(*) FROM users WHERE profile = 'direction' AND active = 1"))


def active_user_ids(conn: Connection) -> set[int]:
    return {int(r[0]) for r in conn.execute("SELECT id FROM users WHERE active = 1")}


def active_logins(conn: Connection, user_ids: Sequence[int]) -> list[str]:
    """The logins of those of ``user_ids`` whose account is active, in order."""
    if not user_ids:
        return []
    marks = ",".join("?" * len(user_ids))
    return [str(r[0]) for r in conn.execute(
        f"SELECT login FROM users WHERE active = 1 AND id IN ({marks}) ORDER BY login", list(user_ids))]
