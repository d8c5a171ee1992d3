"""The « Droits » screen driven with the real widgets (R-7.1 to R-7.3): the register with its
deadlines, overdue rows marked by an icon and words, the director's overdue filter, and every
action — record, extend, answer, refuse, restrict, export the person's data."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QMessageBox

from app.auth.profiles import Profile
from app.auth.service import AccountService
from app.dossiers.service import DossierService
from app.rights.model import RequestStatus
from app.rights.service import RightsService
from app.session import Session
from tests.conftest import WorkspaceHandle
from tests.reports.pdf_inspect import Pdf
from ui.dialogs.rights.request_dialogs import RegisterRequestDialog, RequestTextDialog
from ui.models.rights_model import STATE_COLUMN
from ui.windows.rights_page import RightsPage

PASSWORD = "Arbre-Soleil-Pluie-84!"


def click(qtbot, button) -> None:  # type: ignore[no-untyped-def]
    assert button.isVisible() and button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def click_confirm(qtbot, page: RightsPage, text: str) -> None:  # type: ignore[no-untyped-def]
    (box,) = [b for b in page.findChildren(QMessageBox, "confirmBox") if b.isVisible()]
    qtbot.mouseClick(next(b for b in box.buttons() if b.text() == text), Qt.MouseButton.LeftButton)


def select(page: RightsPage, request_id: int) -> None:
    row = next(i for i in range(page.model.rowCount()) if page.model.text(i, 0) == str(request_id))
    page.table.selectRow(row)


def dossier(session: Session, last: str = "Roux", first: str = "Jade") -> tuple[int, str]:
    service = DossierService(session)
    d = service.create_dossier(last_name=last, first_names=first, birth_date="2010-03-04", unit_id=1)
    service.records.add(d, "suivi", {"date": "2026-11-02", "type": "entretien", "note": "Entretien de rentrée"})
    return d, service.header(d).number


def test_register_extend_answer_refuse_with_the_real_dialogs(qtbot, ws: WorkspaceHandle) -> None:  # type: ignore[no-untyped-def]
    session = ws.login()
    d, number = dossier(session)
    page = RightsPage(session)
    qtbot.addWidget(page)
    page.show()
    assert page.model.rowCount() == 0 and not page.alert.isVisible()
    badges: list[int] = []
    page.count_changed.connect(badges.append)
    # record a request: kind, requester, capacity, date received, dossier number
    click(qtbot, page.new_button)
    form = page.dialog
    assert isinstance(form, RegisterRequestDialog)
    form.kind.setCurrentIndex(form.kind.findData("rectification"))
    qtbot.keyClicks(form.requester, "Mme Roux")
    form.role.setCurrentIndex(form.role.findData("representant_legal"))
    form.received.setDate(QDate(2026, 11, 20))
    qtbot.keyClicks(form.dossier, "D99-00000")
    form.send()  # an unknown dossier: a French message, the dialog stays
    assert form.isVisible() and "Aucun dossier" in form.error.text()
    form.dossier.clear()
    qtbot.keyClicks(form.dossier, number)
    form.send()
    assert not form.isVisible() and page.model.rowCount() == 1
    assert page.model.text(0, 1) == "Rectification" and page.model.text(0, 2) == "Mme Roux (Représentant légal)"
    assert page.model.text(0, 3) == number and page.model.text(0, 4) == "20/11/2026"
    assert page.model.text(0, 5) == "20/12/2026" and page.model.text(0, 6) == "En cours — 27 j restants"
    assert badges[-1] == 1 and "réponse due le 20/12/2026" in page.message.text()
    rid = int(page.model.text(0, 0))
    select(page, rid)
    assert not page.export_button.isEnabled()  # a rectification is not answered by an export
    # extend once, with a reason: an empty reason is refused in French
    click(qtbot, page.extend_button)
    dialog = page.dialog
    assert isinstance(dialog, RequestTextDialog)
    dialog.send()
    assert dialog.isVisible() and "motif" in dialog.error.text()
    qtbot.keyClicks(dialog.text, "Dossier volumineux : recherche dans les archives papier")
    dialog.send()
    assert page.model.text(0, 5) == "20/02/2027 (prolongée)"
    assert "archives papier" in page.detail.text()
    assert not page.extend_button.isEnabled()  # only once
    # answer
    click(qtbot, page.answer_button)
    page.dialog.text.insertPlainText("Adresse corrigée dans l'identité, courrier envoyé le 25/11")  # type: ignore[union-attr]
    page.dialog.send()  # type: ignore[union-attr]
    assert page.model.text(0, 6) == "Répondue le 23/11/2026" and badges[-1] == 0
    assert not page.answer_button.isEnabled()
    # a refusal is motivated
    other = RightsService(session).register(kind="objection", requester="Jade Roux", requester_role="jeune",
                                             received_on="2026-11-21", dossier_number=number)
    page.refresh()
    select(page, other)
    click(qtbot, page.refuse_button)
    page.dialog.text.insertPlainText("Obligation légale de l'aide sociale à l'enfance : traitement maintenu")  # type: ignore[union-attr]
    page.dialog.send()  # type: ignore[union-attr]
    assert {r.id: r.status for r in RightsService(session).requests()}[other] is RequestStatus.REFUSED
    session.close()


def test_overdue_rows_have_an_icon_and_words_and_the_director_can_filter_them(qtbot, ws: WorkspaceHandle) -> None:  # type: ignore[no-untyped-def]
    session = ws.login()
    _, number = dossier(session)
    rights = RightsService(session)
    late = rights.register(kind="access", requester="Jade Roux", requester_role="jeune",
                           received_on="2026-10-01", dossier_number=number)
    soon = rights.register(kind="erasure", requester="Jade Roux", requester_role="jeune",
                           received_on="2026-10-25", dossier_number=number)
    fresh = rights.register(kind="objection", requester="Jade Roux", requester_role="jeune",
                            received_on="2026-11-23", dossier_number=None)
    page = RightsPage(session)
    qtbot.addWidget(page)
    page.show()
    rows = {page.model.text(i, 0): i for i in range(page.model.rowCount())}
    state = {rid: page.model.text(rows[str(rid)], STATE_COLUMN) for rid in (late, soon, fresh)}
    assert state == {late: "En retard de 22 j", soon: "En cours — 2 j restants", fresh: "En cours — 30 j restants"}
    index = page.model.index(rows[str(late)], STATE_COLUMN)
    assert not page.model.data(index, Qt.ItemDataRole.DecorationRole).isNull()  # the icon
    assert page.model.data(index, Qt.ItemDataRole.ForegroundRole) is not None  # and the colour
    assert page.model.data(page.model.index(rows[str(fresh)], STATE_COLUMN), Qt.ItemDataRole.DecorationRole) is None
    assert page.alert.isVisible() and page.alert_icon.isVisible()
    assert f"1 demande en retard, échéance dépassée : n° {late}" in page.alert.text()
    page.filter.setCurrentIndex(page.filter.findData("overdue"))
    assert page.model.rowCount() == 1 and page.model.text(0, 0) == str(late)
    # the overdue request cannot be extended any more (the month is over)
    select(page, late)
    assert not page.extend_button.isEnabled() and page.answer_button.isEnabled()
    session.close()


def test_restriction_and_subject_export_from_the_screen(qtbot, ws: WorkspaceHandle, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    session = ws.login()
    d, number = dossier(session)
    rights = RightsService(session)
    restriction = rights.register(kind="restriction", requester="Jade Roux", requester_role="jeune",
                                  received_on="2026-11-20", dossier_number=number)
    access = rights.register(kind="access", requester="Mme Roux", requester_role="representant_legal",
                             received_on="2026-11-20", dossier_number=number)
    page = RightsPage(session)
    qtbot.addWidget(page)
    page.show()
    select(page, restriction)
    assert not page.export_button.isEnabled()
    click(qtbot, page.restrict_button)
    click_confirm(qtbot, page, "Limiter le dossier")
    assert DossierService(session).header(d).status.value == "restricted"
    assert "lecture seule" in page.message.text()
    # export: a folder inside the workspace is refused in French, nothing is written
    select(page, access)
    page.choose_folder = lambda: ws.root
    click(qtbot, page.export_button)
    assert "espace de travail" in page.message.text()
    out = tmp_path / "remise"
    out.mkdir()
    page.choose_folder = lambda: out
    click(qtbot, page.export_button)
    assert "Export écrit" in page.message.text() and f"demande n° {access} répondue" in page.message.text()
    (pdf,) = out.glob("*.pdf")
    (data,) = out.glob("*.json")
    assert "Entretien de rentrée" in Pdf.parse(pdf.read_bytes()).text()
    assert json.loads(data.read_text(encoding="utf-8"))["dossier"]["number"] == number
    assert {r.id: r.status for r in rights.requests()}[access] is RequestStatus.ANSWERED
    assert not page.progress.isVisible()
    # once more, on a new request: the existing files are replaced only after a confirmation
    again = rights.register(kind="portability", requester="Jade Roux", requester_role="jeune",
                            received_on="2026-11-22", dossier_number=number)
    page.refresh()
    select(page, again)
    before = pdf.stat().st_mtime_ns
    click(qtbot, page.export_button)
    click_confirm(qtbot, page, "Annuler")
    assert pdf.stat().st_mtime_ns == before
    assert {r.id: r.status for r in rights.requests()}[again] is RequestStatus.OPEN
    click(qtbot, page.export_button)
    click_confirm(qtbot, page, "Remplacer")
    assert {r.id: r.status for r in rights.requests()}[again] is RequestStatus.ANSWERED
    session.close()


def test_the_archivist_keeps_the_register_without_export_or_restriction(qtbot, ws: WorkspaceHandle) -> None:  # type: ignore[no-untyped-def]
    director = ws.login()
    AccountService(director).create_user(login="archives", display_name="Anne Archive", profile=Profile.ARCHIVISTE,
                                         units=[], password=PASSWORD)
    director.close()
    session = ws.workspace.login("archives", PASSWORD)
    page = RightsPage(session)
    qtbot.addWidget(page)
    page.show()
    assert page.new_button.isVisible() and not page.export_button.isVisible()
    assert not page.restrict_button.isVisible()
    session.close()


def test_the_sidebar_shows_droits_with_the_number_to_answer(qtbot, ws: WorkspaceHandle, controller) -> None:  # type: ignore[no-untyped-def]
    from app.session_overview import session_overview
    from tests.ui.conftest import login

    session = ws.login()
    _, number = dossier(session)
    rid = RightsService(session).register(kind="access", requester="Jade Roux", requester_role="jeune",
                                           received_on="2026-11-20", dossier_number=number)
    for profile, login_name in ((Profile.EDUCATEUR, "educ"), (Profile.CHEF_SERVICE, "chef"),
                                (Profile.ADMIN_TECHNIQUE, "admin")):
        AccountService(session).create_user(login=login_name, display_name=f"Compte {login_name}", profile=profile,
                                            units=["Les Lilas"] if profile is not Profile.ADMIN_TECHNIQUE else [],
                                            password=PASSWORD)
        other = ws.workspace.login(login_name, PASSWORD)
        assert "droits" not in session_overview(other).sections
        other.close()
    session.close()
    login(qtbot, controller)
    main = controller.main
    keys = main.page_keys()
    assert "droits" in keys
    item = main.sidebar.item(keys.index("droits"))
    assert item.text() == "Droits (1)"
    main.show_page("droits")
    page = main.pages.currentWidget()
    assert isinstance(page, RightsPage)
    select(page, rid)
    click(qtbot, page.answer_button)
    page.dialog.text.insertPlainText("Copie du dossier remise en main propre")  # type: ignore[union-attr]
    page.dialog.send()  # type: ignore[union-attr]
    assert item.text() == "Droits"


def test_export_from_the_dossier_documents_tab_is_recorded_in_the_register(qtbot, ws: WorkspaceHandle,  # type: ignore[no-untyped-def]
                                                                           tmp_path: Path) -> None:
    from ui.widgets.documents_panel import DocumentsPanel

    session = ws.login()
    d, number = dossier(session)
    AccountService(session).create_user(login="chef", display_name="Paul Chef", profile=Profile.CHEF_SERVICE,
                                        units=["Les Lilas"], password=PASSWORD)
    chef = ws.workspace.login("chef", PASSWORD)
    AccountService(chef).accept_charter()
    other = DocumentsPanel(chef, d, person="Jade Roux", number=number)
    qtbot.addWidget(other)
    other.show()
    assert not other.export_button.isVisible()  # only the direction exports
    panel = DocumentsPanel(session, d, person="Jade Roux", number=number)
    qtbot.addWidget(panel)
    panel.show()
    panel.choose_folder = lambda: None  # the folder dialog cancelled: nothing happens
    click(qtbot, panel.export_button)
    assert RightsService(session).requests() == []
    panel.choose_folder = lambda: tmp_path
    click(qtbot, panel.export_button)
    assert "Export écrit" in panel.message.text()
    (entry,) = RightsService(session).requests()  # no request was open: a new, answered entry
    assert entry.status is RequestStatus.ANSWERED and entry.dossier_number == number
    assert "Entretien de rentrée" in Pdf.parse(next(tmp_path.glob("*.pdf")).read_bytes()).text()
    chef.close()
    session.close()
