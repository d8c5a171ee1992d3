"""Small icons drawn with QPainter, so that no emoji font is needed on the workstation."""

from __future__ import annotations

import functools

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPen, QPixmap

from ui.style import ACCENT


@functools.cache
def lock_icon(colour: str = ACCENT) -> QIcon:
    pixmap = QPixmap(32, 32)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    pen = QPen(QColor(colour), 3.2)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawArc(QRectF(9, 3, 14, 16), 0, 180 * 16)
    painter.drawLine(9, 11, 9, 15)
    painter.drawLine(23, 11, 23, 15)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(colour))
    painter.drawRoundedRect(QRectF(5, 14, 22, 16), 3, 3)
    painter.setBrush(QColor("white"))
    painter.drawEllipse(QRectF(14, 19, 4, 4))
    painter.end()
    return QIcon(pixmap)


@functools.cache
def warning_icon(colour: str) -> QIcon:
    """A warning triangle with an exclamation mark (overdue deadlines: icon and words, not only colour)."""
    pixmap = QPixmap(32, 32)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(colour))
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QPolygonF

    painter.drawPolygon(QPolygonF([QPointF(16, 2), QPointF(31, 29), QPointF(1, 29)]))
    painter.setBrush(QColor("white"))
    painter.drawRoundedRect(QRectF(14, 10, 4, 11), 2, 2)
    painter.drawEllipse(QRectF(14, 23, 4, 4))
    painter.end()
    return QIcon(pixmap)
