"""The account administration screen (R-3.1 to R-3.6), driven with the real widgets."""

from __future__ import annotations

import io
from pathlib import Path

from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from app.auth.service import AccountService
from tests.conftest import WorkspaceHandle
from ui.windows.accounts_page import AccountForm, AccountsPage


def click_confirm(qtbot, page: AccountsPage, text: str) -> None:  # type: ignore[no-untyped-def]
    boxes = [b for b in page.findChildren(QMessageBox, "confirmBox") if b.isVisible()]
    assert len(boxes) == 1
    box = boxes[0]
    button = next(b for b in box.buttons() if b.text() == text)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_create_reset_deactivate_and_review(qtbot, ws: WorkspaceHandle, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    session = ws.login()
    page = AccountsPage(session)
    qtbot.addWidget(page)
    page.show()
    assert page.table.rowCount() == 1
    assert page.reminder.isVisible()  # the annual review was never signed
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    form = page.dialog
    assert isinstance(form, AccountForm)
    form.name.insert("Paul Durand")
    qtbot.keyClicks(form.login, "pdurand")
    form.profile.setCurrentIndex(form.profile.findData("educateur"))
    form.units.item(0).setCheckState(Qt.CheckState.Checked)
    form.send()
    assert page.table.rowCount() == 2
    assert "Mot de passe provisoire" in page.message.text()
    otp = page.message.text().rsplit(" : ", 1)[1]
    # the new person must change the provisional password at first login
    session_new = ws.workspace.login("pdurand", otp)
    assert session_new.user.must_change_password
    session_new.close()
    # reset, with a confirmation naming the person
    row = next(i for i in range(page.table.rowCount()) if page.table.text(i, 1) == "pdurand")
    page.table.selectRow(row)
    qtbot.mouseClick(page.reset_button, Qt.MouseButton.LeftButton)
    click_confirm(qtbot, page, "Réinitialiser")
    assert "Paul Durand" in page.message.text() and "72 heures" in page.message.text()
    # the last director cannot be deactivated
    row = next(i for i in range(page.table.rowCount()) if page.table.text(i, 1) == "cmartin")
    page.table.selectRow(row)
    qtbot.mouseClick(page.deactivate_button, Qt.MouseButton.LeftButton)
    click_confirm(qtbot, page, "Désactiver")
    assert "dernier compte" in page.message.text()
    # sign the annual review, export its PDF
    qtbot.mouseClick(page.sign_button, Qt.MouseButton.LeftButton)
    click_confirm(qtbot, page, "Signer la revue")
    assert not page.reminder.isVisible()
    page.choose_path = lambda: tmp_path / "revue.pdf"
    qtbot.mouseClick(page.pdf_button, Qt.MouseButton.LeftButton)
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO((tmp_path / "revue.pdf").read_bytes())).pages)
    assert "Paul Durand" in text and "Dernière revue signée" in text
    assert len(AccountService(session).list_accounts()) == 2
    session.close()
