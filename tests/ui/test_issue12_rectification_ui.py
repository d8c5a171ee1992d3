"""Issue 12 — rectification in the dossier (R-4.11), real widgets: « Corriger » on the Suivi /
Mesures / Intervenants timelines and the consents opens the form pre-filled; « Supprimer… » on a
follow-up entry asks a reason and names the entry."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit

from app.auth.service import AccountService
from app.dossiers.service import DossierService
from tests.conftest import WorkspaceHandle
from ui.dialogs.dossiers.delete_entry import DeleteEntry
from ui.widgets.consent_panel import ConsentPanel
from ui.widgets.records_panel import RecordsPanel
from ui.windows.youth_page import YouthPage

PASSWORD = "Bateau-Vert-Nuage-58!"


def _contact(service: DossierService) -> str:
    vocabulary = service.catalogue.category("suivi").field("type").vocabulary
    assert vocabulary
    return next(i.code for i in service.catalogue.vocabulary(vocabulary).active_items
                if getattr(i, "counts_as_contact", False))


def _select(panel: RecordsPanel, record_id: int) -> None:
    for row in range(panel.timeline.count()):
        if panel.timeline.item(row).data(Qt.ItemDataRole.UserRole) == record_id:
            panel.timeline.setCurrentRow(row)
            return
    raise AssertionError(record_id)


def test_rectification_correct_and_delete_a_follow_up_entry_in_the_timeline(qtbot, ws: WorkspaceHandle) -> None:  # type: ignore[no-untyped-def]
    session = ws.login()
    service = DossierService(session)
    dossier = service.create_dossier(last_name="Roux", first_names="Jade", birth_date="2010-06-01", unit_id=1)
    contact = _contact(service)
    keep = service.records.add(dossier, "suivi", {"date": "2026-09-01", "type": contact})
    typo = service.records.add(dossier, "suivi", {"date": "2026-11-20", "type": contact})
    page = YouthPage(session)
    qtbot.addWidget(page)
    page.open_dossier(dossier)
    assert page.pane is not None
    panel = page.pane.show_tab("suivi")
    assert isinstance(panel, RecordsPanel)
    assert not panel.correct_button.isHidden() and not panel.delete_button.isHidden()
    assert not panel.correct_button.isEnabled()  # nothing selected yet
    _select(panel, typo)
    assert panel.correct_button.isEnabled()
    assert "20/11/2026" in panel.selected_label.text()
    qtbot.mouseClick(panel.correct_button, Qt.MouseButton.LeftButton)
    assert panel.correcting == typo
    date_editor = panel.editors["date"].editor
    assert isinstance(date_editor, QLineEdit) and date_editor.text() == "20/11/2026"  # pre-filled
    assert panel.save_button.text() == "&Enregistrer la correction"
    date_editor.clear()
    qtbot.keyClicks(date_editor, "20/11/2025")
    qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    assert not panel.editors, panel.guard_label.text()
    assert {r.id: r.record_date for r in service.records.entries(dossier, "suivi")}[typo] == "2025-11-20"
    assert service.header(dossier).last_contact_on == "2026-09-01"
    assert "Dernier contact : 01/09/2026" in page.pane.header.text()

    _select(panel, keep)
    qtbot.mouseClick(panel.delete_button, Qt.MouseButton.LeftButton)
    dialog = panel.dialog
    assert isinstance(dialog, DeleteEntry) and dialog.isVisible()
    texts = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert "« 01/09/2026" in texts and "Jade ROUX" in texts  # the confirmation names the entry
    assert not dialog.ok.isEnabled()  # a reason first
    qtbot.keyClicks(dialog.reason, "Jade absente ce jour")
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    assert not dialog.error.isHidden() and "nom" in dialog.error.text()  # no name in the reason
    assert [r.id for r in service.records.entries(dossier, "suivi")] == [keep, typo] or \
        {r.id for r in service.records.entries(dossier, "suivi")} == {keep, typo}
    dialog.reason.clear()
    qtbot.keyClicks(dialog.reason, "saisie dans le mauvais dossier")
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert [r.id for r in service.records.entries(dossier, "suivi")] == [typo]
    assert panel.timeline.count() == 1
    session.close()


def test_rectification_an_educator_corrects_but_does_not_delete(qtbot, ws: WorkspaceHandle) -> None:  # type: ignore[no-untyped-def]
    director = ws.login()
    AccountService(director).create_user(login="educ", display_name="Paul Durand", profile="educateur",
                                         units=["Les Lilas"], password=PASSWORD)
    dossier = DossierService(director).create_dossier(last_name="Roux", first_names="Jade",
                                                      birth_date="2010-06-01", unit_id=1)
    director.close()
    session = ws.login("educ", PASSWORD)
    service = DossierService(session)
    service.records.add(dossier, "suivi", {"date": "2026-11-02", "type": _contact(service)})
    page = YouthPage(session)
    qtbot.addWidget(page)
    page.open_dossier(dossier)
    assert page.pane is not None
    panel = page.pane.show_tab("suivi")
    assert isinstance(panel, RecordsPanel)
    assert not panel.correct_button.isHidden() and panel.delete_button.isHidden()
    session.close()


def test_rectification_a_consent_corrected_from_the_consents_tab(qtbot, ws: WorkspaceHandle) -> None:  # type: ignore[no-untyped-def]
    session = ws.login()
    service = DossierService(session)
    dossier = service.create_dossier(last_name="Roux", first_names="Jade", birth_date="2006-06-01", unit_id=1)
    service.consents.record(dossier, consent_type="convictions", given_by="Jade Rou", given_by_role="jeune",
                           form="oral", state="given")
    page = YouthPage(session)
    qtbot.addWidget(page)
    page.open_dossier(dossier)
    assert page.pane is not None
    panel = page.pane.show_tab("consentements")
    assert isinstance(panel, ConsentPanel)
    assert not panel.correct_button.isEnabled()
    panel.table.selectRow(0)
    assert panel.correct_button.isEnabled()
    qtbot.mouseClick(panel.correct_button, Qt.MouseButton.LeftButton)
    assert panel.given_by.text() == "Jade Rou" and panel.form.currentData() == "oral"
    assert not panel.type_combo.isEnabled() and "Corriger" in panel.group.title()
    panel.given_by.clear()
    qtbot.keyClicks(panel.given_by, "Jade Roux")
    panel.form.setCurrentIndex(panel.form.findData("ecrit"))
    qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    consent = service.consents.of_dossier(dossier)[0]
    assert (consent.given_by, consent.form, len(service.consents.of_dossier(dossier))) == ("Jade Roux", "ecrit", 1)
    session.close()
