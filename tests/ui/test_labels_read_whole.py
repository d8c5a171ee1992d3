"""Every label reads whole at 1366×768, at 100 %, 125 % and 150 % text size (issue 15): no
label clipped in height or cut in width, in every tab of a dossier, read and edit modes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLabel, QWidget

from app.auth.service import AccountService
from app.demo import DemoOptions, create_demo
from app.workspace import AppContext, Workspace
from tests.conftest import TEST_KDF
from ui import style
from ui.session_controller import SessionController


def clipped_labels(root: QWidget) -> list[str]:
    """Visible plain-text labels whose text does not fit in the space they were given."""
    problems = []
    for label in root.findChildren(QLabel):
        text = label.text()
        if not label.isVisible() or not text or label.textFormat() == Qt.TextFormat.RichText:
            continue
        if not label.pixmap().isNull():
            continue
        metrics = label.fontMetrics()
        room = label.contentsRect()
        if label.wordWrap():
            longest_word = max((metrics.horizontalAdvance(w) for w in text.split()), default=0)
            needed = label.heightForWidth(label.width())
            if room.height() + 1 < needed - (label.height() - room.height()) or longest_word > room.width() + 1:
                problems.append(f"« {text} » {label.width()}×{label.height()} needs height {needed}")
        else:
            lines = text.splitlines() or [text]
            width = max(metrics.horizontalAdvance(line) for line in lines)
            if width > room.width() + 1 or metrics.height() * len(lines) > room.height() + 1:
                problems.append(f"« {text} » {room.width()}×{room.height()} needs {width}×{metrics.height() * len(lines)}")
    return problems


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Workspace, tuple[str, str]]]:
    root = tmp_path_factory.mktemp("labels") / "demo"
    result = create_demo(Workspace(root, AppContext(kdf_policy=TEST_KDF)), DemoOptions(youths=30, journal_rows=200, seed=5))
    director = next(a for a in result.accounts if a.profile == "direction")
    yield Workspace(root, AppContext(kdf_policy=TEST_KDF)), (director.login, director.password)


@pytest.mark.parametrize("points", [10.5, 13.125, 15.75], ids=["100%", "125%", "150%"])
def test_every_dossier_label_reads_whole(qtbot, qapp: QApplication, demo, points: float) -> None:  # type: ignore[no-untyped-def]
    workspace, (login, password) = demo
    qapp.setStyleSheet(style.STYLESHEET.replace("font-size: 10.5pt", f"font-size: {points}pt"))
    controller = SessionController(workspace)
    try:
        session = workspace.login(login, password)
        AccountService(session).accept_charter()
        controller.on_logged_in(session)
        main = controller.main
        assert main is not None
        main.resize(1366, 768)
        main.show()
        qtbot.waitExposed(main)
        page = main.pages.currentWidget()
        view = next(v for v in page.findChildren(QAbstractItemView) if v.model() and v.model().rowCount(QModelIndex()) > 5)
        problems: list[str] = []
        checked = edited = 0
        for row in range(3):
            view.setCurrentIndex(view.model().index(row, 0, QModelIndex()))
            qapp.processEvents()
            tabs = page.pane.tabs
            for t in range(tabs.count()):
                tabs.setCurrentIndex(t)
                panel = page.pane.current_panel()  # the tab's page holds the panel once shown
                assert panel is not None
                if getattr(panel, "masked", False):
                    panel.reveal()  # type: ignore[attr-defined]
                qapp.processEvents()
                problems += [f"{tabs.tabText(t)} (lecture) : {p}" for p in clipped_labels(main)]
                if hasattr(panel, "start_edit") and getattr(panel, "editors", None) == {}:
                    panel.start_edit()
                    edited += 1
                    qapp.processEvents()
                    problems += [f"{tabs.tabText(t)} (saisie) : {p}" for p in clipped_labels(main)]
                    panel.show_read()  # type: ignore[attr-defined]
                    panel.editors = {}  # type: ignore[attr-defined]
                checked += len([lbl for lbl in main.findChildren(QLabel) if lbl.isVisible()])
        assert checked > 300, f"only {checked} labels were looked at"
        assert edited >= 3 * 8, f"only {edited} tabs were checked in editing mode"
        assert not problems, "\n".join(sorted(set(problems))[:40])
    finally:
        controller.shutdown()
        workspace.release()
        qapp.setStyleSheet("")
