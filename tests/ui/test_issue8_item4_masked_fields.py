"""Issue 8 item 4 — the NIR shown masked in the dossier, « Afficher » reveals it through the
journaled reveal (R-4.8); editing the section without retyping it keeps it. Real widgets."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from app.catalogue import nir_key
from app.dossiers.service import DossierService
from tests.conftest import WorkspaceHandle
from tests.store_access import store_of
from ui.widgets.category_panel import CategoryPanel
from ui.windows.youth_page import YouthPage

NIR = "2850578006084" + f"{nir_key('2850578006084'):02d}"


def _texts(panel: CategoryPanel) -> list[str]:
    return [label.text() for label in panel.findChildren(QLabel)]


def test_item4_nir_masked_in_the_dossier_and_revealed_by_a_journaled_click(qtbot, ws: WorkspaceHandle) -> None:  # type: ignore[no-untyped-def]
    session = ws.login()
    service = DossierService(session)
    dossier = service.create_dossier(last_name="Roux", first_names="Jade", birth_date="2010-06-01", unit_id=1)
    service.values.save(dossier, "couverture_sociale", {"nir": NIR})
    page = YouthPage(session)
    qtbot.addWidget(page)
    page.open_dossier(dossier)
    assert page.pane is not None
    panel = page.pane.show_tab("couverture_sociale")
    assert isinstance(panel, CategoryPanel)
    masked = f"2 ** ** ** *** *** {NIR[-2:]}"
    assert masked in _texts(panel)
    assert not [t for t in _texts(panel) if NIR[5:10] in t.replace(" ", "")]  # nothing of the middle
    before = store_of(session).journal.head()[0]
    button = panel.field_reveal_buttons["nir"]
    assert button.accessibleName() == "Afficher N° de sécurité sociale (NIR)"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    shown = f"{NIR[0]} {NIR[1:3]} {NIR[3:5]} {NIR[5:7]} {NIR[7:10]} {NIR[10:13]} {NIR[13:]}"
    assert shown in _texts(panel) and "nir" not in panel.field_reveal_buttons
    reads = [(e.target, e.detail) for e in store_of(session).journal.iter_entries()
             if e.seq > before and e.action == "consultation"]
    assert reads == [("couverture_sociale", "champ nir")]

    # masked again once the dossier is closed and opened again (the reveal lasts while it is open);
    # « Modifier » then « Enregistrer » without retyping keeps it
    other = service.create_dossier(last_name="Bon", first_names="Ali", birth_date="2009-01-15", unit_id=1)
    page.open_dossier(other)
    page.open_dossier(dossier)
    panel = page.pane.show_tab("couverture_sociale")
    assert isinstance(panel, CategoryPanel)
    qtbot.mouseClick(panel.edit_button, Qt.MouseButton.LeftButton)
    nir_editor = panel.editors["nir"].editor
    assert nir_editor.text() == "" and "Masqué" in nir_editor.placeholderText()  # type: ignore[attr-defined]
    qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    assert not panel.message.isVisible(), panel.message.text()
    assert masked in _texts(panel)
    assert service.values.reveal_field(dossier, "couverture_sociale", "nir") == NIR
    session.close()
