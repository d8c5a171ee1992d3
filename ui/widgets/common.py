"""Small widgets shared by the screens."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, QSize
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QFrame, QLabel, QProgressBar, QScrollArea, QWidget


def error_label(text: str = "") -> QLabel:
    """A wrapped label in the error style (red, bold), for messages next to what they concern."""
    label = QLabel(text)
    label.setObjectName("error")
    label.setWordWrap(True)
    return label


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
