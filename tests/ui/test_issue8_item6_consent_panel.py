"""Issue 8 item 6 — the consent form offers the holder by age and records the real date (R-4.6)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.auth.service import AccountService
from app.dossiers.service import DossierService
from tests.conftest import WorkspaceHandle
from ui.widgets.consent_panel import ConsentPanel
from ui.windows.youth_page import YouthPage


def test_item6_consent_form_default_holder_and_real_date(qtbot, ws: WorkspaceHandle) -> None:  # type: ignore[no-untyped-def]
    session = ws.login()
    AccountService(session).accept_charter()
    service = DossierService(session)
    minor = service.create_dossier(last_name="Roux", first_names="Jade", birth_date="2012-06-01", unit_id=1)
    adult = service.create_dossier(last_name="Bon", first_names="Ali", birth_date="2006-01-15", unit_id=1)
    page = YouthPage(session)
    qtbot.addWidget(page)

    page.open_dossier(adult)
    assert page.pane is not None
    panel = page.pane.panels["consentements"]
    assert isinstance(panel, ConsentPanel)
    panel.select_type("convictions")
    assert (panel.role.currentData(), panel.given_by.text()) == ("jeune", "Ali Bon")
    assert panel.date.text() == "23/11/2026"  # today, by the injected clock

    page.open_dossier(minor)
    panel = page.pane.panels["consentements"]
    assert isinstance(panel, ConsentPanel)
    panel.select_type("sante_sejour")
    assert (panel.role.currentData(), panel.given_by.text()) == ("representant_legal", "")
    panel.select_type("vie_sexuelle")
    assert panel.role.currentData() == "jeune"
    panel.select_type("sante_sejour")
    panel.given_by.insert("Marc Roux")
    panel.date.clear()
    qtbot.keyClicks(panel.date, "15/09/2026")  # signed in September, entered today
    qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(service.consents.of_dossier(minor)), timeout=5000)
    consent = service.consents.of_dossier(minor)[0]
    assert (consent.consent_type, consent.given_by_role, consent.recorded_on) == (
        "sante_sejour", "representant_legal", "2026-09-15")
    session.close()
