"""The director sets the lock delay (2–15 min) and the public-service status; both journaled (R-3.8)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.auth.service import AccountService
from app.dossiers.service import DossierService
from app.errors import KnownError, ValidationError
from app.settings import SettingsService, lock_delay_seconds
from tests.conftest import WorkspaceHandle
from tests.store_access import store_of
from ui.windows.settings_page import SettingsPage


def test_director_changes_the_lock_delay_and_public_service_status(qtbot, ws: WorkspaceHandle) -> None:  # type: ignore[no-untyped-def]
    session = ws.login()
    dossier = DossierService(session).create_dossier(last_name="Roux", first_names="Tom",
                                                     birth_date=None, unit_id=1)
    with pytest.raises(KnownError):  # closed until the organisation is a public-service body
        DossierService(session).values.save(dossier, "infractions", {"en_cours": "oui"})
    page = SettingsPage(session)
    qtbot.addWidget(page)
    assert page.lock_delay.value() == 5
    page.lock_delay.setValue(12)
    page.public_service.setChecked(True)
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert page.message.text() == "Paramètres enregistrés."
    assert page.message.objectName() == "success"  # not in the error style (issue 15)
    assert lock_delay_seconds(session) == 12 * 60
    DossierService(session).values.save(dossier, "infractions", {"en_cours": "oui"})
    details = [e.detail for e in store_of(session).journal.iter_entries() if e.action == "parametres"]
    assert details == ["délai de verrouillage 5 -> 12 min", "mission de service public 0 -> 1"]
    with pytest.raises(ValidationError):
        SettingsService(session).update(lock_delay_minutes=30, public_service_body=True)
    AccountService(session).create_user(login="admin1", display_name="Pierre Vasseur",
                                        profile="admin_technique", password="Arbre-Soleil-Pluie-84!")
    session.close()
    admin = ws.login("admin1", "Arbre-Soleil-Pluie-84!")
    page2 = SettingsPage(admin)
    qtbot.addWidget(page2)
    assert not page2.save_button.isEnabled()
    assert "direction" in page2.message.text()
    admin.close()
