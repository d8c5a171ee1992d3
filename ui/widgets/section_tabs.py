"""The sections of a dossier as a grouped list beside the page shown (issue 15, UI.md).

Seventeen tabs did not fit a tab bar at 1366×768 (tiny scroll arrows hid most of them); a list
grouped under headings (« Le jeune », « Prise en charge », « Protégées ») shows them all
and reads top to bottom. The API is the part of QTabWidget's the dossier pane uses.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QIcon
from PySide6.QtWidgets import QHBoxLayout, QListView, QListWidget, QListWidgetItem, QStackedWidget, QWidget

from ui.style import ACCENT

LIST_WIDTH_CHARS = 25


class SectionTabs(QWidget):
    currentChanged = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        self.list = QListWidget()
        self.list.setObjectName("sections")
        self.list.setAccessibleName("Sections du dossier")
        self.list.setWordWrap(True)
        # laid out again when the view changes size (a scrollbar appearing or not), and never
        # elided: long section names wrap on two lines instead of ending in « … »
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.list.setFixedWidth(self.fontMetrics().averageCharWidth() * LIST_WIDTH_CHARS + 24)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setIconSize(QSize(14, 14))
        self.list.setSpacing(1)
        self.stack = QStackedWidget()
        layout.addWidget(self.list)
        layout.addWidget(self.stack, 1)
        self._row_of: list[int] = []  # page index -> list row
        self._group = ""
        self.list.currentRowChanged.connect(self._row_changed)

    # -- building --------------------------------------------------------------------------
    def addTab(self, page: QWidget, label: str, group: str = "") -> int:
        if group and group != self._group:
            self._group = group
            heading = QListWidgetItem(group)
            heading.setFlags(Qt.ItemFlag.ItemIsEnabled)  # drawn in full colour, never selected
            heading.setForeground(QColor(ACCENT))
            font = QFont(self.font())
            font.setBold(True)
            heading.setFont(font)
            heading.setSizeHint(self._size_for(group, icon_room=False, font=font))
            self.list.addItem(heading)
        item = QListWidgetItem(label)
        item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{group} : {label}" if group else label)
        item.setSizeHint(self._size_for(label, icon_room=True))
        self.list.addItem(item)
        self._row_of.append(self.list.count() - 1)
        self.stack.addWidget(page)
        if self.stack.count() == 1:
            self.setCurrentIndex(0)
        return self.stack.count() - 1

    def _size_for(self, text: str, *, icon_room: bool, font: QFont | None = None) -> QSize:
        """The height the wrapped text needs in the list's width: Qt's own estimate for wrapped
        items was made for another width and cut long names (« Scolarité et … »)."""
        self.list.ensurePolished()
        metrics = QFontMetrics(font or self.list.font())
        width = self.list.width() - 2 * self.list.frameWidth() - metrics.averageCharWidth()
        width -= self.list.verticalScrollBar().sizeHint().width()  # room for it when it shows
        if icon_room:
            width -= self.list.iconSize().width() + 6
        rect = metrics.boundingRect(QRect(0, 0, max(width, 40), 10_000),
                                    int(Qt.TextFlag.TextWordWrap), text)
        return QSize(max(width, 40), rect.height() + 6)

    def setTabIcon(self, index: int, icon: QIcon) -> None:
        self._item(index).setIcon(icon)

    def setTabToolTip(self, index: int, text: str) -> None:
        self._item(index).setToolTip(text)

    def clear(self) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        self.list.blockSignals(False)
        while (first := self.stack.widget(0)) is not None:
            self.stack.removeWidget(first)
        self._row_of = []
        self._group = ""

    # -- reading and moving ----------------------------------------------------------------
    def count(self) -> int:
        return self.stack.count()

    def currentIndex(self) -> int:
        return self.stack.currentIndex()

    def widget(self, index: int) -> QWidget:
        widget = self.stack.widget(index)
        if widget is None:
            raise IndexError(index)
        return widget

    def tabText(self, index: int) -> str:
        return self._item(index).text()

    def setCurrentIndex(self, index: int) -> None:
        if not 0 <= index < self.count():
            return
        self.list.setCurrentRow(self._row_of[index])

    def setCurrentWidget(self, page: QWidget) -> None:
        self.setCurrentIndex(self.stack.indexOf(page))

    def _item(self, index: int) -> QListWidgetItem:
        item = self.list.item(self._row_of[index])
        assert item is not None
        return item

    def _row_changed(self, row: int) -> None:
        if row in self._row_of:
            index = self._row_of.index(row)
            self.stack.setCurrentIndex(index)
            self.currentChanged.emit(index)  # silent while signals are blocked
