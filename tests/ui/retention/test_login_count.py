"""R-6.2: at login the director sees how many dossiers wait for a retention decision."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.dossiers.service import DossierService
from app.session_overview import session_overview
from tests.app.retention.conftest import World
from tests.conftest import WorkspaceHandle
from tests.ui.conftest import login
from ui.session_controller import SessionController


def test_r6_2_the_director_sees_the_count_at_login_and_goes_to_the_page(qtbot, ws: WorkspaceHandle,  # type: ignore[no-untyped-def]
                                                                        controller: SessionController) -> None:
    session = ws.login()
    service = DossierService(session)
    for name, contact in (("Roux", "2023-06-01"), ("Petit", "2023-11-01"), ("Blanc", "2025-11-01")):
        d = service.create_dossier(last_name=name, first_names="Alex", birth_date="2010-03-04", unit_id=1)
        service.records.add(d, "suivi", {"date": contact, "type": "entretien"})
    session.close()
    login(qtbot, controller)
    main = controller.main
    assert main is not None
    main.show()
    assert main.retention_notice.isVisible()
    assert main.retention_notice_label.text().startswith("2 dossiers sont à traiter")
    keys = main.page_keys()
    assert main.sidebar.item(keys.index("a_traiter")).text() == "À traiter (2)"
    qtbot.mouseClick(main.retention_open, Qt.MouseButton.LeftButton)
    assert main.page_keys()[main.sidebar.currentRow()] == "a_traiter"
    assert not main.retention_notice.isVisible()


def test_r6_2_no_count_at_login_for_the_head_of_service_only_the_badge(world: World) -> None:
    world.dossier("Roux", "Jade", contact_on="2023-06-01")
    assert session_overview(world.director).retention_due == 1
    assert session_overview(world.chef).retention_due == 0
