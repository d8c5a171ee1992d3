"""« Sauvegardes » in the GUI (R-9.1, UI.md): make, verify, restore with progress and
« Annuler », the last backup date and the 7-day reminder in the status bar, the automatic
backup in the usual folder. Real widgets, real worker threads, real files."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from app.auth.service import AccountService
from app.backup import BackupService
from app.dossiers.service import DossierService
from app.session_overview import session_overview
from tests.conftest import WorkspaceHandle
from tests.store_access import store_of
from tests.ui.conftest import login
from ui.session_controller import SessionController
from ui.windows.backup_page import BackupPage

PASSWORD = "Arbre-Soleil-Pluie-84!"


def page_of(ctl: SessionController) -> BackupPage:
    assert ctl.main is not None
    ctl.main.show_page("sauvegardes")
    page = ctl.main.pages.currentWidget()
    assert isinstance(page, BackupPage)
    return page


def wait_idle(qtbot, page: BackupPage) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: not page.busy, timeout=60000)


def test_only_backup_profiles_see_the_screen(ws: WorkspaceHandle) -> None:
    director = ws.login()
    accounts = AccountService(director)
    accounts.create_user(login="admin1", display_name="Pierre Vasseur", profile="admin_technique", password=PASSWORD)
    accounts.create_user(login="educ1", display_name="Paul Roux", profile="educateur", units=["Les Lilas"],
                         password=PASSWORD)
    assert "sauvegardes" in session_overview(director).sections
    director.close()
    for name, expected in (("admin1", True), ("educ1", False)):
        session = ws.login(name, PASSWORD)
        assert ("sauvegardes" in session_overview(session).sections) is expected
        session.close()


def test_make_a_backup_from_the_screen_then_the_status_bar_shows_its_date(
    qtbot, controller: SessionController, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    login(qtbot, controller)
    assert controller.main is not None
    assert controller.main.status_backup.text() == "Sauvegarde : aucune"
    page = page_of(controller)
    page.make(tmp_path / "lundi.sillage")
    assert page.bar.isVisible() and page.cancel_button.isVisible()
    wait_idle(qtbot, page)
    assert page.error.text() == ""
    assert page.message.text().startswith("Sauvegarde enregistrée")
    assert (tmp_path / "lundi.sillage").is_file()
    assert "Dernière sauvegarde : le 23/11/2026" in page.status_label.text()
    assert controller.main.status_backup.text() == "Sauvegarde : 23/11/2026"


def test_cancel_leaves_no_file(qtbot, controller: SessionController, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    login(qtbot, controller)
    page = page_of(controller)
    out = tmp_path / "usb"
    out.mkdir()
    page.make(out / "annulee.sillage")
    qtbot.mouseClick(page.cancel_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, page)
    assert "annulée" in page.message.text()
    assert list(out.iterdir()) == []


def test_verify_from_the_screen_and_a_damaged_file_refused(
    qtbot, controller: SessionController, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    login(qtbot, controller)
    page = page_of(controller)
    page.make(tmp_path / "s.sillage")
    wait_idle(qtbot, page)
    page.verify(tmp_path / "s.sillage")
    wait_idle(qtbot, page)
    assert page.message.text().startswith("Sauvegarde intègre"), page.error.text()
    data = bytearray((tmp_path / "s.sillage").read_bytes())
    data[len(data) // 2] ^= 1
    (tmp_path / "abimee.sillage").write_bytes(bytes(data))
    page.verify(tmp_path / "abimee.sillage")
    wait_idle(qtbot, page)
    assert "endommagée" in page.error.text() or "modifiée" in page.error.text()
    assert controller.session is not None
    details = [e.detail for e in store_of(controller.session).journal.iter_entries() if e.action == "sauvegarde"]
    assert details[-2].startswith("vérification : intègre") and details[-1] == "vérification : refusée"


def test_restore_from_the_screen_replaces_the_workspace_and_asks_to_log_in_again(
    qtbot, controller: SessionController, ws: WorkspaceHandle, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    login(qtbot, controller)
    page = page_of(controller)
    page.make(tmp_path / "s.sillage")
    wait_idle(qtbot, page)
    assert controller.session is not None
    DossierService(controller.session).create_dossier(last_name="Après", first_names="Léa",
                                                      birth_date=None, unit_id=1)
    page.restore(tmp_path / "s.sillage")
    qtbot.waitUntil(lambda: controller.main is None and controller.login.isVisible(), timeout=60000)
    assert "restaurée" in controller.login.error.text() and "Reconnectez-vous" in controller.login.error.text()
    assert [p for p in tmp_path.iterdir() if p.name.startswith("ws.avant-restauration")]
    controller.login.login_edit.clear()
    login(qtbot, controller)
    assert controller.session is not None
    assert DossierService(controller.session).list_dossiers() == []  # the state of the backup
    # the restored folder holds the lock again: a second process would be refused
    assert controller.workspace._lock.held


def test_reminder_after_seven_days_in_the_status_bar(
    qtbot, controller: SessionController, ws: WorkspaceHandle, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    session = ws.login()
    BackupService(session).create(tmp_path / "s.sillage")
    session.close()
    ws.clock.advance(days=8)
    login(qtbot, controller)
    assert controller.main is not None
    label = controller.main.status_backup
    assert label.text() == "Sauvegarde : 23/11/2026 — à refaire"
    assert "plus de 7 jours" in label.toolTip()
    assert "plus de 7 jours" in page_of(controller).reminder_label.text()


def test_automatic_backup_in_the_usual_folder_when_due(
    qtbot, controller: SessionController, ws: WorkspaceHandle, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    usual = tmp_path / "usb"
    usual.mkdir()
    session = ws.login()
    BackupService(session).set_folder(usual)
    BackupService(session).create(usual / "premiere.sillage")
    session.close()
    ws.clock.advance(days=3)
    login(qtbot, controller)  # not due yet
    qtbot.wait(200)
    assert sorted(p.name for p in usual.iterdir()) == ["premiere.sillage"]
    controller.logout()
    ws.clock.advance(days=5)
    controller.login.login_edit.clear()
    login(qtbot, controller)
    qtbot.waitUntil(lambda: len(list(usual.iterdir())) == 2, timeout=60000)
    assert controller.main is not None
    qtbot.waitUntil(lambda: controller.main is not None
                    and controller.main.status_backup.text() == "Sauvegarde : 01/12/2026", timeout=60000)
    assert sorted(p.name for p in usual.iterdir())[1] == "sillage-2026-12-01-0930.sillage"


def test_the_usual_folder_may_not_be_inside_the_workspace(
    qtbot, controller: SessionController, ws: WorkspaceHandle  # type: ignore[no-untyped-def]
) -> None:
    login(qtbot, controller)
    page = page_of(controller)
    page.set_folder(ws.root / "journal")
    assert "dossier de l'espace de travail" in page.error.text()
    assert controller.session is not None and BackupService(controller.session).folder() is None
