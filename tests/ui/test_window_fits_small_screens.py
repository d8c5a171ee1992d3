"""Issue 15: the main window fits a 1366×768 laptop screen with its task bar (about 728 pixels
of height left), whatever page the profile has: no page may ask for more room than that (the
pages share one stack, so the largest minimum of any page is the window's minimum; the side
bar takes about 190 pixels of the width)."""

from __future__ import annotations

from app.dossiers.service import DossierService
from tests.conftest import WorkspaceHandle
from tests.ui.conftest import login
from ui.session_controller import SessionController

SCREEN_WIDTH, USABLE_HEIGHT = 1366, 728


def test_the_director_window_fits_a_1366x768_screen(qtbot, controller: SessionController, ws: WorkspaceHandle) -> None:  # type: ignore[no-untyped-def]
    session = ws.login()
    DossierService(session).create_dossier(last_name="Lefèvre", first_names="Éloïse",
                                           birth_date="2011-02-14", unit_id=1)
    session.close()
    login(qtbot, controller)
    main = controller.main
    assert main is not None
    too_big = []
    for key in main.page_keys():
        main.show_page(key)
        hint = main.pages.currentWidget().minimumSizeHint()
        if hint.width() > SCREEN_WIDTH - 200 or hint.height() > USABLE_HEIGHT - 150:
            too_big.append(f"{key}: {hint.width()}×{hint.height()}")
    minimum = main.minimumSizeHint()
    assert not too_big, too_big
    assert minimum.width() <= SCREEN_WIDTH and minimum.height() <= USABLE_HEIGHT, minimum
    main.resize(SCREEN_WIDTH, USABLE_HEIGHT)
    qtbot.waitUntil(lambda: main.width() <= SCREEN_WIDTH and main.height() <= USABLE_HEIGHT, timeout=2000)
