"""« À traiter » with real widgets and an injected clock (R-6.2 to R-6.5, R-3.5, issue 12)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import QWidget

from app.journal.events import Action
from app.retention.purge import typed_confirmation
from app.retention.service import RetentionService
from tests.app.retention.conftest import World
from tests.store_access import store_of
from ui.dialogs.retention import DecisionDialog, DurationsDialog
from ui.models.retention_model import STATE_COLUMN
from ui.style import DANGER, WARNING
from ui.windows.main_window import MainWindow, OpenPage
from ui.windows.retention_page import RetentionPage


def page_of(qtbot, session) -> RetentionPage:  # type: ignore[no-untyped-def]
    page = RetentionPage(session)
    qtbot.addWidget(page)
    page.resize(1180, 640)
    return page


def texts(page: RetentionPage) -> dict[str, list[str]]:
    model = page.model
    return {model.text(r, 1): [model.text(r, c) for c in range(model.columnCount())]
            for r in (model.row_at(n) for n in range(model.rowCount())) if r is not None}


def select(page: RetentionPage, *numbers: str) -> None:
    page.table.clearSelection()
    for number in numbers:
        row = next(n for n in range(page.model.rowCount()) if page.model.text(page.model.row_at(n), 1) == number)  # type: ignore[arg-type]
        page.table.selectionModel().select(
            page.model.index(row, 0),
            page.table.selectionModel().SelectionFlag.Select | page.table.selectionModel().SelectionFlag.Rows)


def number_of(world: World, dossier_id: int) -> str:
    return str(store_of(world.director).conn.execute("SELECT number FROM dossiers WHERE id = ?",
                                           (dossier_id,)).fetchone()[0])


def decide(qtbot, page: RetentionPage, *, reason: str, date: str | None = None,  # type: ignore[no-untyped-def]
           typed: str | None = None, confirmed: bool | None = None, number: str | None = None) -> DecisionDialog:
    dialog = page.dialog
    assert isinstance(dialog, DecisionDialog)
    if date is not None:
        assert dialog.date is not None
        dialog.date.setText(date)
    if number is not None:
        assert dialog.number is not None
        dialog.number.setText(number)
    if typed is not None:
        assert dialog.typed is not None
        dialog.typed.setText(typed)
    if confirmed is not None:
        assert dialog.check is not None
        dialog.check.setChecked(confirmed)
    dialog.reason.setPlainText(reason)
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    return dialog


def test_r6_2_rows_enter_60_days_before_turn_overdue_with_icon_words_and_red_and_the_badge_follows(qtbot, world: World) -> None:  # type: ignore[no-untyped-def]
    overdue = world.dossier("Roux", "Jade", contact_on="2023-12-01")  # limit 01/12/2025
    soon = world.dossier("Petit", "Louis", contact_on="2024-02-01")  # limit 01/02/2026: 27 days
    later = world.dossier("Garnier", "Emma", contact_on="2024-03-10")  # limit 10/03/2026: 64 days
    world.dossier("Blanc", "Noé", contact_on="2025-12-01")
    page = page_of(qtbot, world.director)
    window = MainWindow(_info(), [OpenPage("jeunes", "Jeunes", QWidget()),
                                  OpenPage("a_traiter", "À traiter", page, badge=True)])
    qtbot.addWidget(window)
    rows = texts(page)
    assert set(rows) == {number_of(world, overdue), number_of(world, soon)}
    first = rows[number_of(world, overdue)]
    assert first[0] == "Roux Jade" and first[4] == "01/12/2025"
    assert first[5] == "Durée de 2 ans atteinte"
    assert first[6] == "Dépassée (35 jours)"
    assert rows[number_of(world, soon)][6] == "Échéance dans 27 jours"
    # overdue: an icon, the words and red; due soon: amber
    index = page.model.index(page.model.row_of(overdue), STATE_COLUMN)
    assert not page.model.data(index, Qt.ItemDataRole.DecorationRole).isNull()
    brush = page.model.data(index, Qt.ItemDataRole.ForegroundRole)
    assert isinstance(brush, QBrush) and brush.color().name() == DANGER
    soon_index = page.model.index(page.model.row_of(soon), STATE_COLUMN)
    assert page.model.data(soon_index, Qt.ItemDataRole.DecorationRole) is None
    assert page.model.data(soon_index, Qt.ItemDataRole.ForegroundRole).color().name() == WARNING
    assert window.sidebar.item(1).text() == "À traiter (2)"
    assert page.summary.text() == "2 dossiers à traiter — dont 1 dépassé."
    # the injected clock moves on: « later » enters 60 days before its limit, « soon » is overdue
    world.at("2026-01-09")
    page.reload()
    assert number_of(world, later) in texts(page)
    assert texts(page)[number_of(world, soon)][6] == "Échéance dans 23 jours"
    world.at("2026-02-02")
    page.reload()
    assert texts(page)[number_of(world, soon)][6] == "Dépassée (1 jour)"
    assert window.sidebar.item(1).text() == "À traiter (3)"


def _info():  # type: ignore[no-untyped-def]
    from app.session_overview import SessionOverview

    return SessionOverview("MECS Les Tilleuls", "Claire Martin", "Direction", False, "Espace : test", "/tmp",
                     "Journal : à jour", ("jeunes", "a_traiter"))


def test_r6_3_director_postpones_holds_archives_with_a_reason_each_journaled(qtbot, world: World) -> None:  # type: ignore[no-untyped-def]
    ids = [world.dossier(n, "Alex", contact_on="2023-06-01") for n in ("Roux", "Petit", "Garnier")]
    page = page_of(qtbot, world.director)
    assert set(page.buttons) == {"purge", "postpone", "hold", "lift", "archive", "death"}
    select(page, number_of(world, ids[0]))
    page.ask_postpone()
    dialog = decide(qtbot, page, reason="", date="05/03/2026")
    assert "motif" in dialog.error.text() and dialog.isVisible()  # the reason is asked
    dialog = decide(qtbot, page, reason="Attente de la réponse de l'ASE", date="06/07/2026")
    assert "six mois" in dialog.error.text()  # ≤ 6 months, said in French
    decide(qtbot, page, reason="Attente de la réponse de l'ASE", date="05/07/2026")
    assert not dialog.isVisible() and number_of(world, ids[0]) not in texts(page)
    assert "reporté" in page.message.text()

    select(page, number_of(world, ids[1]))
    page.ask_hold()
    decide(qtbot, page, reason="Recours en cours devant le tribunal", date="01/06/2026")
    assert number_of(world, ids[1]) not in texts(page)

    select(page, number_of(world, ids[2]))
    page.ask_archive()
    decide(qtbot, page, reason="Prescription de l'action en responsabilité", date="05/01/2031")
    assert texts(page) == {}
    assert page.summary.text() == "Aucun dossier à traiter aujourd'hui."
    details = [(e.dossier_id, e.user_id, e.detail) for e in store_of(world.director).journal.iter_entries()
               if e.action == Action.CONSERVATION.value]
    assert [d[:2] for d in details] == [(i, world.director.user.id) for i in ids]
    assert details[0][2] == "Report jusqu'au 05/07/2026 — motif : Attente de la réponse de l'ASE"
    # each comes back at its own date: the legal hold to be reviewed, then lifted from the page
    world.at("2026-06-01")
    page.reload()
    assert texts(page)[number_of(world, ids[1])][6] == "Contentieux à réexaminer"
    select(page, number_of(world, ids[1]))
    assert page.buttons["lift"].isEnabled() and not page.buttons["hold"].isEnabled()
    page.ask_lift()
    decide(qtbot, page, reason="Décision définitive rendue")
    assert texts(page)[number_of(world, ids[1])][6].startswith("Dépassée")


def test_r6_3_purge_of_several_dossiers_needs_the_typed_confirmation(qtbot, world: World) -> None:  # type: ignore[no-untyped-def]
    ids = [world.dossier(n, "Alex", contact_on="2023-06-01") for n in ("Roux", "Petit")]
    keep = world.dossier("Garnier", "Emma", contact_on="2024-02-01")  # due soon: not purgeable
    page = page_of(qtbot, world.director)
    select(page, *(number_of(world, i) for i in ids), number_of(world, keep))
    assert not page.buttons["purge"].isEnabled()  # nothing is purged before its time
    select(page, *(number_of(world, i) for i in ids))
    assert page.buttons["purge"].isEnabled()
    page.ask_purge()
    dialog = page.dialog
    assert isinstance(dialog, DecisionDialog)
    assert all(number_of(world, i) in dialog.intro.text() for i in ids)  # names what is destroyed
    decide(qtbot, page, reason="Durée de conservation atteinte", typed="PURGER 1 DOSSIERS")
    assert typed_confirmation(2) in dialog.error.text() and dialog.isVisible()
    count = store_of(world.director).conn.execute("SELECT count(*) FROM dossiers").fetchone()[0]
    assert count == 3
    decide(qtbot, page, reason="Durée de conservation atteinte", typed=typed_confirmation(2))
    assert not dialog.isVisible()
    assert [r[0] for r in store_of(world.director).conn.execute("SELECT id FROM dossiers")] == [keep]
    purges = [e for e in store_of(world.director).journal.iter_entries() if e.action == Action.PURGE.value]
    assert [e.dossier_id for e in purges] == ids
    assert all("Roux" not in e.detail and "Petit" not in e.detail for e in purges)
    assert "purgés" in page.message.text()


def test_r6_4_head_of_service_reports_a_death_and_the_director_confirms_it(qtbot, world: World) -> None:  # type: ignore[no-untyped-def]
    d = world.dossier("Roux", "Jade", contact_on="2025-12-20")  # far from its limit
    chef_page = page_of(qtbot, world.chef)
    # the head of service only proposes: no decision button, no durations
    assert set(chef_page.buttons) == {"propose", "death"}
    assert not hasattr(chef_page, "durations_button")
    chef_page.ask_death()
    dialog = decide(qtbot, chef_page, reason="Décès signalé par l'ASE", number="D99-99999")
    assert "numéro" in dialog.error.text()
    decide(qtbot, chef_page, reason="Décès signalé par l'ASE", number=number_of(world, d))
    assert not dialog.isVisible()
    assert texts(chef_page)[number_of(world, d)][5] == "Décès signalé"

    page = page_of(qtbot, world.director)
    row = texts(page)[number_of(world, d)]
    assert row[7].startswith("Décès signalé par Personne") and row[6].startswith("Dépassée")
    select(page, number_of(world, d))
    page.ask_death()
    dialog = decide(qtbot, page, reason="Décès confirmé par l'acte transmis", confirmed=False)
    assert "confirmation" in dialog.error.text()
    assert store_of(world.director).conn.execute("SELECT count(*) FROM dossiers").fetchone()[0] == 1
    decide(qtbot, page, reason="Décès confirmé par l'acte transmis", confirmed=True)
    assert not dialog.isVisible()
    assert store_of(world.director).conn.execute("SELECT count(*) FROM dossiers").fetchone()[0] == 0
    assert "décès" in page.message.text()


def test_r6_1_director_sets_a_duration_with_its_written_justification(qtbot, world: World) -> None:  # type: ignore[no-untyped-def]
    d = world.dossier("Petit", "Louis", contact_on="2023-06-01", measure="aemo")
    page = page_of(qtbot, world.director)
    assert number_of(world, d) in texts(page)
    page.open_durations()
    dialog = page.dialog
    assert isinstance(dialog, DurationsDialog)
    row = next(n for n in range(dialog.model.rowCount()) if dialog.model.key(n) == "aemo")
    dialog.table.selectRow(row)
    dialog.years.setValue(5)
    dialog.justification.setPlainText("trop court")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "Justifiez" in dialog.message.text()
    dialog.justification.setPlainText("REF 51 : durée retenue par le département pour l'AEMO")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.message.objectName() == "success"
    assert dialog.model.text(row, 1) == "5 ans"
    dialog.accept()
    assert number_of(world, d) not in texts(page)  # the limit moved to 2028
    assert [x.years for x in RetentionService(world.director).durations()] == [5]


@pytest.mark.parametrize("profile", ["educateur", "secretariat"])
def test_r3_5_the_page_is_offered_only_to_direction_and_heads_of_service(world: World, profile: str) -> None:
    from app.auth.profiles import Profile
    from app.session_overview import session_overview

    assert "a_traiter" in session_overview(world.director).sections
    assert "a_traiter" in session_overview(world.chef).sections
    assert "a_traiter" not in session_overview(world.others[Profile(profile)]).sections


def test_r6_3_purge_of_one_dossier_names_it_and_needs_the_box_ticked(qtbot, world: World) -> None:  # type: ignore[no-untyped-def]
    d = world.dossier("Roux", "Jade", contact_on="2023-06-01")
    page = page_of(qtbot, world.director)
    select(page, number_of(world, d))
    page.ask_purge()
    dialog = page.dialog
    assert isinstance(dialog, DecisionDialog) and dialog.typed is None
    assert f"{number_of(world, d)} (Roux Jade) sera supprimé définitivement" in dialog.intro.text()
    decide(qtbot, page, reason="Durée de conservation atteinte", confirmed=False)
    assert "Cochez" in dialog.error.text() and dialog.isVisible()
    assert store_of(world.director).conn.execute("SELECT count(*) FROM dossiers").fetchone()[0] == 1
    decide(qtbot, page, reason="Durée de conservation atteinte", confirmed=True)
    assert not dialog.isVisible()
    assert store_of(world.director).conn.execute("SELECT count(*) FROM dossiers").fetchone()[0] == 0
    assert texts(page) == {} and window_badge(page) == 0


def window_badge(page: RetentionPage) -> int:
    return page.badge_count
