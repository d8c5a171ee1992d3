"""« Archives » for the archiviste: each consultation asks a written reason in a dialog, is
journaled, opens the dossier read-only, and ends when its window closes (R-3.5, R-6.3)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.auth.profiles import Profile
from app.journal.events import Action
from app.retention.service import RetentionService
from app.session_overview import session_overview
from tests.app.retention.conftest import World
from tests.store_access import store_of
from ui.dialogs.retention import DecisionDialog
from ui.windows.archive_page import ArchiveConsultation, ArchivePage


def test_r3_5_archivist_consults_an_archived_dossier_with_a_reason_in_a_dialog(qtbot, world: World) -> None:  # type: ignore[no-untyped-def]
    d = world.dossier("Roux", "Jade", contact_on="2023-12-01")
    RetentionService(world.director).archive(d, "2031-01-05", "Prescription de l'action en responsabilité")
    archivist = world.others[Profile.ARCHIVISTE]
    assert "archives" in session_overview(archivist).sections
    assert "archives" not in session_overview(world.director).sections
    page = ArchivePage(archivist)
    qtbot.addWidget(page)
    assert page.model.rowCount() == 1
    assert [page.model.text(0, c) for c in range(6)] == [
        "Roux Jade", page.rows[0].number, "Les Lilas", "05/01/2026", "05/01/2031",
        "Prescription de l'action en responsabilité"]
    assert not page.consult_button.isEnabled()
    page.table.selectRow(0)
    assert page.consult_button.isEnabled()
    qtbot.mouseClick(page.consult_button, Qt.MouseButton.LeftButton)
    dialog = page.dialog
    assert isinstance(dialog, DecisionDialog) and dialog.isVisible()
    assert dialog.reason.accessibleName() == "Motif de la consultation"
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)  # no reason: refused, nothing opened
    assert "motif de la consultation" in dialog.error.text() and page.consultation is None
    dialog.reason.setPlainText("Réquisition du parquet du 02/01/2026")
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    window = page.consultation
    assert isinstance(window, ArchiveConsultation) and window.isVisible()
    assert "Réquisition du parquet du 02/01/2026" in window.banner.text()
    assert window.pane.view.header.last_name == "Roux"
    for key in window.pane._tab_keys:
        window.pane.show_tab(key)
        qtbot.wait(1)
    store_of(world.director).journal.flush()
    store_of(archivist).journal.flush()
    consulted = [(e.dossier_id, e.user_id, e.detail) for e in store_of(world.director).journal.iter_entries()
                 if e.action == Action.ARCHIVE.value]
    assert consulted == [(d, archivist.user.id, "motif : Réquisition du parquet du 02/01/2026")]
    qtbot.mouseClick(window.close_button, Qt.MouseButton.LeftButton)
    assert not window.isVisible() and d not in archivist.archive_consultations
    assert "terminée" in page.message.text()
