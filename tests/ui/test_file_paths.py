"""The one « Enregistrer sous » helper (ui/dialogs/file_paths.py, issue 9), driven through the
real Qt file dialog."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QWidget

from ui.dialogs.file_paths import ask_folder, ask_open_path, ask_save_path, save_file_dialog


def _answer(act: Callable[[QFileDialog], None], seen: list[tuple[str, QFileDialog.AcceptMode, list[str]]]) -> None:
    """When the modal file dialog is up, note its title, mode and filters, and answer it."""

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QFileDialog):
            QTimer.singleShot(20, poll)
            return
        seen.append((dialog.windowTitle(), dialog.acceptMode(), dialog.nameFilters()))
        act(dialog)

    QTimer.singleShot(0, poll)


def _choose(path: Path) -> Callable[[QFileDialog], None]:
    def act(dialog: QFileDialog) -> None:
        dialog.selectFile(str(path))
        dialog.accept()

    return act


def test_save_path_chosen_or_none_when_cancelled(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    parent = QWidget()
    qtbot.addWidget(parent)
    seen: list[tuple[str, QFileDialog.AcceptMode, list[str]]] = []
    _answer(_choose(tmp_path / "revue.pdf"), seen)
    assert ask_save_path(parent, "Revue des habilitations", tmp_path / "proposé.pdf") == tmp_path / "revue.pdf"
    assert seen == [("Revue des habilitations", QFileDialog.AcceptMode.AcceptSave, ["*.pdf"])]
    _answer(lambda d: d.reject(), seen)
    assert ask_save_path(parent, "Feuille de secours", "feuille-de-secours.pdf") is None


def test_open_path_and_folder(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    parent = QWidget()
    qtbot.addWidget(parent)
    backup = tmp_path / "sillage.sillage"
    backup.write_bytes(b"x")
    seen: list[tuple[str, QFileDialog.AcceptMode, list[str]]] = []
    _answer(_choose(backup), seen)
    assert ask_open_path(parent, "Vérifier une sauvegarde", tmp_path, "*.sillage") == backup
    assert seen == [("Vérifier une sauvegarde", QFileDialog.AcceptMode.AcceptOpen, ["*.sillage"])]
    _answer(lambda d: d.reject(), seen)
    assert ask_folder(parent, "Dossier de sauvegarde habituel", tmp_path) is None


def test_the_dialog_a_form_opens_saves(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    parent = QWidget()
    qtbot.addWidget(parent)
    dialog = save_file_dialog(parent, "Enregistrer sous", tmp_path / "rapport.pdf", "PDF (*.pdf)")
    assert dialog.acceptMode() is QFileDialog.AcceptMode.AcceptSave
    assert dialog.windowTitle() == "Enregistrer sous" and dialog.nameFilters() == ["PDF (*.pdf)"]
    with qtbot.waitSignal(dialog.fileSelected) as chosen:
        dialog.open()
        dialog.selectFile(str(tmp_path / "rapport.pdf"))
        dialog.accept()
    assert Path(chosen.args[0]) == tmp_path / "rapport.pdf"
