"""The registry of sidebar pages (ui/pages.py, issue 9): one entry a page, agreeing with the
sections ``app`` grants and with the pages' own badge signals."""

from __future__ import annotations

from PySide6.QtCore import Signal

from app.session_overview import session_overview
from tests.conftest import WorkspaceHandle
from tests.ui.conftest import login
from ui.pages import BY_KEY, PAGES
from ui.session_controller import SessionController


def test_one_entry_a_page_and_badges_only_where_the_page_counts() -> None:
    assert len(BY_KEY) == len(PAGES)
    for page in PAGES:
        counts = isinstance(getattr(page.factory, "count_changed", None), Signal)
        assert counts is page.badge, page.key


def test_the_director_sidebar_follows_the_granted_sections_in_order(
    qtbot, controller: SessionController, ws: WorkspaceHandle  # type: ignore[no-untyped-def]
) -> None:
    login(qtbot, controller)
    main = controller.main
    assert main is not None
    session = ws.login()
    granted = session_overview(session).sections
    session.close()
    assert main.page_keys() == list(granted)
    titles = [main.sidebar.item(i).text() for i in range(main.sidebar.count())]
    assert [t.split(" (")[0] for t in titles] == [BY_KEY[key].title for key in granted]
