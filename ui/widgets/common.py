"""Small widgets shared by the screens."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import QEvent, QObject, QSize
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)


def error_label(text: str = "") -> QLabel:
    """A wrapped label in the error style (red, bold), for messages next to what they concern."""
    label = QLabel(text)
    label.setObjectName("error")
    label.setWordWrap(True)
    return label


def text_field(name: str, *, max_length: int = 0, placeholder: str = "") -> QLineEdit:
    """A one-line input named ``name`` for screen readers; ``max_length`` bounds what is typed."""
    edit = QLineEdit()
    if max_length:
        edit.setMaxLength(max_length)
    if placeholder:
        edit.setPlaceholderText(placeholder)
    edit.setAccessibleName(name)
    return edit


def choice_field(name: str, items: Iterable[tuple[Any, str]]) -> QComboBox:
    """A closed list named ``name``: each (code, label) shows its label and keeps its code."""
    combo = QComboBox()
    for code, label in items:
        combo.addItem(label, code)
    combo.setAccessibleName(name)
    return combo


def note(text: str = "", style: str = "") -> QLabel:
    """A wrapped label; ``style`` is its object name in the style sheet ("title", "subtitle",
    "notice"…)."""
    label = QLabel(text)
    label.setWordWrap(True)
    if style:
        label.setObjectName(style)
    return label


def heading(text: str, style: str = "title") -> QLabel:
    """A page's title ("title") or a section's ("subtitle")."""
    label = QLabel(text)
    label.setObjectName(style)
    return label


def page_layout(owner: QWidget, title: str = "", intro: str = "", *, title_style: str = "title",
                intro_style: str = "", margins: int | None = None) -> QVBoxLayout:
    """The layout of a page or a dialog, opened by its title and its introduction when given."""
    layout = QVBoxLayout(owner)
    if margins is not None:
        layout.setContentsMargins(margins, margins, margins, margins)
    if title:
        layout.addWidget(heading(title, title_style))
    if intro:
        layout.addWidget(note(intro, intro_style))
    return layout


def button(text: str, on_click: Callable[[], Any], *, primary: bool = False, default: bool = False) -> QPushButton:
    """A push button doing ``on_click``; ``primary`` in the accent colour, ``default`` for Enter."""
    widget = QPushButton(text)
    if primary:
        widget.setObjectName("primary")
    widget.setDefault(default)
    widget.clicked.connect(on_click)
    return widget


def button_row(*items: QWidget | None) -> QHBoxLayout:
    """Widgets side by side; ``None`` stands for the space that pushes them apart. Without it,
    they sit at the left."""
    row = QHBoxLayout()
    for item in items:
        if item is None:
            row.addStretch(1)
        else:
            row.addWidget(item)
    if all(item is not None for item in items):
        row.addStretch(1)
    return row


def dialog_buttons(dialog: QDialog, ok_text: str, on_ok: Callable[[], Any],
                   cancel_text: str | None = "Annuler") -> tuple[QDialogButtonBox, QPushButton]:
    """The buttons at the foot of a dialog: ``ok_text`` calls ``on_ok`` (which accepts the
    dialog when it is done), ``cancel_text`` rejects it."""
    buttons = QDialogButtonBox()
    ok = buttons.addButton(ok_text, QDialogButtonBox.ButtonRole.AcceptRole)
    buttons.accepted.connect(on_ok)
    if cancel_text:
        buttons.addButton(cancel_text, QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(dialog.reject)
    return buttons, ok


def scrolled(owner: QWidget, margins: int = 0) -> QVBoxLayout:
    """Fill ``owner`` with a scroll area and return the layout of its content, so that a form
    keeps its height in a short window (1366×768) or at large text instead of being squeezed."""
    outer = QVBoxLayout(owner)
    outer.setContentsMargins(margins, margins, margins, margins)
    scroll = FittingScrollArea()
    content = QWidget()
    scroll.setWidget(content)
    outer.addWidget(scroll)
    return QVBoxLayout(content)


def busy_bar(name: str = "Traitement en cours") -> QProgressBar:
    """A thin bar that moves while work runs off the GUI thread; hidden until then."""
    bar = QProgressBar()
    bar.setRange(0, 0)
    bar.setTextVisible(False)
    bar.setMaximumHeight(6)
    bar.setAccessibleName(name)
    bar.setVisible(False)
    return bar


def show_message(label: QLabel, text: str, kind: str = "error") -> None:
    """Say ``text`` in the style of its kind: "error" (red), "success" (green) or "notice"
    (muted). A success is never shown in the error style (UI.md: red is for danger only)."""
    label.setObjectName(kind)
    style = label.style()
    style.unpolish(label)
    style.polish(label)
    label.setText(text)


def clear_layout(layout: Any) -> None:
    """Remove every widget of a layout at once (hidden and detached now, deleted later), so that
    old and new content never overlap until the event loop runs; nested layouts too."""
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget()
        if widget is not None:
            widget.hide()
            widget.setParent(None)
            widget.deleteLater()
        elif item.layout() is not None:
            clear_layout(item.layout())


class WrappingLabel(QLabel):
    """A wrapped label that asks for the height its lines need at the width it was given:
    layouts (QFormLayout, QScrollArea) do not always ask a label for its height for a width, and
    squeezed long values to fewer lines than they need."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setWordWrap(True)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        needed = self.heightForWidth(self.width())
        if needed > 0 and needed != self.minimumHeight():
            self.setMinimumHeight(needed)


class FormLabel(WrappingLabel):
    """A form label that reads whole: on one line up to ``MAX_WIDTH`` pixels, wrapped beyond,
    and always as tall as its wrapped text (« Date de naissance » was clipped to its middle
    line). Sizes follow the font, so they stay right at 125 % and 150 % text size."""

    MAX_WIDTH = 280

    def _natural_width(self) -> int:
        margins = self.contentsMargins()
        text_width = max((self.fontMetrics().horizontalAdvance(line) for line in self.text().splitlines()),
                         default=0)
        return min(text_width + margins.left() + margins.right() + 2, self.MAX_WIDTH)

    def sizeHint(self) -> QSize:
        width = self._natural_width()
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()


class FittingScrollArea(QScrollArea):
    """A scroll area that gives its content the height its wrapped text needs at the current
    width. QScrollArea asks its widget only for a size hint, never a height for a width, so
    wrapped labels in a form were squeezed to fewer lines than they need."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)

    def setWidget(self, widget: QWidget) -> None:
        super().setWidget(widget)
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self.fit()
        return super().eventFilter(watched, event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit()

    def fit(self) -> None:
        widget = self.widget()
        if widget is not None and widget.hasHeightForWidth():
            widget.setMinimumHeight(widget.heightForWidth(self.viewport().width()))
