"""Issue 8 item 2 — separation of duties (R-3.5) in the services and the Comptes screen:
only the direction grants a profile that reads dossiers, an administrator handles technical
accounts, resets, unlocks and deactivations, and nobody changes their own profile."""

from __future__ import annotations

import pytest

from app.auth.profiles import Profile
from app.auth.service import AccountService
from app.errors import PermissionRefused
from app.journal.review import JournalFilter, JournalReview
from tests.conftest import WorkspaceHandle

ADMIN_PASSWORD = "Bateau-Vert-Nuage-58!"
OTHER_PASSWORD = "Cerise-Moulin-Brume-61!"


def _accounts(ws: WorkspaceHandle) -> tuple[int, int, int]:
    director = ws.login()
    service = AccountService(director)
    admin = service.create_user(login="admin", display_name="Alain Tech", profile="admin_technique",
                                password=ADMIN_PASSWORD)
    educ = service.create_user(login="educ", display_name="Eva Duval", profile="educateur",
                               units=["Les Lilas"], password=OTHER_PASSWORD)
    tech2 = service.create_user(login="tech2", display_name="Théo Net", profile="admin_technique",
                                password=OTHER_PASSWORD)
    director.close()
    return admin, educ, tech2


def test_item2_admin_technique_grants_no_content_profile_and_not_its_own(ws: WorkspaceHandle) -> None:
    admin_id, educ_id, tech2_id = _accounts(ws)
    admin = ws.login("admin", ADMIN_PASSWORD)
    service = AccountService(admin)
    assert service.grantable_profiles() == (Profile.ADMIN_TECHNIQUE,)
    # promote itself to direction, then read health data: refused
    with pytest.raises(PermissionRefused):
        service.set_profile(admin_id, "direction")
    # give another account a content profile, or change one that reads dossiers: refused
    with pytest.raises(PermissionRefused):
        service.set_profile(tech2_id, "direction")
    with pytest.raises(PermissionRefused):
        service.set_profile(educ_id, "admin_technique")
    with pytest.raises(PermissionRefused):
        service.create_user(login="boss", display_name="Bob Boss", profile="chef_service",
                            password=OTHER_PASSWORD)
    # what remains the administrator's: technical accounts, resets, unlocks, deactivations
    service.create_user(login="tech3", display_name="Tina Tech", profile="admin_technique",
                        password=OTHER_PASSWORD)
    service.reset_password(educ_id)
    service.unlock(educ_id)
    service.deactivate(tech2_id)
    admin.close()
    assert ws.login("admin", ADMIN_PASSWORD).user.profile is Profile.ADMIN_TECHNIQUE


def test_item2_nobody_changes_their_own_profile(ws: WorkspaceHandle) -> None:
    _accounts(ws)
    director = ws.login()
    service = AccountService(director)
    with pytest.raises(PermissionRefused, match="propre profil"):
        service.set_profile(director.user.id, "direction", ["Les Lilas"])
    entries = JournalReview(director).search(JournalFilter(action="refus"))
    assert any("propre profil" in e.detail for e in entries)
    director.close()


def test_item2_comptes_screen_offers_only_grantable_profiles(qtbot, ws: WorkspaceHandle) -> None:  # type: ignore[no-untyped-def]
    from ui.windows.accounts_page import AccountForm, AccountsPage

    admin_id, _, _ = _accounts(ws)
    admin = ws.login("admin", ADMIN_PASSWORD)
    page = AccountsPage(admin)
    qtbot.addWidget(page)
    page.new_account()
    form = page.dialog
    assert isinstance(form, AccountForm)
    offered = [form.profile.itemData(i) for i in range(form.profile.count())]
    assert offered == ["admin_technique"]
    form.reject()
    # its own account: no profile form, a French explanation
    page.dialog = None
    page.table.selectRow(next(i for i, a in enumerate(page.accounts) if a.id == admin_id))
    page.edit_account()
    assert page.dialog is None and "propre profil" in page.message.text()
    # an educator's account is the direction's to change
    page.table.selectRow(next(i for i, a in enumerate(page.accounts) if a.login == "educ"))
    page.edit_account()
    assert page.dialog is None and "direction" in page.message.text()
    admin.close()
    director = ws.login()
    page = AccountsPage(director)
    qtbot.addWidget(page)
    page.new_account()
    assert isinstance(page.dialog, AccountForm)
    assert page.dialog.profile.count() == len(Profile)
    director.close()
