"""The document dialogs driven through the real widgets (R-8.1 to R-8.5, UI.md): the dossier's
Documents tab, the notice and judge-report dialogs asking to whom and why, the password shown
once, the statistics dialog, and the organisation settings."""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest
from PySide6.QtCore import Qt

from app.dossiers.service import DossierService
from app.journal.events import Action
from app.session import Session
from tests.conftest import WorkspaceHandle
from tests.reports.pdf_inspect import Pdf
from tests.store_access import store_of
from ui.widgets.documents_panel import NO_NOTICE, DocumentsPanel
from ui.widgets.dossier_pane import DossierPane


@pytest.fixture
def session(ws: WorkspaceHandle) -> Session:
    return ws.login()


@pytest.fixture
def pane(qtbot, session: Session) -> DossierPane:  # type: ignore[no-untyped-def]
    service = DossierService(session)
    dossier = service.create_dossier(last_name="Morel", first_names="Noé", birth_date="2014-05-05", unit_id=1)
    pane = DossierPane(service, dossier)
    qtbot.addWidget(pane)
    pane.show()
    return pane


def click(qtbot, button) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_notice_dialog_records_delivery_and_clears_the_flag(qtbot, pane: DossierPane, session: Session,  # type: ignore[no-untyped-def]
                                                            tmp_path: Path) -> None:
    panel = pane.show_tab("documents")
    assert isinstance(panel, DocumentsPanel)
    assert panel.flag.isVisible() and panel.flag.text() == NO_NOTICE
    click(qtbot, panel.notice_button)
    dialog = panel.dialog
    assert dialog is not None and dialog.isVisible()
    dialog.audience.setCurrentIndex(dialog.audience.findData("enfant-10-12"))
    assert "page(s)" in dialog.preview.text()
    assert dialog.target.recipient.text() == "Noé Morel"
    dialog.target.purpose.clear()
    out = tmp_path / "notice.pdf"
    dialog.target.path.setText(str(out))
    click(qtbot, dialog.save_button)  # no purpose: refused, nothing written
    assert "pourquoi" in dialog.message.text() and not out.exists()
    qtbot.keyClicks(dialog.target.purpose, "Accueil")
    click(qtbot, dialog.save_button)
    assert out.exists() and Pdf.parse(out.read_bytes()).pages <= 4
    assert not dialog.isVisible()
    assert panel.deliveries.count() == 1 and "remise à Noé Morel" in panel.deliveries.item(0).text()
    assert not panel.flag.isVisible()
    assert panel.register.count() == 1 and "Accueil" in panel.register.item(0).text()


def test_judge_report_dialog_sensitive_unticked_and_password_shown_once(qtbot, pane: DossierPane,  # type: ignore[no-untyped-def]
                                                                        session: Session, tmp_path: Path) -> None:
    panel = pane.show_tab("documents")
    click(qtbot, panel.report_button)
    dialog = panel.dialog
    assert not dialog.checks["sante"].isChecked() and not dialog.checks["evaluation"].isChecked()
    assert dialog.checks["identite"].isChecked()
    qtbot.keyClicks(dialog.target.recipient, "TJ Lyon")
    out = tmp_path / "rapport.pdf"
    dialog.target.path.setText(str(out))
    dialog.encrypt.setChecked(True)
    before = store_of(session).journal.head()[0]
    click(qtbot, dialog.save_button)
    box = dialog.password_box
    assert box is not None and box.isVisible()
    password = box.text().split("Mot de passe du PDF : ")[1].split("\n")[0]
    assert "autre canal" in box.text()
    with pikepdf.open(out, password=password) as pdf:
        assert pdf.encryption.bits == 256
    assert password not in "".join(e.detail for e in store_of(session).journal.iter_entries() if e.seq > before)
    box.done(0)
    assert not dialog.isVisible()
    assert "chiffré" in panel.register.item(0).text()
    store_of(session).journal.flush()
    assert any(e.action == Action.ENVOI.value for e in store_of(session).journal.iter_entries() if e.seq > before)


def test_statistics_dialog_and_documents_page(qtbot, session: Session, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from ui.windows.documents_page import DocumentsPage

    page = DocumentsPage(session)
    qtbot.addWidget(page)
    page.show()
    click(qtbot, page.stats_button)
    dialog = page.dialog
    dialog.target.recipient.insert("Conseil départemental")  # QTest types ASCII only
    out = tmp_path / "stats.csv"
    dialog.target.path.setText(str(out))
    click(qtbot, dialog.save_button)
    assert out.read_text(encoding="utf-8-sig").startswith("dimension,category,count")
    assert page.sent.count() == 1 and "Conseil départemental" in page.sent.item(0).text()


def test_organisation_settings_feed_the_notices(qtbot, session: Session) -> None:  # type: ignore[no-untyped-def]
    from app.notices.service import NoticeService
    from ui.windows.settings_page import SettingsPage

    page = SettingsPage(session)
    qtbot.addWidget(page)
    page.show()
    form = page.organisation
    assert "adresse" in form.message.text()
    form.address.setText("3 place du Marché, 26000 Valence")
    form.dpo.setText("dpo@exemple.fr")
    click(qtbot, form.save_button)
    assert form.message.text() == "Organisation enregistrée."
    text = " ".join(Pdf.parse(NoticeService(session).render("jeune-majeur").pdf).text().split())
    assert "3 place du Marché, 26000 Valence" in text and "dpo@exemple.fr" in text
