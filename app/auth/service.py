"""Account administration (R-3.1, R-3.4, R-3.5): every change journaled with old and new profile."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from app.auth import keys
from app.auth.access import (
    before_ready,
    gated_service,
    require_grant,
    require_not_self,
    require_password_changed,
    require_right,
)
from app.auth.accounts import LOGIN_TAKEN, validate_login, validate_name
from app.auth.permissions import Right
from app.auth.profiles import Profile
from app.errors import KnownError, ValidationError
from app.journal.events import Action
from app.session import Session
from storage import settings, users
from storage.units import active_unit_id, active_unit_names

OTP_LIFETIME = dt.timedelta(hours=72)
LAST_DIRECTOR = (
    "Ce compte est le dernier compte « direction » actif : il ne peut pas être retiré. "
    "Créez d'abord un autre compte de direction."
)


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


@gated_service
class AccountService:
    def __init__(self, session: Session) -> None:
        self.session = session

    def _unit_ids(self, names: Sequence[str]) -> list[int]:
        ids = []
        for name in names:
            with self.session.reading() as conn:
                unit_id = active_unit_id(conn, name.strip())
            if unit_id is None:
                raise ValidationError(f"Unité inconnue : « {name[:80]} ».", "units")
            ids.append(unit_id)
        return ids

    def create_user(
        self, *, login: str, display_name: str, profile: str | Profile,
        units: Sequence[str] = (), password: str,
    ) -> int:
        return self._create(login=login, display_name=display_name, profile=profile, units=units,
                            password=password, one_time=False)

    def _create(
        self, *, login: str, display_name: str, profile: str | Profile,
        units: Sequence[str], password: str, one_time: bool,
    ) -> int:
        """The account, its key pair and its grants in one transaction (R-2.2: a kill leaves
        both or neither; the key-slot file is written just before the commit)."""
        require_right(self.session, Right.MANAGE_ACCOUNTS)
        from app.auth.password_policy import check_password

        login = validate_login(login)
        display_name = validate_name(display_name)
        prof = profile if isinstance(profile, Profile) else parse_profile(profile)
        require_grant(self.session, prof)
        unit_ids = self._unit_ids(units)
        if not one_time:
            with self.session.reading() as conn:
                org = settings.org_name(conn)
            check_password(password, login=login, person_name=display_name, org_name=org)
        now = self.session.stamp()
        expires = (self.session.clock.now() + OTP_LIFETIME).isoformat(timespec="seconds") if one_time else None
        holder = self.session.key_holder()
        with self.session.transaction() as conn:
            if users.login_taken(conn, login):
                raise KnownError(LOGIN_TAKEN.format(login=login))
            user_id = users.add_user(conn, login=login, display_name=display_name, profile=prof.value,
                                     created_at=now, must_change_password=one_time, otp_expires_at=expires)
            users.set_units(conn, user_id, unit_ids)
            self.session.record(
                Action.COMPTE, "compte", detail=f"création du compte {user_id} profil {prof.value}"
            )
            keys.set_password_keys(conn, holder, user_id, login, password, prof,
                                   self.session.workspace.context.kdf_policy)
            holder.publish_keys()
        return user_id

    def grantable_profiles(self) -> tuple[Profile, ...]:
        """What the Comptes screen offers: only the profiles the caller may grant (R-3.5)."""
        from app.auth.permissions import grantable_profiles

        return grantable_profiles(self.session.user.profile)

    def units(self) -> list[str]:
        with self.session.reading() as conn:
            return active_unit_names(conn)

    def invite_user(self, *, login: str, display_name: str, profile: str | Profile,
                    units: Sequence[str] = ()) -> str:
        """Create an account with a one-time password (the GUI way: nobody chooses it for the
        person, R-3.4). Returns the one-time password, to be handed over once."""
        from app.auth.password_policy import generate_one_time_password

        otp = generate_one_time_password()
        self._create(login=login, display_name=display_name, profile=profile,
                     units=units, password=otp, one_time=True)
        return otp

    def list_accounts(self) -> list[Account]:
        require_right(self.session, Right.MANAGE_ACCOUNTS)
        with self.session.reading() as conn:
            return [
                Account(r.id, r.login, r.display_name, Profile(r.profile), r.unit_names, r.active, r.locked,
                        r.last_login_at)
                for r in users.list_accounts(conn)
            ]

    # -- changes to existing accounts ----------------------------------------------------
    def _account(self, user_id: int) -> tuple[str, str, Profile, bool]:
        with self.session.reading() as conn:
            record = users.get_account(conn, user_id)
        if record is None:
            raise KnownError("Ce compte n'existe pas.")
        return record.login, record.display_name, Profile(record.profile), record.active

    def _active_directors(self) -> int:
        with self.session.reading() as conn:
            return users.active_director_count(conn)

    def set_profile(self, user_id: int, profile: str | Profile, units: Sequence[str] = ()) -> None:
        require_right(self.session, Right.MANAGE_ACCOUNTS)
        new = profile if isinstance(profile, Profile) else parse_profile(profile)
        require_not_self(self.session, user_id)
        _, _, old, active = self._account(user_id)
        # both the profile taken away and the one given must be the caller's to grant
        require_grant(self.session, old)
        require_grant(self.session, new)
        if old is Profile.DIRECTION and new is not Profile.DIRECTION and active \
                and self._active_directors() <= 1:
            raise KnownError(LAST_DIRECTOR)
        unit_ids = self._unit_ids(units)
        with self.session.transaction() as conn:
            users.set_profile(conn, user_id, new.value)
            users.set_units(conn, user_id, unit_ids)
            self.session.record(Action.PERMISSION, "compte",
                                detail=f"compte {user_id} : {old.value} -> {new.value}")
            if (old is Profile.DIRECTION) != (new is Profile.DIRECTION):
                # The journal sealing key goes with the profile.
                holder = self.session.key_holder()
                keys.profile_changed(conn, holder, user_id, new)
                holder.publish_keys()

    def deactivate(self, user_id: int) -> None:
        require_right(self.session, Right.MANAGE_ACCOUNTS)
        _, _, profile, active = self._account(user_id)
        if not active:
            return
        if profile is Profile.DIRECTION and self._active_directors() <= 1:
            raise KnownError(LAST_DIRECTOR)
        with self.session.transaction() as conn:
            users.deactivate(conn, user_id)
            self.session.record(Action.COMPTE, "compte",
                                detail=f"désactivation du compte {user_id} : clé et accès retirés")
            # the slot and every grant go at once, in the same transaction.
            keys.withdraw_account(conn, user_id)
            self.session.key_holder().publish_keys()

    def unlock(self, user_id: int) -> None:
        require_right(self.session, Right.UNLOCK_ACCOUNTS)
        login, _, _, _ = self._account(user_id)
        with self.session.transaction() as conn:
            users.unlock(conn, user_id)
            self.session.record(Action.COMPTE, "compte", detail=f"déblocage du compte {user_id}")
        guard = self.session.workspace.guard
        guard.unlock(self.session.key_holder().keyslots.lookup_of(login))

    def reset_password(self, user_id: int) -> str:
        """Issue a one-time password valid 72 h; it only opens the change-password screen."""
        require_right(self.session, Right.MANAGE_ACCOUNTS)
        from app.auth.password_policy import generate_one_time_password

        login, _, profile, active = self._account(user_id)
        if not active:
            raise KnownError("Ce compte est désactivé : son mot de passe ne peut pas être réinitialisé.")
        otp = generate_one_time_password()
        expires = (self.session.clock.now() + OTP_LIFETIME).isoformat(timespec="seconds")
        holder = self.session.key_holder()
        with self.session.transaction() as conn:
            users.require_password_change(conn, user_id, expires)
            self.session.record(Action.COMPTE, "compte",
                                detail=f"réinitialisation du mot de passe du compte {user_id}")
            keys.set_password_keys(conn, holder, user_id, login, otp, profile,
                                   self.session.workspace.context.kdf_policy)
            holder.publish_keys()
        self.session.workspace.guard.unlock(holder.keyslots.lookup_of(login))
        return otp

    @before_ready
    def change_own_password(self, current: str, new: str) -> None:
        """The one operation open to a user who must change a provisional password."""
        from app.auth.password_policy import check_password

        user = self.session.user
        if new == current:
            raise KnownError("Le nouveau mot de passe doit être différent de l'actuel.")
        holder = self.session.key_holder()
        try:
            holder.keyslots.unwrap(user.login, current, self.session.workspace.context.kdf_policy)
        except KnownError:
            raise KnownError("Le mot de passe actuel est incorrect.") from None
        with self.session.reading() as conn:
            org = settings.org_name(conn)
        check_password(new, login=user.login, person_name=user.display_name, org_name=org)
        with self.session.transaction() as conn:
            users.password_changed(conn, user.id)
            self.session.record(Action.COMPTE, "compte", detail="changement de mot de passe")
            keys.set_password_keys(conn, holder, user.id, user.login, new, user.profile,
                                   self.session.workspace.context.kdf_policy)
            holder.publish_keys()
        from dataclasses import replace

        self.session.user = replace(user, must_change_password=False)

    @before_ready
    def accept_charter(self) -> None:
        """R-3.7: the IT charter and the journaling notice, accepted once, recorded (after the
        change of a provisional password, which comes first)."""
        require_password_changed(self.session)
        user = self.session.user
        now = self.session.stamp()
        with self.session.transaction() as conn:
            users.accept_charter(conn, user.id, now)
            self.session.record(Action.COMPTE, "charte", detail="charte informatique acceptée")
        from dataclasses import replace

        self.session.user = replace(user, charter_accepted=True)
