"""Create a dossier, fill closed fields, record a follow-up entry and a consent through the real
widgets, and read them back after reopening the workspace (R-4.1 to R-4.8)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit, QListWidget, QPlainTextEdit, QPushButton

from app.catalogue import load_catalogue
from app.dossiers.model import IDENTITY_COLUMNS, SUIVI_DATE, SUIVI_TYPE
from app.dossiers.service import DossierService
from tests.conftest import WorkspaceHandle
from tests.store_access import store_of
from ui.widgets.category_panel import CategoryPanel
from ui.widgets.consent_panel import ConsentPanel
from ui.widgets.records_panel import RecordsPanel
from ui.windows.youth_page import YouthPage


def first_choice_field(category_id: str) -> str:
    cat = load_catalogue().category(category_id)
    return next(f.id for f in cat.fields if f.type.value == "choice")


def test_create_fill_follow_up_consent_and_read_back(qtbot, ws: WorkspaceHandle) -> None:  # type: ignore[no-untyped-def]
    session = ws.login()
    page = YouthPage(session)
    qtbot.addWidget(page)
    page.show()
    assert page.new_button.isVisible()
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    dialog = page.dialog
    assert dialog is not None
    # QTest only types ASCII keys: accented names are inserted as an input method would
    dialog.last_name.insert("Lefèvre")
    dialog.first_names.insert("Éloïse")
    qtbot.keyClicks(dialog.birth_date, "14/02/2011")
    qtbot.mouseClick(dialog.buttons.buttons()[0], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.pane is not None, timeout=5000)
    pane = page.pane
    assert pane is not None
    assert "LEFÈVRE" in pane.header.text() and "15 ans" in pane.header.text()
    # the list shows the new youth, found by an accent-free search
    qtbot.keyClicks(page.search, "eloise")
    assert page.model.rowCount() == 1

    # identity: a closed field chosen in its combo box
    identity = pane.panels["identite"]
    assert isinstance(identity, CategoryPanel)
    qtbot.mouseClick(identity.edit_button, Qt.MouseButton.LeftButton)
    field_id = first_choice_field("identite")
    combo = identity.editors[field_id].editor
    assert isinstance(combo, QComboBox)
    combo.setCurrentIndex(2)
    chosen = combo.currentData()
    qtbot.mouseClick(identity.save_button, Qt.MouseButton.LeftButton)
    assert not identity.editors, identity.message.text()

    # follow-up entry
    suivi = pane.panels["suivi"]
    assert isinstance(suivi, RecordsPanel)
    qtbot.mouseClick(suivi.new_button, Qt.MouseButton.LeftButton)
    date_editor = suivi.editors[SUIVI_DATE].editor
    assert isinstance(date_editor, QLineEdit)
    qtbot.keyClicks(date_editor, "20/11/2026")
    type_editor = suivi.editors[SUIVI_TYPE].editor
    assert isinstance(type_editor, QComboBox)
    contact_index = next(i for i in range(type_editor.count())
                         if type_editor.itemData(i) in _contact_codes())
    type_editor.setCurrentIndex(contact_index)
    note = next(e.editor for e in suivi.editors.values() if isinstance(e.editor, QPlainTextEdit))
    qtbot.keyClicks(note, "Entretien calme, projet de stage en boulangerie.")
    qtbot.mouseClick(suivi.save_button, Qt.MouseButton.LeftButton)
    assert not suivi.editors
    assert "projet de stage" in suivi.timeline.item(0).text()

    # consent
    consents = pane.panels["consentements"]
    assert isinstance(consents, ConsentPanel)
    consent_type = consents.type_combo.currentData()
    consents.given_by.insert("Éloïse Lefèvre")
    consents.role.setCurrentIndex(1)
    qtbot.mouseClick(consents.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: pane.panels.get("consentements") is not consents, timeout=5000)
    dossier_id = pane.dossier_id
    session.close()

    # reopen the workspace like a new process and read everything back
    ws.reopen()
    session2 = ws.login()
    service = DossierService(session2)
    identity_values = service.values.read(dossier_id, "identite")
    assert identity_values[field_id] == chosen
    assert identity_values[IDENTITY_COLUMNS["first_names"]] == "Éloïse"
    records = service.records.entries(dossier_id, "suivi")
    assert len(records) == 1 and records[0].values[SUIVI_DATE] == "2026-11-20"
    view = service.open_dossier(dossier_id)
    assert view.header.last_contact_on == "2026-11-20"
    assert [c.consent_type for c in view.consents] == [consent_type]
    assert view.consents[0].state.value == "given"
    session2.close()


def _contact_codes() -> set[str]:
    cat = load_catalogue()
    vocab = cat.vocabulary(cat.category("suivi").field(SUIVI_TYPE).vocabulary or "")
    return {i.code for i in vocab.active_items if getattr(i, "counts_as_contact", False)}


def test_sensitive_section_is_masked_until_revealed_and_reveal_is_journaled(qtbot, ws: WorkspaceHandle) -> None:  # type: ignore[no-untyped-def]
    session = ws.login()
    service = DossierService(session)
    dossier = service.create_dossier(last_name="Morel", first_names="Noé", birth_date="2012-05-05", unit_id=1)
    page = YouthPage(session)
    qtbot.addWidget(page)
    page.open_dossier(dossier)
    assert page.pane is not None
    sensitive = [c.id for c in load_catalogue().categories
                 if c.sensitive and not c.repeating and not c.consent and c.id in page.pane.panels]
    assert sensitive
    panel = page.pane.panels[sensitive[0]]
    assert isinstance(panel, CategoryPanel) and panel.masked
    texts = " ".join(b.text() for b in panel.findChildren(QPushButton) if b.isVisibleTo(panel))
    assert "Afficher" in texts
    before = store_of(session).journal.head()[0]
    qtbot.mouseClick(panel.reveal_button, Qt.MouseButton.LeftButton)
    assert not panel.masked
    entries = [e for e in store_of(session).journal.iter_entries() if e.seq > before]
    assert [(e.action, e.target, e.dossier_id) for e in entries] == [("consultation", sensitive[0], dossier)]
    session.close()


def test_multi_choice_and_retired_items_in_the_editor(qtbot, ws: WorkspaceHandle) -> None:  # type: ignore[no-untyped-def]
    from ui.widgets.fields import FieldEditor

    cat = load_catalogue()
    multi = next((c, f) for c in cat.categories for f in c.fields if f.type.value == "multi")
    editor = FieldEditor(cat, multi[1], None, {})
    qtbot.addWidget(editor)
    assert isinstance(editor.editor, QListWidget)
    editor.editor.item(0).setCheckState(Qt.CheckState.Checked)
    assert editor.value() == [editor.editor.item(0).data(Qt.ItemDataRole.UserRole)]
    retired = next(((c, f, i) for c in cat.categories for f in c.fields
                    if f.type.value == "choice" and f.vocabulary
                    for i in cat.vocabulary(f.vocabulary).items if i.retired), None)
    assert retired is not None, "the catalogue keeps at least one retired item"
    _, field, item = retired
    fresh = FieldEditor(cat, field, None, {})
    qtbot.addWidget(fresh)
    assert isinstance(fresh.editor, QComboBox)
    assert fresh.editor.findData(item.code) == -1  # not offered for new entries
    old = FieldEditor(cat, field, item.code, {})
    qtbot.addWidget(old)
    assert isinstance(old.editor, QComboBox)
    assert old.editor.currentData() == item.code  # kept for old data


def test_free_text_guard_warns_inline_and_needs_a_second_click(qtbot, ws: WorkspaceHandle) -> None:  # type: ignore[no-untyped-def]
    session = ws.login()
    service = DossierService(session)
    dossier = service.create_dossier(last_name="Petit", first_names="Lou", birth_date="2013-03-03", unit_id=1)
    page = YouthPage(session)
    qtbot.addWidget(page)
    page.resize(1300, 900)  # the size of the main window's page; a squeezed layout hides buttons
    page.show()
    page.open_dossier(dossier)
    assert page.pane is not None
    page.pane.show_tab("suivi")
    suivi = page.pane.panels["suivi"]
    assert isinstance(suivi, RecordsPanel)
    qtbot.mouseClick(suivi.new_button, Qt.MouseButton.LeftButton)
    date_editor = suivi.editors[SUIVI_DATE].editor
    assert isinstance(date_editor, QLineEdit)
    qtbot.keyClicks(date_editor, "21/11/2026")
    type_editor = suivi.editors[SUIVI_TYPE].editor
    assert isinstance(type_editor, QComboBox)
    type_editor.setCurrentIndex(1)
    note = next(e.editor for e in suivi.editors.values() if isinstance(e.editor, QPlainTextEdit))
    note.insertPlainText("Crise d'épilepsie au réveil, il est fainéant.")
    assert suivi.guard_label.isVisible()  # warned while typing
    assert "santé" in suivi.guard_label.text() and "jugement" in suivi.guard_label.text()
    qtbot.mouseClick(suivi.save_button, Qt.MouseButton.LeftButton)
    assert suivi.editors  # not saved on the first click
    assert service.records.entries(dossier, "suivi") == []
    assert "cliquez à nouveau" in suivi.guard_label.text()
    qtbot.mouseClick(suivi.save_button, Qt.MouseButton.LeftButton)
    assert not suivi.editors
    assert len(service.records.entries(dossier, "suivi")) == 1
    session.close()


def test_out_of_vocabulary_refused_by_service_and_by_database(ws: WorkspaceHandle) -> None:
    import sqlite3

    import sqlcipher3

    from app.errors import ValidationError

    session = ws.login()
    service = DossierService(session)
    dossier = service.create_dossier(last_name="Petit", first_names="Lou", birth_date=None, unit_id=1)
    with pytest.raises(ValidationError) as info:
        service.values.save(dossier, "identite", {"sexe": "7"})
    assert "ne fait pas partie de la liste" in info.value.message
    # bypassing app/: the database trigger refuses it too
    errors = (sqlcipher3.IntegrityError, sqlcipher3.DatabaseError, sqlite3.DatabaseError)
    for value in ('"7"', '["sport", "poker"]'):
        field = "sexe" if value == '"7"' else "loisirs"
        category = "identite" if field == "sexe" else "vie_personnelle"
        with pytest.raises(errors) as db_info:
            store_of(session).conn.execute(
                "INSERT INTO field_values (dossier_id, category_id, field_id, value, updated_at) "
                "VALUES (?, ?, ?, ?, '2026-11-23')", (dossier, category, field, value))
        assert "refusée par le catalogue" in str(db_info.value)
    assert service.values.read(dossier, "identite").get("sexe") is None
    session.close()


def test_consent_gates_the_category_and_withdrawal_deletes_it(qtbot, ws: WorkspaceHandle) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QMessageBox

    from app.errors import KnownError

    session = ws.login()
    service = DossierService(session)
    dossier = service.create_dossier(last_name="Petit", first_names="Lou", birth_date=None, unit_id=1)
    repas = load_catalogue().vocabulary("repas").active_items[0].code
    with pytest.raises(KnownError) as info:
        service.values.save(dossier, "convictions", {"repas": [repas]})
    assert "consentement" in info.value.message
    service.consents.record(dossier, consent_type="convictions", given_by="Lou Petit",
                           given_by_role="representant_legal", form="ecrit", state="given")
    service.values.save(dossier, "convictions", {"repas": [repas]})
    page = YouthPage(session)
    qtbot.addWidget(page)
    page.open_dossier(dossier)
    assert page.pane is not None
    panel = page.pane.panels["consentements"]
    assert isinstance(panel, ConsentPanel)
    panel.select_type("convictions")
    qtbot.mouseClick(panel.withdraw_button, Qt.MouseButton.LeftButton)
    box = panel.findChild(QMessageBox, "confirmBox")
    assert box is not None and "supprimera définitivement" in box.text()
    yes = next(b for b in box.buttons() if b.text() == "Retirer et supprimer")
    before = store_of(session).journal.head()[0]
    qtbot.mouseClick(yes, Qt.MouseButton.LeftButton)
    assert service.values.read(dossier, "convictions") == {}  # no consent, nothing to read
    assert store_of(session).conn.execute(
        "SELECT count(*) FROM field_values WHERE category_id = 'convictions'").fetchone()[0] == 0
    entries = [e for e in store_of(session).journal.iter_entries() if e.seq > before]
    assert ("suppression", "convictions") in [(e.action, e.target) for e in entries]
    assert [c.state.value for c in service.consents.of_dossier(dossier)] == ["withdrawn"]
    session.close()


def test_close_and_restrict_a_dossier(qtbot, ws: WorkspaceHandle) -> None:  # type: ignore[no-untyped-def]
    session = ws.login()
    service = DossierService(session)
    dossier = service.create_dossier(last_name="Morel", first_names="Noé", birth_date=None, unit_id=1)
    page = YouthPage(session)
    qtbot.addWidget(page)
    page.show()
    page.open_dossier(dossier)
    pane = page.pane
    assert pane is not None
    asked: list[str] = []
    pane.confirm = lambda title, question: asked.append(question) is None and len(asked) > 1
    qtbot.mouseClick(pane.restrict_button, Qt.MouseButton.LeftButton)  # « Annuler »: nothing done
    assert "Noé MOREL" in asked[0] and not pane.banner.isVisible()
    qtbot.mouseClick(pane.restrict_button, Qt.MouseButton.LeftButton)  # « Confirmer »
    assert "lecture seule" in pane.banner.text()
    identity = pane.panels["identite"]
    assert isinstance(identity, CategoryPanel) and not identity.edit_button.isVisible()
    from app.errors import KnownError

    with pytest.raises(KnownError):
        service.values.save(dossier, "identite", {"nom": "Autre"})  # refused by app/ too
    qtbot.mouseClick(pane.restrict_button, Qt.MouseButton.LeftButton)
    assert not pane.banner.isVisible()
    qtbot.mouseClick(pane.close_button, Qt.MouseButton.LeftButton)
    dialog = pane.dialog
    assert dialog is not None
    assert "Noé MOREL" in dialog.windowTitle()
    dialog.submit()  # no reason chosen
    assert "motif" in dialog.error.text()
    dialog.reason.setCurrentIndex(1)
    dialog.submit()
    view = service.open_dossier(dossier)
    assert view.header.status.value == "closed" and view.header.closed_on == "2026-11-23"
    session.close()


def test_measure_deadline_is_highlighted_sixty_days_before(qtbot, ws: WorkspaceHandle) -> None:  # type: ignore[no-untyped-def]
    session = ws.login()
    service = DossierService(session)
    dossier = service.create_dossier(last_name="Morel", first_names="Noé", birth_date=None, unit_id=1)
    kind = load_catalogue().vocabulary("type_mesure").active_items[0].code
    service.records.add(dossier, "mesures", {"type_mesure": kind, "date_debut": "2026-01-10",
                                            "prochaine_echeance": "2027-01-10"})  # in 48 days
    service.records.add(dossier, "mesures", {"type_mesure": kind, "date_debut": "2025-01-10",
                                            "prochaine_echeance": "2027-06-30"})
    page = YouthPage(session)
    qtbot.addWidget(page)
    page.open_dossier(dossier)
    assert page.pane is not None
    measures = page.pane.panels["mesures"]
    assert isinstance(measures, RecordsPanel)
    texts = [measures.timeline.item(i).text() for i in range(measures.timeline.count())]
    # a timeline: « date — type » first, the current measure set apart, the deadline in words
    assert texts[0].startswith("Mesure en cours — ")
    assert texts[0].splitlines()[1].startswith("Échéance dans moins de 60 jours")
    assert "Échéance dans" not in texts[1] and "Mesure en cours" not in texts[1]
    row = page.listing.rows[0]
    assert row.deadline_state == "soon" and row.next_deadline == "2027-01-10"
    session.close()


def test_head_of_service_assigns_the_referent_who_then_reads_the_evaluation(qtbot, ws: WorkspaceHandle) -> None:  # type: ignore[no-untyped-def]
    from app.auth.service import AccountService
    from app.errors import PermissionRefused

    session = ws.login()
    educ_id = AccountService(session).create_user(
        login="educ1", display_name="Paul Durand", profile="educateur", units=["Les Lilas"],
        password="Arbre-Soleil-Pluie-84!")
    service = DossierService(session)
    dossier = service.create_dossier(last_name="Morel", first_names="Noé", birth_date=None, unit_id=1)
    page = YouthPage(session)
    qtbot.addWidget(page)
    page.show()
    page.open_dossier(dossier)
    pane = page.pane
    assert pane is not None and pane.referent_label.text() == "Référent : aucun"
    pane.referent_combo.setCurrentIndex(pane.referent_combo.findData(educ_id))
    qtbot.mouseClick(pane.referent_button, Qt.MouseButton.LeftButton)
    assert pane.referent_label.text() == "Référent : Paul Durand"
    session.close()
    educ = ws.login("educ1", "Arbre-Soleil-Pluie-84!")
    assert isinstance(DossierService(educ).values.reveal(dossier, "evaluation_sociale"), dict)
    with pytest.raises(PermissionRefused):
        DossierService(educ).set_referent(dossier, None)
    educ.close()


def test_clicking_through_dossiers_journals_only_what_is_opened(qtbot, ws: WorkspaceHandle) -> None:  # type: ignore[no-untyped-def]
    """The pane is refilled per dossier and its tabs built when shown or, for the next tab
    without protected data, between events (issue 16). A sensitive section that is never opened is
    never read, so never journaled (R-5.1); opening it is journaled once."""
    session = ws.login()
    service = DossierService(session)
    first = service.create_dossier(last_name="Morel", first_names="Noé", birth_date="2012-05-05", unit_id=1)
    second = service.create_dossier(last_name="Petit", first_names="Léa", birth_date="2011-03-03", unit_id=1)
    page = YouthPage(session)
    qtbot.addWidget(page)
    before = store_of(session).journal.head()[0]
    page.open_dossier(first)
    pane = page.pane
    assert pane is not None
    page.open_dossier(second)
    assert page.pane is pane and pane.dossier_id == second  # the same pane, refilled
    # the tab to the right of the one shown is built between events
    right = pane._tab_keys[pane.tabs.currentIndex() + 1]
    qtbot.waitUntil(lambda: right in pane._built, timeout=5000)
    consulted = [e for e in store_of(session).journal.iter_entries()
                 if e.seq > before and e.action == "consultation"]
    assert consulted == []
    sensitive = next(c.id for c in load_catalogue().categories if c.sensitive and c.id in pane.panels)
    assert sensitive not in pane._built
    panel = pane.show_tab(sensitive)
    assert isinstance(panel, CategoryPanel) and panel.masked
    qtbot.mouseClick(panel.reveal_button, Qt.MouseButton.LeftButton)
    consulted = [(e.action, e.target, e.dossier_id) for e in store_of(session).journal.iter_entries()
                 if e.seq > before and e.action == "consultation"]
    assert consulted == [("consultation", sensitive, second)]
    session.close()
