"""The editor of each field type comes from one registry (issue 9, R-4.2): every type has one,
and what each editor gives back is what the type's validator accepts. ``ref_contact`` fields
offer the dossier's contacts (real widgets, a real SQLCipher store)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel

from app.catalogue import Field, FieldType, load_catalogue, load_catalogue_from, nir_key
from app.catalogue.field_types import FIELD_KINDS
from app.catalogue.mirror import sync_catalogue
from app.catalogue.validation import validate
from app.dossiers.service import DossierService
from app.resources import resource_path
from tests.conftest import WorkspaceHandle
from tests.store_access import store_of
from ui.widgets.category_panel import CategoryPanel
from ui.widgets.dossier_pane import DossierPane
from ui.widgets.field_editors import EDITORS
from ui.widgets.fields import FieldEditor

UNITS = {1: "Les Lilas", 2: "Les Tilleuls"}
CONTACTS = {5: "Marie Durand — Juge des enfants", 9: "Paul Martin — Avocat"}
#: a stored value of each type, and what the field needs (vocabulary, bounds)
SAMPLES: dict[FieldType, tuple[Any, dict[str, Any]]] = {
    FieldType.TEXT: ("Lyon 3e", {}),
    FieldType.NOTE: ("Premier entretien.\nSuite prévue.", {}),
    FieldType.CHOICE: ("2", {"vocabulary": "sexe"}),
    FieldType.MULTI: (["lecture", "sport"], {"vocabulary": "loisirs"}),
    FieldType.YESNO: ("non", {}),
    FieldType.YESNOUNKNOWN: ("inconnu", {}),
    FieldType.DATE: ("2026-01-15", {}),
    FieldType.MONTH: ("2025-11", {}),
    FieldType.NUMBER: (3, {"min": 0, "max": 12}),
    FieldType.NIR: (f"2850578006084{nir_key('2850578006084'):02d}", {}),
    FieldType.IBAN: ("FR7630006000011234567890189", {}),
    FieldType.EMAIL: ("marie.durand@exemple.fr", {}),
    FieldType.PHONE: ("06 12 34 56 78", {}),
    FieldType.REF_CONTACT: (9, {}),
    FieldType.REF_UNIT: (2, {}),
}


def test_every_field_type_has_a_kind_an_editor_and_a_sample() -> None:
    assert set(FIELD_KINDS) == set(FieldType)
    assert set(EDITORS) == set(FieldType)
    assert set(SAMPLES) == set(FieldType)


@pytest.mark.parametrize("ftype", list(FieldType))
def test_each_editor_gives_back_what_its_validator_keeps(qtbot, ftype: FieldType) -> None:  # type: ignore[no-untyped-def]
    catalogue = load_catalogue()
    value, extra = SAMPLES[ftype]
    if ftype is FieldType.MULTI:
        codes = [i.code for i in catalogue.vocabulary("loisirs").active_items]
        value = sorted(codes[:2])
    field = Field(id="champ", label="Champ", type=ftype, **extra)
    editor = FieldEditor(catalogue, field, value, UNITS, contacts=CONTACTS)
    qtbot.addWidget(editor)
    vocabulary = catalogue.vocabulary(field.vocabulary) if field.vocabulary else None
    assert validate(field, editor.value(), vocabulary) == value
    assert editor.editor.accessibleName() == "Champ"
    empty = FieldEditor(catalogue, field, None, UNITS, contacts=CONTACTS)
    qtbot.addWidget(empty)
    assert validate(field, empty.value(), vocabulary) is None


def test_a_contact_no_longer_listed_stays_chosen(qtbot) -> None:  # type: ignore[no-untyped-def]
    field = Field(id="mandataire", label="Mandataire", type=FieldType.REF_CONTACT)
    editor = FieldEditor(load_catalogue(), field, 42, UNITS, contacts=CONTACTS)
    qtbot.addWidget(editor)
    assert editor.value() == 42
    assert isinstance(editor.editor, QComboBox)
    assert "plus dans la liste" in editor.editor.currentText()


MANDATAIRE = """
[[fields]]
id = "mandataire"
label = "Mandataire (parmi les intervenants)"
type = "ref_contact"
"""


@pytest.fixture
def contact_catalogue(tmp_path: Path) -> Path:
    for part in ("forms", "vocabularies", "sections"):
        shutil.copytree(resource_path(part), tmp_path / part)
    path = tmp_path / "forms" / "representants.toml"
    path.write_text(path.read_text(encoding="utf-8") + MANDATAIRE, encoding="utf-8")
    return tmp_path


def test_a_ref_contact_field_offers_the_dossiers_contacts(qtbot, ws: WorkspaceHandle,  # type: ignore[no-untyped-def]
                                                          contact_catalogue: Path) -> None:
    catalogue = load_catalogue_from(contact_catalogue)
    session = ws.login()
    sync_catalogue(store_of(session).conn, catalogue)  # the database knows the new field
    service = DossierService(session, catalogue)
    dossier = service.create_dossier(last_name="Roux", first_names="Jade", birth_date=None, unit_id=1)
    judge = service.records.add(dossier, "intervenants", {"type_intervenant": "professionnel", "role": "juge",
                                                         "nom": "Durand", "prenom": "Marie"})
    service.records.add(dossier, "intervenants", {"type_intervenant": "professionnel", "role": "avocat",
                                                 "nom": "Martin"})
    pane = DossierPane(service, dossier)
    qtbot.addWidget(pane)
    panel = pane.show_tab("representants")
    assert isinstance(panel, CategoryPanel)
    qtbot.mouseClick(panel.edit_button, Qt.MouseButton.LeftButton)
    combo = panel.editors["mandataire"].editor
    assert isinstance(combo, QComboBox)
    offered = [combo.itemText(i) for i in range(combo.count())]
    role = catalogue.vocabulary("role_intervenant").label("juge")
    assert offered[0] == "—" and f"Marie Durand — {role}" in offered and len(offered) == 3
    combo.setCurrentIndex(combo.findData(judge))
    qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    assert not panel.message.isVisible(), panel.message.text()
    assert service.values.read(dossier, "representants")["mandataire"] == judge
    assert f"Marie Durand — {role}" in [label.text() for label in panel.findChildren(QLabel)]
    session.close()
