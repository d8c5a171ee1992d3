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
