"""What a person waits for in the GUI, on the big demo (issue 16, SPEC §11). Not part of the test run.

    python tests/perf/gui_bench.py [--workspace DIR] [--youths 10000] [--journal-rows 1000000] [--runs 3]

Drives the real widgets offscreen — login window, youth list, dossier pane, journal page — and
times each interaction until pending events are delivered and the widgets it changed have been
repainted (``repaint()`` paints synchronously; the login is timed to a full repaint of the window).
Each run is a fresh process; the table gives the median over runs of p50, p95 and max, and the
peak resident memory (VmHWM) of the session. The workspace is created once in DIR and reused.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

TARGETS = {  # interaction -> p95 target in ms (issue 16)
    "login submitted → main window painted": 800,
    "click on a list row → dossier painted": 50,
    "switch to another tab of the dossier": 16,
    "first keystroke in the search box": 50,
    "next keystrokes": 16,
    "clearing the search": 50,
    "journal search, no filter": 300,
    "journal search by user": 300,
}


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def one_run(root: Path, login: str, password: str) -> dict[str, object]:
    """Runs inside a fresh process: returns {interaction: [seconds...], "peak_kib": int}."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from app.auth.service import AccountService
    from app.workspace import Workspace
    from ui.gc_guard import GuiThreadCollector
    from ui.i18n import install_french
    from ui.session_controller import SessionController
    from ui.style import STYLESHEET
    from ui.windows.journal_page import JournalPage
    from ui.windows.youth_page import YouthPage

    phases: dict[str, int] = {}

    def mark(phase: str) -> None:
        status = Path("/proc/self/status").read_text().splitlines()
        phases[phase] = int(next(line.split()[1] for line in status if line.startswith("VmRSS")))

    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    app.setStyleSheet(STYLESHEET)
    install_french(app)
    collector = GuiThreadCollector(app)  # as run_gui does  # noqa: F841
    times: dict[str, list[float]] = {name: [] for name in TARGETS}

    def settle(*widgets: object) -> None:
        """Deliver pending events (which paints the dirty regions), then force a synchronous
        repaint of the widgets the interaction changed, so painting is always in the figure."""
        app.processEvents()
        for widget in widgets:
            widget.repaint()  # type: ignore[attr-defined]

    def wait_until(cond: object, timeout: float = 60.0) -> None:
        end = time.perf_counter() + timeout
        while not cond():  # type: ignore[operator]
            app.processEvents()
            if time.perf_counter() > end:
                raise TimeoutError
            time.sleep(0.0005)

    workspace = Workspace(root)
    workspace.acquire()
    # the charter is accepted once, outside the timing, so that login goes straight to the window
    session = workspace.login(login, password)
    AccountService(session).accept_charter()
    session.close()
    controller = SessionController(workspace)
    controller.start()
    app.processEvents()
    form = controller.login
    QTest.keyClicks(form.login_edit, login)
    QTest.keyClicks(form.password_edit, password)
    started = time.perf_counter()
    QTest.mouseClick(form.submit, Qt.MouseButton.LeftButton)
    wait_until(lambda: controller.main is not None and controller.main.isVisible())
    main = controller.main
    assert main is not None
    main.resize(1366, 768)
    settle(main)
    times["login submitted → main window painted"].append(time.perf_counter() - started)

    mark("logged in")
    youth = next(w for w in main.findChildren(YouthPage))
    main.sidebar.setCurrentRow(main.pages.indexOf(youth))
    settle(main)
    table, proxy = youth.table, youth.model
    # click on list rows
    for row in range(0, min(proxy.rowCount(), 40 * 37), 37):
        index = proxy.index(row, 0)
        rect = table.visualRect(index)
        table.scrollTo(index)
        app.processEvents()
        rect = table.visualRect(index)
        started = time.perf_counter()
        QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        settle(table.viewport(), youth.right)
        times["click on a list row → dossier painted"].append(time.perf_counter() - started)
        pane = youth.pane
        assert pane is not None and pane.dossier_id == proxy.data(index, Qt.ItemDataRole.UserRole)
        if row % 4 == 0:
            for tab in range(1, min(pane.tabs.count(), 8)):
                started = time.perf_counter()
                pane.tabs.setCurrentIndex(tab)
                settle(pane.tabs)
                times["switch to another tab of the dossier"].append(time.perf_counter() - started)
            pane.tabs.setCurrentIndex(0)
    mark("after the dossier clicks")
    # search as you type
    for word in ("durand", "martin", "lefebvre", "bernard", "petit"):
        youth.search.setFocus()
        for k, letter in enumerate(word):
            started = time.perf_counter()
            QTest.keyClick(youth.search, letter)
            settle(youth.search, table.viewport(), youth.count_label)
            name = "first keystroke in the search box" if k == 0 else "next keystrokes"
            times[name].append(time.perf_counter() - started)
        started = time.perf_counter()
        youth.search.clear()
        settle(youth.search, table.viewport(), youth.count_label)
        times["clearing the search"].append(time.perf_counter() - started)
    mark("after the searches")
    # journal
    journal = next(w for w in main.findChildren(JournalPage))
    main.sidebar.setCurrentRow(main.pages.indexOf(journal))
    settle(main)
    for _ in range(5):
        journal.user.setCurrentIndex(0)
        started = time.perf_counter()
        QTest.mouseClick(journal.search_button, Qt.MouseButton.LeftButton)
        settle(journal.table.viewport(), journal.status)
        times["journal search, no filter"].append(time.perf_counter() - started)
    for k in range(1, min(journal.user.count(), 6)):
        journal.user.setCurrentIndex(k)
        started = time.perf_counter()
        QTest.mouseClick(journal.search_button, Qt.MouseButton.LeftButton)
        settle(journal.table.viewport(), journal.status)
        times["journal search by user"].append(time.perf_counter() - started)
    mark("after the journal searches")
    peak = int(next(line.split()[1] for line in Path("/proc/self/status").read_text().splitlines()
                    if line.startswith("VmHWM")))
    controller.shutdown()
    return {"times": times, "peak_kib": peak, "phases": phases}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workspace", type=Path, default=Path("/tmp/sillage-gui-bench"))
    parser.add_argument("--youths", type=int, default=10_000)
    parser.add_argument("--journal-rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", nargs=2, metavar=("LOGIN", "PASSWORD"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    accounts = args.workspace.with_name(args.workspace.name + ".accounts.json")
    if args.child:
        print(json.dumps(one_run(args.workspace, *args.child)))
        return 0
    if not accounts.exists():
        from app.demo import DemoOptions, create_demo
        from app.workspace import AppContext, Workspace

        print(f"Creating {args.youths} dossiers and {args.journal_rows} journal rows in {args.workspace}…",
              flush=True)
        result = create_demo(Workspace(args.workspace, AppContext()),
                             DemoOptions(youths=args.youths, journal_rows=args.journal_rows, seed=1))
        director = next(a for a in result.accounts if a.profile == "direction")
        accounts.write_text(json.dumps([director.login, director.password]))
    login, password = json.loads(accounts.read_text())
    runs = []
    for k in range(args.runs):
        out = subprocess.run([sys.executable, __file__, "--workspace", str(args.workspace), "--child", login,
                              password], capture_output=True, text=True, timeout=1800)
        if out.returncode != 0:
            print(out.stderr[-3000:])
            return 1
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
        print(f"run {k + 1}/{args.runs} done", flush=True)
    print("\n| interaction | p50 | p95 | max | target p95 |\n|---|---|---|---|---|")
    for name, target in TARGETS.items():
        samples = [r["times"][name] for r in runs]
        if not all(samples):
            continue
        figures = [statistics.median(f(s) * 1000 for s in samples) for f in (statistics.median, p95, max)]
        print(f"| {name} (n={len(samples[0])}) | {figures[0]:.0f} ms | {figures[1]:.0f} ms | "
              f"{figures[2]:.0f} ms | ≤ {target} ms |")
    peak = statistics.median(r["peak_kib"] for r in runs) / 1024
    print(f"| peak memory of the session | {peak:.0f} MiB | | | ≤ 200 MiB |")
    phases = runs[-1]["phases"]
    print("\nresident memory by phase (last run): " + ", ".join(
        f"{name} {kib / 1024:.0f} MiB" for name, kib in phases.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
