"""Where to save a file, which file to open, which folder: the file dialogs of every screen,
written once (« Enregistrer sous », « Ouvrir », « Choisir un dossier »). Each returns the path
chosen, or None when the person cancels; the screens keep a replaceable ``choose_path`` for
their tests."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

PDF = "*.pdf"


def ask_save_path(parent: QWidget, title: str, suggested: str | Path, file_filter: str = PDF) -> Path | None:
    """« Enregistrer sous »: the dialog asks before replacing an existing file."""
    name, _ = QFileDialog.getSaveFileName(parent, title, str(suggested), file_filter)
    return Path(name) if name else None


def save_file_dialog(parent: QWidget, title: str, suggested: str | Path, file_filter: str = PDF) -> QFileDialog:
    """The same question as a dialog to ``open()`` (its ``fileSelected`` gives the path), for a
    form that stays open while the person chooses."""
    dialog = QFileDialog(parent, title, str(suggested), file_filter)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    return dialog


def ask_open_path(parent: QWidget, title: str, folder: str | Path, file_filter: str) -> Path | None:
    name, _ = QFileDialog.getOpenFileName(parent, title, str(folder), file_filter)
    return Path(name) if name else None


def ask_folder(parent: QWidget, title: str, folder: str | Path | None = None) -> Path | None:
    chosen = QFileDialog.getExistingDirectory(parent, title, str(folder or Path.home()))
    return Path(chosen) if chosen else None
