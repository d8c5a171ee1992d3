"""Visible focus on every control reached with Tab, and text contrast ≥ 4.5:1 (issue 15, UI.md)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractItemView, QApplication, QWidget

from app.auth.service import AccountService
from app.dossiers.service import DossierService
from tests.conftest import WorkspaceHandle
from ui import style
from ui.session_controller import SessionController
from ui.widgets.dossier_pane import DossierPane


def contrast(foreground: QColor, background: QColor) -> float:
    def luminance(color: QColor) -> float:
        def channel(c: float) -> float:
            return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

        return 0.2126 * channel(color.redF()) + 0.7152 * channel(color.greenF()) + 0.0722 * channel(color.blueF())

    high, low = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_every_text_colour_pair_has_enough_contrast(qapp: QApplication) -> None:
    window = qapp.palette().color(QPalette.ColorRole.Window)
    base = qapp.palette().color(QPalette.ColorRole.Base)
    failures = []
    for fg, bg, where in style.TEXT_PAIRS:
        backgrounds = [window, base] if bg == "window" else [QColor(bg)]
        for background in backgrounds:
            ratio = contrast(QColor(fg), background)
            if ratio < 4.5:
                failures.append(f"{where}: {fg} on {background.name()} = {ratio:.2f}")
    assert not failures, failures
    # the check itself can fail: a pale grey on white does not pass
    assert contrast(QColor("#9e9e9e"), QColor("#ffffff")) < 4.5


@pytest.fixture
def main_window(qtbot, qapp: QApplication, ws: WorkspaceHandle) -> Iterator[QWidget]:  # type: ignore[no-untyped-def]
    session = ws.login()
    AccountService(session).accept_charter()
    service = DossierService(session)
    for last, first in (("Roux", "Tom"), ("Petit", "Léa"), ("Blanc", "Inès")):
        service.create_dossier(last_name=last, first_names=first, birth_date="2012-05-04", unit_id=1)
    qapp.setStyleSheet(style.STYLESHEET)
    controller = SessionController(ws.workspace)
    controller.on_logged_in(session)
    main = controller.main
    assert main is not None
    main.resize(1366, 768)
    main.show()
    qtbot.waitExposed(main)
    main.activateWindow()
    qtbot.waitUntil(main.isActiveWindow, timeout=5000)
    page = main.pages.currentWidget()
    view = next(v for v in page.findChildren(QAbstractItemView) if v.model() and v.model().rowCount(QModelIndex()) == 3)
    view.setCurrentIndex(view.model().index(0, 0, QModelIndex()))
    for pane in main.findChildren(DossierPane):  # tabs are built between events: let them be
        qtbot.waitUntil(lambda p=pane: not p.prebuilding, timeout=10000)
    qapp.processEvents()
    if not main.isActiveWindow():
        main.activateWindow()
        qtbot.waitUntil(main.isActiveWindow, timeout=5000)
    yield main
    controller.shutdown()
    qapp.setStyleSheet("")


def _render(widget: QWidget) -> QImage:
    return widget.grab().toImage()


def test_tabbing_through_the_main_window_shows_where_the_focus_is(qtbot, qapp: QApplication, main_window: QWidget) -> None:  # type: ignore[no-untyped-def]
    main_window.sidebar.setFocus(Qt.FocusReason.TabFocusReason)  # type: ignore[attr-defined]
    qapp.processEvents()
    widget = qapp.focusWidget()
    seen: list[QWidget] = []
    invisible: list[str] = []
    for _ in range(120):
        assert widget is not None
        if widget in seen:
            break
        seen.append(widget)
        focused = _render(widget)
        widget.clearFocus()
        qapp.processEvents()
        unfocused = _render(widget)
        widget.setFocus(Qt.FocusReason.TabFocusReason)
        qapp.processEvents()
        if focused == unfocused:
            invisible.append(f"{type(widget).__name__} « {widget.accessibleName() or widget.objectName()} »")
        QTest.keyClick(widget, Qt.Key.Key_Tab)
        widget = qapp.focusWidget()  # where Tab took the focus
        qapp.processEvents()
        for pane in main_window.findChildren(DossierPane):  # a row reached by Tab opens its dossier
            qtbot.waitUntil(lambda p=pane: not p.prebuilding, timeout=10000)
        if not main_window.isActiveWindow():
            # The offscreen platform sometimes deactivates the window when a widget's size hints
            # change; a real desktop does not. Activate it again and go on from where Tab went.
            main_window.activateWindow()
            qtbot.waitUntil(main_window.isActiveWindow, timeout=5000)
            assert widget is not None
            widget.setFocus(Qt.FocusReason.TabFocusReason)
            qapp.processEvents()
    assert len(seen) >= 8, f"Tab reached only {len(seen)} controls"
    assert not invisible, f"focus not drawn on: {invisible}"
