"""R-5.7: after a month without use, the director confirms the computer's date in a dialog,
the decision is journaled and the expiry then runs."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QMessageBox

from tests.conftest import WorkspaceHandle
from tests.store_access import store_of
from tests.ui.conftest import login
from ui.session_controller import SessionController


def test_director_confirms_the_date_after_a_month_unused(qtbot, ws: WorkspaceHandle) -> None:  # type: ignore[no-untyped-def]
    from app.auth.service import AccountService
    from tests.ui.conftest import ManualTimer

    session = ws.login()
    AccountService(session).accept_charter()
    session.close()
    ws.clock.advance(days=30)
    ctl = SessionController(ws.workspace, timer_factory=lambda parent: ManualTimer(parent))
    qtbot.addWidget(ctl.login)
    ctl.start()
    try:
        login(qtbot, ctl)
        box = next(w for w in QApplication.topLevelWidgets()
                   if isinstance(w, QMessageBox) and w.objectName() == "confirmBox" and w.isVisible())
        assert "L'horloge de l'ordinateur indique le" in box.text()
        assert "la dernière activité date du" in box.text()
        confirm_button = next(b for b in box.buttons() if b.text() == "Confirmer la date")
        confirm_button.click()
        qtbot.waitUntil(lambda: ctl.session is not None and ctl.session.workspace.last_rotation is not None
                        and ctl.session.workspace.last_rotation.done, timeout=5000)
        assert ctl.session is not None
        details = [e.detail for e in store_of(ctl.session).journal.iter_entries()]
        assert any(d.startswith("date de l'horloge confirmée") for d in details)
    finally:
        ctl.shutdown()
