"""Failed-login delays and lockout, resets with one-time passwords, charter (R-3.3, R-3.4, R-3.7)."""

from __future__ import annotations

import datetime as dt

import pytest

from app.auth.login_guard import AccountLocked, LoginDelayed, delay_after
from app.auth.service import AccountService
from app.dossiers.service import DossierService
from app.errors import AuthenticationError, KnownError, PermissionRefused
from tests.conftest import DIRECTOR_LOGIN, DIRECTOR_PASSWORD, WorkspaceHandle
from tests.store_access import store_of

EDUC_PASSWORD = "Arbre-Soleil-Pluie-84!"


def test_delay_sequence() -> None:
    assert [delay_after(n) for n in range(1, 11)] == [0, 0, 2, 4, 8, 16, 32, 60, 60, 60]


def test_delays_then_lockout_with_injected_clock(ws: WorkspaceHandle) -> None:
    session = ws.login()
    AccountService(session).create_user(login="educ1", display_name="Paul Durand",
                                        profile="educateur", password=EDUC_PASSWORD)
    session.close()
    for attempt in range(1, 11):
        with pytest.raises(AuthenticationError) as info:
            ws.login("educ1", "faux")
        assert info.value.message == "Identifiant ou mot de passe incorrect."
        wait = delay_after(attempt)
        if wait and attempt < 10:
            # the next attempt is refused during the delay, even with the right password
            with pytest.raises(LoginDelayed) as delayed:
                ws.login("educ1", EDUC_PASSWORD)
            assert delayed.value.seconds == int(wait)
            ws.clock.advance(wait)
    with pytest.raises(AccountLocked):
        ws.login("educ1", EDUC_PASSWORD)
    ws.clock.advance(3600)
    with pytest.raises(AccountLocked):
        ws.login("educ1", EDUC_PASSWORD)
    # the director unlocks; the failures were journaled without the password
    director = ws.login()
    failures = [e for e in store_of(director).journal.iter_entries() if e.action == "echec_connexion"]
    assert len(failures) == 10
    assert all("faux" not in e.detail for e in failures)
    locked_id = store_of(director).conn.execute("SELECT id, locked FROM users WHERE login = 'educ1'").fetchone()
    assert locked_id[1] == 1
    AccountService(director).unlock(locked_id[0])
    director.close()
    ws.login("educ1", EDUC_PASSWORD).close()


def test_unknown_login_gets_the_same_message_and_the_same_delays(ws: WorkspaceHandle) -> None:
    messages = set()
    for _ in range(3):
        with pytest.raises(AuthenticationError) as info:
            ws.login("inconnu", "x")
        messages.add(info.value.message)
    assert messages == {"Identifiant ou mot de passe incorrect."}
    with pytest.raises(LoginDelayed):
        ws.login("inconnu", "x")


def test_reset_gives_a_one_time_password_that_only_opens_the_change_screen(ws: WorkspaceHandle) -> None:
    director = ws.login()
    accounts = AccountService(director)
    educ_id = accounts.create_user(login="educ1", display_name="Paul Durand", profile="educateur",
                                   units=["Les Lilas"], password=EDUC_PASSWORD)
    otp = accounts.reset_password(educ_id)
    director.close()
    with pytest.raises(AuthenticationError):
        ws.login("educ1", EDUC_PASSWORD)  # the old password is gone
    session = ws.login("educ1", otp)
    assert session.user.must_change_password
    with pytest.raises(PermissionRefused):
        DossierService(session).list_dossiers()
    with pytest.raises(KnownError):
        AccountService(session).change_own_password(otp, otp)  # cannot be reused
    with pytest.raises(KnownError):
        AccountService(session).change_own_password(otp, "azerty")  # the policy applies
    AccountService(session).change_own_password(otp, "Nuage-Piano-Orage-35?")
    assert not session.user.must_change_password
    AccountService(session).accept_charter()  # the next step of a first login
    assert DossierService(session).list_dossiers() == []
    session.close()
    ws.login("educ1", "Nuage-Piano-Orage-35?").close()


def test_one_time_password_expires_after_72_hours(ws: WorkspaceHandle) -> None:
    director = ws.login()
    accounts = AccountService(director)
    educ_id = accounts.create_user(login="educ1", display_name="Paul Durand", profile="educateur",
                                   password=EDUC_PASSWORD)
    otp = accounts.reset_password(educ_id)
    director.close()
    ws.clock.advance(dt.timedelta(hours=72, minutes=1).total_seconds())
    with pytest.raises(AuthenticationError) as info:
        ws.login("educ1", otp)
    assert "expiré" in info.value.message


@pytest.mark.charter_pending
def test_charter_acceptance_is_recorded(ws: WorkspaceHandle) -> None:
    session = ws.login()
    assert not session.user.charter_accepted
    AccountService(session).accept_charter()
    session.close()
    session = ws.login()
    assert session.user.charter_accepted
    assert any(e.target == "charte" for e in store_of(session).journal.iter_entries())
    session.close()


def test_director_password_is_never_in_the_journal(ws: WorkspaceHandle) -> None:
    with pytest.raises(AuthenticationError):
        ws.login(DIRECTOR_LOGIN, "Secret-Tente-99!")
    session = ws.login(DIRECTOR_LOGIN, DIRECTOR_PASSWORD)
    text = " ".join(f"{e.target} {e.detail}" for e in store_of(session).journal.iter_entries())
    assert "Secret-Tente" not in text and DIRECTOR_PASSWORD not in text
    session.close()
