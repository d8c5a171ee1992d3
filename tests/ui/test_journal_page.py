"""The journal review screen: filters, detection aids, CSV and PDF export, all journaled (R-5.5)."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt

from app.auth.service import AccountService
from app.dossiers.service import DossierService
from app.errors import PermissionRefused
from app.journal.events import Action
from app.journal.review import JournalFilter, JournalReview
from storage.journal import to_micros
from tests.conftest import WorkspaceHandle
from tests.store_access import store_of
from ui.windows.journal_page import JournalPage


def seed(ws: WorkspaceHandle) -> tuple[int, int]:
    director = ws.login()
    educ_id = AccountService(director).create_user(
        login="educ1", display_name="Paul Durand", profile="educateur", units=["Les Lilas"],
        password="Arbre-Soleil-Pluie-84!")
    other_unit = DossierService(director).create_dossier(last_name="Roux", first_names="Tom",
                                                         birth_date=None, unit_id=2)
    # history: a night read, a read outside the educator's unit, a burst of 35 reads
    night = dt.datetime(2026, 11, 20, 1, 30, tzinfo=dt.UTC)
    rows = [(to_micros(night), educ_id, "educateur", other_unit, "sante_sejour", "consultation", "")]
    for k in range(35):
        rows.append((to_micros(night + dt.timedelta(hours=10, seconds=k)), educ_id, "educateur",
                     other_unit, "sante_sejour", "consultation", ""))
    store_of(director).journal.bulk_load(rows)
    director.close()
    return educ_id, other_unit


def test_review_screen_flags_and_exports(qtbot, ws: WorkspaceHandle, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    seed(ws)
    session = ws.login()
    page = JournalPage(session)
    qtbot.addWidget(page)
    before = store_of(session).journal.head()[0]
    qtbot.mouseClick(page.search_button, Qt.MouseButton.LeftButton)
    assert page.proxy.rowCount() > 36
    flags = {f for r in page.rows for f in r.flags}
    assert flags == {"nuit", "hors_unite", "rafale"}
    page.flag_only.setChecked(True)
    assert page.proxy.rowCount() == 36
    last = page.proxy.index(page.proxy.rowCount() - 1, 7)
    assert "Consultation de nuit" in page.proxy.data(last)
    page.choose_path = lambda kind, title: tmp_path / f"journal.{kind}"
    qtbot.mouseClick(page.csv_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.pdf_button, Qt.MouseButton.LeftButton)
    with (tmp_path / "journal.csv").open(encoding="utf-8") as handle:
        lines = list(csv.reader(handle))
    assert lines[0][:3] == ["n°", "date", "utilisateur"] and len(lines) == 37
    assert all(line[3] == "Éducateur·rice" for line in lines[1:])
    reader = PdfReader(str(tmp_path / "journal.pdf"))
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "Journal des accès" in text and "page 1 sur" in text and "Paul Durand" in text
    assert reader.metadata is not None and reader.metadata.title == "Journal des accès"
    fonts = {str(f.get_object()["/BaseFont"]) for p in reader.pages for f in p["/Resources"]["/Font"].values()}
    assert all("DejaVuSans" in name for name in fonts)
    new = [e for e in store_of(session).journal.iter_entries() if e.seq > before]
    assert [(e.action, e.detail) for e in new] == [
        ("journal", "consultation du journal"), ("export", "export csv (36 lignes)"),
        ("export", "export pdf (36 lignes)")]
    session.close()


def test_filters(ws: WorkspaceHandle) -> None:
    educ_id, dossier = seed(ws)
    session = ws.login()
    review = JournalReview(session)
    number = store_of(session).conn.execute("SELECT number FROM dossiers WHERE id = ?", (dossier,)).fetchone()[0]
    rows = review.search(JournalFilter(user_id=educ_id, dossier_number=number, action="consultation",
                                       target="sante_sejour", date_from=dt.date(2026, 11, 20),
                                       date_to=dt.date(2026, 11, 20)))
    assert len(rows) == 36
    assert review.search(JournalFilter(date_from=dt.date(2026, 11, 21), date_to=dt.date(2026, 11, 21),
                                       user_id=educ_id)) == []
    session.close()


def test_only_direction_and_archiviste_see_the_journal(ws: WorkspaceHandle) -> None:
    seed(ws)
    educ = ws.login("educ1", "Arbre-Soleil-Pluie-84!")
    with pytest.raises(PermissionRefused):
        JournalReview(educ).search(JournalFilter())
    educ.close()


def test_verification_runs_in_the_background_and_names_tampering(qtbot, ws: WorkspaceHandle) -> None:  # type: ignore[no-untyped-def]
    seed(ws)
    session = ws.login()
    page = JournalPage(session)
    qtbot.addWidget(page)
    page.show()
    qtbot.mouseClick(page.verify_button, Qt.MouseButton.LeftButton)
    assert page.busy.isVisible()
    qtbot.waitUntil(lambda: page.verify_button.isEnabled(), timeout=20000)
    assert page.status.text().startswith("Journal intègre")
    assert store_of(session).journal.head()[0] == list(store_of(session).journal.iter_entries())[-1].seq
    last = list(store_of(session).journal.iter_entries())[-1]
    assert (last.action, last.detail) == ("journal", "vérification")
    # tamper with one entry in its partition file: the button names it
    name = store_of(session).journal.partition_names()[0]
    conn = store_of(session).journal.partition(name)
    seq = conn.execute("SELECT min(seq) FROM journal").fetchone()[0]
    conn.execute("UPDATE journal SET detail = 'x' WHERE seq = ?", (seq,))
    qtbot.mouseClick(page.verify_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.verify_button.isEnabled(), timeout=20000)
    assert page.status.text().startswith(f"Journal altéré : première entrée en cause n° {seq}")
    session.close()


def test_the_review_screen_shows_how_far_the_journal_is_sealed(qtbot, ws: WorkspaceHandle) -> None:  # type: ignore[no-untyped-def]
    """R-5.6 (issue 11): the screen says « scellé jusqu'au n° … du … » and the unsealed tail,
    as `journal verify` does; after a verification it says the seal was checked."""
    seed(ws)
    session = ws.login()  # a director: sealed at login
    latest = store_of(session).journal.latest_seal()
    assert latest is not None
    session.journal_event(Action.CONSULTATION, "sante", dossier_id=1)
    page = JournalPage(session)
    qtbot.addWidget(page)
    page.show()
    text = page.seal_label.text()
    tail = store_of(session).journal.head()[0] - latest.seq
    assert f"Scellé jusqu'au n° {latest.seq} du " in text, text
    assert f"{tail} entrée{'s' if tail > 1 else ''} non scellée" in text, text
    assert "Vérifier l'intégrité" in text
    qtbot.mouseClick(page.verify_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.verify_button.isEnabled(), timeout=20000)
    assert "Sceau et chaîne vérifiés" in page.seal_label.text(), page.seal_label.text()
    session.close()


def test_an_unsealed_journal_says_so(ws: WorkspaceHandle) -> None:
    from app.journal.review import SealState

    state = SealState(None, None, 12, verified=False)
    assert state.text().startswith("Aucun sceau : 12 entrées non scellées.")
    one = SealState(5, dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC), 1, verified=False)
    assert one.text().startswith("Scellé jusqu'au n° 5 du 01/12/2026 à 09:00 ; 1 entrée non scellée depuis.")
