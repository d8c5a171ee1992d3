"""Qt's model tester over every item model of ui/ (issues 16 and 9): row counts, indexes, roles,
resets, inserts from fetchMore, sorting and filtering stay consistent, empty and filled.
``test_every_item_model_of_ui_is_checked_here`` fails when a new model has no test here."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from app.dossiers.search import YouthListRow
from app.journal.review import ReviewPage, ReviewRow
from app.retention.model import DueDossier
from app.rights.model import RequesterRole, RequestKind, RequestStatus, RightsRequest
from ui.models.journal_model import FlaggedOnly, JournalTableModel
from ui.models.rights_model import STATE_COLUMN as RIGHTS_STATE
from ui.models.rights_model import RightsModel
from ui.models.text_rows import TextRowsModel
from ui.models.youth_model import YouthTableModel


def youth(i: int, last: str, age: int | None) -> YouthListRow:
    return YouthListRow(
        id=i, number=f"D26-{i:05d}", last_name=last, first_names="Léa", age=age, unit_id=1, unit="Les Lilas",
        measure="AEMO", next_deadline="2026-12-01" if i % 2 else None, last_contact_on=None, status="active",
        status_label="Actif", deadline_state="overdue" if i % 3 == 0 else "", key=last.lower(),
        number_key=f"d26-{i:05d}")


def test_youth_model(qapp, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model = YouthTableModel()
    qtmodeltester.check(model)  # empty: a unit with nobody in it yet
    model.set_rows([youth(i, name, age) for i, (name, age) in
                    enumerate((("Roux", 12), ("Petit", None), ("Blanc", 17), ("Morel", 9)), start=1)])
    qtmodeltester.check(model)
    model.sort(2, Qt.SortOrder.DescendingOrder)
    assert [model.row_at(r).age for r in range(4)] == [17, 12, 9, None]  # type: ignore[union-attr]
    model.show_only([youth(1, "Roux", 12), youth(3, "Blanc", 17)])
    assert model.rowCount() == 2
    qtmodeltester.check(model)
    overdue = next(r for r in range(model.rowCount()) if model.row_at(r).deadline_state == "overdue")  # type: ignore[union-attr]
    assert model.data(model.index(overdue, 5)).endswith("dépassée")
    assert model.data(model.index(overdue, 5), Qt.ItemDataRole.DecorationRole) is not None
    model.show_only([])  # a search that finds nobody
    assert model.rowCount() == 0
    qtmodeltester.check(model)


def review_row(seq: int, flagged: bool) -> ReviewRow:
    when = dt.datetime(2026, 11, 20, 10, tzinfo=dt.UTC)
    return ReviewRow(seq=seq, when=when, user="Paul", profile="educateur", dossier="D26-00001",
                     target="sante", action="Consultation", detail="", flags=("nuit",) if flagged else ())


def test_journal_model(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    empty = JournalTableModel()
    qtmodeltester.check(empty)  # before the first page is loaded
    empty.start(ReviewPage([], None), lambda before: ReviewPage([], None))  # a period without entries
    assert empty.rowCount() == 0 and not empty.canFetchMore()
    qtmodeltester.check(empty)
    model = JournalTableModel()
    pages = {100: ReviewPage([review_row(s, s % 2 == 0) for s in range(99, 49, -1)], None)}
    model.start(ReviewPage([review_row(s, s % 5 == 0) for s in range(150, 100, -1)], 100), pages.__getitem__)
    assert model.rowCount() == 50 and model.canFetchMore()
    qtmodeltester.check(model)  # the tester fetches more itself
    model.fetchMore()
    assert model.rowCount() == 100 and not model.canFetchMore()
    qtmodeltester.check(model)


def test_flagged_only_filter_of_the_journal(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model = JournalTableModel()
    proxy = FlaggedOnly()
    proxy.setSourceModel(model)
    proxy.set_enabled(True)
    qtmodeltester.check(proxy)  # over an empty journal
    model.start(ReviewPage([review_row(s, s % 5 == 0) for s in range(150, 100, -1)], None),
                lambda before: ReviewPage([], None))
    qtmodeltester.check(proxy)
    assert proxy.rowCount() == sum(1 for r in model.rows if r.flags) == 10
    proxy.set_enabled(False)
    qtmodeltester.check(proxy)
    assert proxy.rowCount() == 50


def test_text_rows_model(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model = TextRowsModel(("Identifiant", "Profil"))
    model.set_rows([("cmartin", "Direction"), ("pdurand", "Éducateur·rice", "en trop")], keys=[1, 2],
                   backgrounds=[None, "#fde7e4"])
    qtmodeltester.check(model)
    assert model.text(1, 1) == "Éducateur·rice" and model.key(1) == 2
    model.set_rows([])
    qtmodeltester.check(model)


def due_row(i: int, state: str, days_left: int, proposal: bool = False) -> DueDossier:
    from app.retention.model import DecisionKind, Proposal, RetentionState

    return DueDossier(
        dossier_id=i, number=f"D24-{i:05d}", last_name="Roux", first_names="Léa", unit_name="Les Lilas",
        status="closed", last_contact_on="2024-01-10", limit_date=dt.date(2026, 1, 10) + dt.timedelta(days=i),
        state=RetentionState(state), years=2, age=22 if state == "limite_age" else 17,
        age_flag="22 ans : au-delà de 21 ans" if state == "limite_age" else None, days_left=days_left,
        proposal=Proposal(DecisionKind.PROPOSE_PURGE, "Paul Chef", "2026-01-02", "Durée atteinte")
        if proposal else None)


def test_retention_model(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    from ui.models.retention_model import STATE_COLUMN, RetentionTableModel

    model = RetentionTableModel()
    model.set_rows([due_row(1, "depassee", -3, proposal=True), due_row(2, "a_echeance", 12),
                    due_row(3, "contentieux_a_revoir", 0), due_row(4, "limite_age", 200),
                    due_row(5, "archive_echue", -1)])
    qtmodeltester.check(model)
    assert model.data(model.index(0, STATE_COLUMN)) == "Dépassée (3 jours)"
    assert model.data(model.index(0, STATE_COLUMN), Qt.ItemDataRole.DecorationRole) is not None
    assert model.data(model.index(1, STATE_COLUMN), Qt.ItemDataRole.DecorationRole) is None
    assert model.data(model.index(3, 5)).startswith("Âge : 21 ans")
    assert "22 ans" in model.data(model.index(3, 5), Qt.ItemDataRole.ToolTipRole)
    assert model.data(model.index(0, 7)).startswith("Purge proposée par Paul Chef le 02/01/2026")
    assert model.data(model.index(0, 0), Qt.ItemDataRole.UserRole) == 1
    model.set_rows([])
    qtmodeltester.check(model)


def rights_request(i: int, days_left: int | None, status: str = "open") -> RightsRequest:
    received = dt.date(2026, 10, 1)
    return RightsRequest(
        id=i, dossier_id=i, dossier_number=f"D26-{i:05d}", kind=RequestKind.ACCESS, requester="Jade Roux",
        requester_role=RequesterRole.JEUNE, received_on=received, due_on=dt.date(2026, 11, 1), extended=False,
        extension_reason=None, status=RequestStatus(status), answered_on=None if status == "open" else received,
        answer=None if status == "open" else "Copie remise", days_left=days_left)


def test_rights_model(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model = RightsModel()
    model.set_rows([rights_request(1, -3), rights_request(2, 5), rights_request(3, 20),
                    rights_request(4, None, "answered")])
    qtmodeltester.check(model)
    state = [model.data(model.index(r, RIGHTS_STATE)) for r in range(4)]
    assert state == ["En retard de 3 j", "En cours — 5 j restants", "En cours — 20 j restants", "Répondue le 01/10/2026"]
    icons = [model.data(model.index(r, RIGHTS_STATE), Qt.ItemDataRole.DecorationRole) for r in range(4)]
    assert icons[0] is not None and icons[1] is not None and icons[2] is None and icons[3] is None
    assert model.data(model.index(0, 0), Qt.ItemDataRole.UserRole) == 1
    model.set_rows([])
    qtmodeltester.check(model)


def test_every_item_model_of_ui_is_checked_here() -> None:
    """A model added to ui/ without a model-tester test here fails this test (issue 9)."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "ui"
    bases = {"QAbstractItemModel", "QAbstractTableModel", "QAbstractListModel", "QSortFilterProxyModel",
             "QIdentityProxyModel", "QStandardItemModel", "QStringListModel", "HeadedTableModel"}
    models = {node.name for path in root.rglob("*.py") for node in ast.walk(ast.parse(path.read_text("utf-8")))
              if isinstance(node, ast.ClassDef)
              and any(getattr(base, "id", getattr(base, "attr", "")) in bases for base in node.bases)}
    assert models == {"HeadedTableModel", "JournalTableModel", "FlaggedOnly", "YouthTableModel",
                      "RetentionTableModel", "RightsModel", "TextRowsModel"}
    source = Path(__file__).read_text("utf-8")
    for name in models - {"HeadedTableModel"}:  # the base, checked through each of its subclasses
        assert f"{name}()" in source or f"{name}((" in source, name
