"""Account administration (R-3.1, R-3.4, R-3.5): every change journaled with old and new profile."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from app.auth.access import require_right
from app.auth.accounts import validate_login, validate_name
from app.auth.permissions import Right
from app.auth.profiles import Profile
from app.errors import KnownError, ValidationError
from app.journal.events import Action
from app.session import Session

OTP_LIFETIME = dt.timedelta(hours=72)


@dataclass(frozen=True)
class Account:
    id: int
    login: str
    display_name: str
    profile: Profile
    units: tuple[str, ...]
    active: bool
    locked: bool
    last_login_at: str | None


def parse_profile(value: str) -> Profile:
    try:
        return Profile(value)
    except ValueError:
        names = ", ".join(p.value for p in Profile)
        raise ValidationError(f"Profil inconnu « {value[:40]} ». Profils possibles : {names}.", "profile") from None


class AccountService:
    def __init__(self, session: Session) -> None:
        self.session = session

    def _unit_ids(self, names: Sequence[str]) -> list[int]:
        ids = []
        for name in names:
            row = self.session.conn.execute(
                "SELECT id FROM units WHERE name = ? AND active = 1", (name.strip(),)
            ).fetchone()
            if row is None:
                raise ValidationError(f"Unité inconnue : « {name[:80]} ».", "units")
            ids.append(int(row[0]))
        return ids

    def create_user(
        self, *, login: str, display_name: str, profile: str | Profile,
        units: Sequence[str] = (), password: str,
    ) -> int:
        require_right(self.session, Right.MANAGE_ACCOUNTS)
        from app.auth.password_policy import check_password
        from storage.store import get_meta

        login = validate_login(login)
        display_name = validate_name(display_name)
        prof = profile if isinstance(profile, Profile) else parse_profile(profile)
        unit_ids = self._unit_ids(units)
        org = get_meta(self.session.conn, "org_name", "") or ""
        check_password(password, login=login, person_name=display_name, org_name=org)
        now = self.session.clock.now().isoformat(timespec="seconds")
        with self.session.transaction() as conn:
            if conn.execute("SELECT 1 FROM users WHERE login = ?", (login,)).fetchone():
                raise KnownError(f"L'identifiant « {login} » existe déjà : choisissez-en un autre.")
            cur = conn.execute(
                "INSERT INTO users (login, display_name, profile, created_at) VALUES (?, ?, ?, ?)",
                (login, display_name, prof.value, now),
            )
            user_id = int(cur.lastrowid or 0)
            conn.executemany(
                "INSERT INTO user_units (user_id, unit_id) VALUES (?, ?)",
                [(user_id, u) for u in unit_ids],
            )
            self.session.record(
                Action.COMPTE, "compte", detail=f"création du compte {user_id} profil {prof.value}"
            )
        store = self.session.store
        store.keyslots.set_slot(
            store.dmk, login, user_id, password, self.session.workspace.context.kdf_policy
        )
        store.save_keyslots()
        return user_id

    def list_accounts(self) -> list[Account]:
        require_right(self.session, Right.MANAGE_ACCOUNTS)
        rows = self.session.conn.execute(
            "SELECT u.id, u.login, u.display_name, u.profile, u.active, u.locked, u.last_login_at, "
            "(SELECT group_concat(n.name, ', ') FROM user_units uu JOIN units n ON n.id = uu.unit_id "
            " WHERE uu.user_id = u.id) FROM users u ORDER BY u.display_name"
        ).fetchall()
        return [
            Account(
                int(r[0]), str(r[1]), str(r[2]), Profile(r[3]),
                tuple(str(r[7]).split(", ")) if r[7] else (), bool(r[4]), bool(r[5]), r[6],
            )
            for r in rows
        ]
