"""Render the main screens of the demo workspace to PNG files, to look at them.

    QT_QPA_PLATFORM=offscreen python tools/screens.py OUTDIR
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication  # noqa: E402

from app.demo import DemoOptions, create_demo  # noqa: E402
from app.workspace import Workspace  # noqa: E402
from ui.style import STYLESHEET  # noqa: E402


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "screens")
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication([])
    app.setStyleSheet(STYLESHEET)
    base = Path(tempfile.mkdtemp())
    ws = Workspace(base / "demo")
    result = create_demo(ws, DemoOptions(youths=80, journal_rows=3000, seed=4))
    accounts = {a.profile: a for a in result.accounts}
    ws = Workspace(base / "demo")
    ws.acquire()

    from ui.app import Controller

    controller = Controller(ws)
    controller.start()
    controller.login.login_edit.setText("educ")
    app.processEvents()
    controller.login.grab().save(str(out / "01-login.png"))

    def as_user(profile: str) -> None:
        account = accounts[profile]
        session = ws.login(account.login, account.password)
        from app.auth.service import AccountService

        AccountService(session).accept_charter()
        controller.on_logged_in(session)
        app.processEvents()

    as_user("direction")
    main = controller.main
    assert main is not None
    main.resize(1366, 768)
    page = main.pages.widget(0)
    app.processEvents()
    main.grab().save(str(out / "02-list.png"))
    table = page.table  # type: ignore[attr-defined]
    table.selectRow(0)
    app.processEvents()
    pane = page.pane  # type: ignore[attr-defined]
    main.grab().save(str(out / "03-dossier-identity.png"))
    sensitive = next(c.id for c in pane.catalogue.categories if c.sensitive and not c.repeating
                     and not c.consent and c.id in pane.panels)
    pane.show_tab(sensitive)
    app.processEvents()
    main.grab().save(str(out / "04-dossier-masked.png"))
    pane.panels[sensitive].reveal()
    app.processEvents()
    main.grab().save(str(out / "05-dossier-revealed.png"))
    if "suivi" in pane.panels:
        pane.show_tab("suivi")
        pane.panels["suivi"].start_new()
        app.processEvents()
        main.grab().save(str(out / "06-follow-up.png"))
        pane.panels["suivi"].close_form()
    pane.show_tab("consentements")
    app.processEvents()
    main.grab().save(str(out / "07-consents.png"))
    main.show_page("journal")
    journal = main.pages.currentWidget()
    journal.run_search()  # type: ignore[attr-defined]
    app.processEvents()
    main.grab().save(str(out / "08-journal.png"))
    main.show_page("comptes")
    app.processEvents()
    main.grab().save(str(out / "09-accounts.png"))
    main.show_page("parametres")
    app.processEvents()
    main.grab().save(str(out / "09b-settings.png"))
    controller.watcher.remaining.emit(25)
    controller.watcher.warn.emit(25)
    app.processEvents()
    main.grab().save(str(out / "10-lock-warning.png"))
    controller.lock()
    app.processEvents()
    assert controller.lock_screen is not None
    controller.lock_screen.grab().save(str(out / "11-lock-screen.png"))
    controller.switch_user()
    as_user("educateur")
    assert controller.main is not None
    controller.main.resize(1366, 768)
    app.processEvents()
    controller.main.grab().save(str(out / "12-educator-list.png"))
    controller.shutdown()
    shutil.rmtree(base, ignore_errors=True)
    print(f"Screens written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
