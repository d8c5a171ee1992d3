"""How errors reach the person (R-9.4).

A ``KnownError`` is said in French next to what it concerns. Anything else is a bug: a report is
written under a short reference (``app.bug_report``: types and frames only) and the person is
told the reference and what to do, in a dialog.

Screens do not catch errors themselves: their actions are decorated with ``ui_action``, the
GUI's one action boundary. Background jobs hand their failure to ``report_error``.
"""

from __future__ import annotations

import functools
import inspect
import sys
from collections.abc import Callable
from types import TracebackType
from typing import Any, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLayout,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from app.bug_report import BugReport, internal_error_message, write_bug_report
from app.errors import KnownError
from ui.widgets.common import note

Say = Callable[[str], None]
F = TypeVar("F", bound=Callable[..., Any])


def short_internal_message(report: BugReport) -> str:
    return (f"Erreur interne (référence {report.reference}). Rien n'a été perdu. Réessayez ; si "
            "l'erreur revient, transmettez cette référence à votre support informatique.")


def user_message(exc: BaseException) -> str:
    """The French text for ``exc``; for a bug, its report is written and the text gives the
    reference and what to do."""
    if isinstance(exc, KnownError):
        return exc.message
    return internal_error_message(write_bug_report(exc))


class InternalErrorDialog(QDialog):
    """The R-9.4 dialog: what happened, the reference, what to do, where the report is."""

    def __init__(self, report: BugReport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.report = report
        self.setWindowTitle("Erreur interne — Sillage")
        self.setObjectName("internalError")
        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        title = QLabel("Sillage a rencontré une erreur inattendue")
        title.setObjectName("heading")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        title.setFont(font)
        layout.addWidget(title)
        layout.addWidget(self._text("Ce qui était déjà enregistré est intact : rien n'a été perdu."))
        self.reference = QLabel(f"Référence : {report.reference}")
        self.reference.setObjectName("reference")
        ref_font = self.reference.font()
        ref_font.setBold(True)
        ref_font.setPointSizeF(ref_font.pointSizeF() * 1.15)
        self.reference.setFont(ref_font)
        self.reference.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.reference.setAccessibleName("Référence de l'erreur")
        layout.addWidget(self.reference)
        steps = QLabel(
            "<b>Que faire ?</b><ol style='margin-left:0'>"
            "<li>Réessayez l'opération.</li>"
            "<li>Si l'erreur revient, fermez Sillage puis rouvrez-le.</li>"
            "<li>Si elle revient encore, transmettez la référence ci-dessus et le rapport "
            "d'erreur à votre support informatique.</li></ol>"
        )
        steps.setTextFormat(Qt.TextFormat.RichText)
        steps.setWordWrap(True)
        steps.setMinimumWidth(steps.fontMetrics().averageCharWidth() * 95)
        layout.addWidget(steps)
        self.steps = steps
        if report.path is not None:
            layout.addWidget(self._text("Le rapport d'erreur est enregistré dans ce fichier :"))
            self.path = QLabel(str(report.path))
            self.path.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.path.setAccessibleName("Fichier du rapport d'erreur")
            layout.addWidget(self.path)
            where = ("Il ne contient ni mot de passe ni donnée personnelle : seulement le type de "
                     "l'erreur et les lignes du programme en cause.")
        else:
            where = "Le rapport d'erreur n'a pas pu être enregistré (dossier des journaux inaccessible)."
        self.where = self._text(where)
        layout.addWidget(self.where)
        buttons = QDialogButtonBox()
        self.copy_button = buttons.addButton("&Copier la référence", QDialogButtonBox.ButtonRole.ActionRole)
        self.close_button = buttons.addButton("&Fermer", QDialogButtonBox.ButtonRole.AcceptRole)
        self.copy_button.clicked.connect(self.copy_reference)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
        self.close_button.setDefault(True)
        # as tall as its wrapped text needs, no taller (no gaps between the lines)
        layout.setSizeConstraint(QLayout.SizeConstraint.SetFixedSize)

    @staticmethod
    def _text(text: str) -> QLabel:
        label = note(text)
        label.setMinimumWidth(label.fontMetrics().averageCharWidth() * 95)  # lines of ~80 characters
        return label

    def copy_reference(self) -> None:
        QGuiApplication.clipboard().setText(self.report.reference)
        self.copy_button.setText("Référence copiée")


#: the dialogs shown and still open (kept referenced; tests read the last one)
open_dialogs: list[InternalErrorDialog] = []


def report_error(exc: BaseException, say: Say | None = None, parent: QWidget | None = None) -> None:
    """Show ``exc`` to the person: a known error's message through ``say`` (or a message box);
    a bug through its report, the short text through ``say`` and the R-9.4 dialog."""
    if isinstance(exc, KnownError):
        if say is not None:
            say(exc.message)
        else:
            QMessageBox.warning(parent, "Sillage", exc.message)
        return
    report = write_bug_report(exc)
    if say is not None:
        say(short_internal_message(report))
    dialog = InternalErrorDialog(report, parent)
    if parent is None:  # nothing else on screen (start-up): wait until it has been read
        dialog.exec()
        return
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    open_dialogs.append(dialog)
    dialog.finished.connect(lambda _=0, d=dialog: open_dialogs.remove(d) if d in open_dialogs else None)
    dialog.open()


def _sayer(owner: Any, say: str | Callable[[Any, str], None] | None) -> Say | None:
    if say is None:
        return None
    if isinstance(say, str):
        label = getattr(owner, say)

        def set_text(text: str) -> None:
            label.setText(text)
            label.setVisible(True)

        return set_text
    return functools.partial(say, owner)


def install_excepthook() -> None:
    """A bug in a slot that no action wrapper covers still reaches the person: its report is
    written and the R-9.4 dialog shown over the active window (not only a line on stderr)."""
    previous = sys.excepthook

    def hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        if not isinstance(value, Exception):  # Ctrl+C, exit: not a bug
            previous(kind, value, tb)
            return
        report_error(value, parent=QApplication.activeWindow())

    sys.excepthook = hook


def run_action(fn: Callable[[], Any], say: Say | None = None, parent: QWidget | None = None) -> bool:
    """Run ``fn``; whatever it raises is shown (``report_error``). True if it succeeded."""
    try:
        fn()
    except Exception as exc:  # noqa: BLE001 - the GUI's one action boundary (R-9.4)
        report_error(exc, say, parent)
        return False
    return True


def ui_action(say: str | Callable[[Any, str], None] | None = None) -> Callable[[F], F]:
    """Decorate a screen's action (a method): errors it raises are shown, never lost.

    ``say`` is where a message goes: the name of a label attribute of the screen, or a function
    ``(screen, text)``; without it a message box is used. Bugs also get the R-9.4 dialog."""

    def decorate(fn: F) -> F:
        # Qt signals may pass more arguments than the action takes (an index, a checked state):
        # only as many as it accepts are passed on.
        code = fn.__code__
        takes = None if code.co_flags & inspect.CO_VARARGS else code.co_argcount - 1

        @functools.wraps(fn)
        def wrapper(self: Any, *args: Any, **kwargs: Any) -> None:
            passed = args if takes is None else args[:takes]
            run_action(lambda: fn(self, *passed, **kwargs), _sayer(self, say),
                       self if isinstance(self, QWidget) else None)

        return wrapper  # type: ignore[return-value]

    return decorate


__all__ = ["InternalErrorDialog", "install_excepthook", "open_dialogs", "report_error", "run_action",
           "short_internal_message", "ui_action", "user_message"]
