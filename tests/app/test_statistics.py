"""Anonymised statistics (R-8.4; AU28 §6 "aucune statistique … de moins de cinq individus"):
no count from 1 to 4 is published, directly or by subtraction from the totals."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.dossiers.service import DossierService
from app.errors import PermissionRefused, ValidationError
from app.exports import ExportRequest
from app.journal.events import Action
from app.session import Session
from app.statistics import COMPLEMENT, PRIMARY, Dimension, StatisticsService, suppress
from storage import documents as register
from tests.app.test_permissions import full_record
from tests.conftest import WorkspaceHandle
from tests.reports.pdf_inspect import Pdf
from tests.store_access import store_of


def possible_values(dim: Dimension) -> dict[str, set[int]]:
    """What a reader who knows the rules can deduce about each suppressed cell: every assignment
    of the hidden cells that fits what is published (a "<5" cell holds 1 to 4, a "masqué" one
    5 or more, and they add up to the total minus the counts shown), enumerated exactly."""
    if dim.total is None:
        return {c.category: set(range(0, 5)) for c in dim.cells if c.marker == PRIMARY}
    hidden = [c for c in dim.cells if c.count is None]
    rest = dim.total - sum(c.count for c in dim.cells if c.count is not None)
    ranges = [range(1, 5) if c.marker == PRIMARY else range(5, rest + 1) for c in hidden]
    out: dict[str, set[int]] = {}
    for i, cell in enumerate(hidden):
        if cell.marker != PRIMARY:
            continue
        # sums reachable by the other hidden cells
        reachable = {0}
        for j, values in enumerate(ranges):
            if j != i:
                reachable = {s + v for s in reachable for v in values if s + v <= rest}
        out[cell.category] = {v for v in ranges[i] if rest - v in reachable}
    return out


def check_no_disclosure(counts: Mapping[str, int], dim: Dimension) -> None:
    assert [c.category for c in dim.cells] == list(counts)
    for cell in dim.cells:
        if cell.count is not None:
            assert cell.count == counts[cell.category]
            assert not 1 <= cell.count <= 4, cell
        else:
            assert cell.marker in (PRIMARY, COMPLEMENT)
    if dim.total is not None:
        assert dim.total == sum(counts.values()) and not 1 <= dim.total <= 4
        hidden = sum(counts[c.category] for c in dim.cells if c.count is None)
        assert not 1 <= hidden <= 4 or hidden == 0  # the sum of what is hidden, by subtraction
    for category, values in possible_values(dim).items():
        assert counts[category] in values
        assert len(values) >= 2, (category, values, dim)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=40), min_size=1, max_size=7))
def test_r8_4_no_count_from_1_to_4_directly_or_by_subtraction(values: list[int]) -> None:
    counts = {f"c{i}": n for i, n in enumerate(values)}
    check_no_disclosure(counts, suppress("d", counts))


@pytest.mark.parametrize("counts", [
    {"a": 3, "b": 10, "c": 12},  # one small cell: a complement is needed
    {"a": 4, "b": 4, "c": 20},  # two small cells adding to 8 would each be pinned at 4
    {"a": 1, "b": 5},  # 1 + 5: the complement alone would pin the 1
    {"a": 2, "b": 1},  # total under 5: everything goes
    {"a": 0, "b": 7, "c": 9},  # zeros are shown
])
def test_r8_4_known_tables(counts: dict[str, int]) -> None:
    dim = suppress("d", counts)
    check_no_disclosure(counts, dim)
    assert any(c.count is None for c in dim.cells) == any(1 <= n <= 4 for n in counts.values())


@pytest.fixture
def session(ws: WorkspaceHandle) -> Session:
    s = ws.login()
    service = DossierService(s)
    # 7 girls, 3 boys, 1 unknown; all with a measure
    for i, sex in enumerate(["2"] * 7 + ["1"] * 3 + [None]):
        d = service.create_dossier(last_name=f"Nom{i}", first_names="Test", birth_date=f"20{10 + i % 6}-03-04",
                                   unit_id=1)
        if sex:
            service.values.save(d, "identite", {"sexe": sex})
        service.records.add(d, "mesures", full_record("mesures"))
    return s


def read_csv(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


def test_r8_4_csv_long_form_and_pdf_with_bar_chart(session: Session, tmp_path: Path) -> None:
    service = StatisticsService(session)
    request = ExportRequest("Conseil départemental (financeur)", "Rapport d'activité 2026")
    before = store_of(session).journal.head()[0]
    service.export(2026, tmp_path / "stats.csv", request)
    rows = read_csv(tmp_path / "stats.csv")
    assert rows[0] == ["dimension", "category", "count"]
    sex = {r[1]: r[2] for r in rows if r[0] == "Sexe"}
    # 7 girls, 3 boys, 1 not set: 3 and 1 are under 5 and add up to 4, so the 7 is masked too
    assert sex == {"Garçon": PRIMARY, "Fille": COMPLEMENT, "Non connu à ce jour": "0", "Non renseigné": PRIMARY,
                   "Total": "11"}
    for r in rows[1:]:
        assert r[2] in (PRIMARY, COMPLEMENT) or not 1 <= int(r[2]) <= 4, r

    service.export(2026, tmp_path / "stats.pdf", request)
    pdf = Pdf.parse((tmp_path / "stats.pdf").read_bytes())
    text = pdf.text()
    assert "Statistiques anonymisées 2026" in text and "<5" in text and "Sexe" in text
    assert all(pdf.fonts().values()) and set(pdf.fonts()) <= {"DejaVuSans", "DejaVuSans-Bold"}
    assert pdf.lang == "fr-FR"
    bars = sum(page.get_contents().get_data().count(b".227451 .486275 .647059 rg") for page in pdf.reader.pages)
    with_bar = sum(1 for r in rows[1:] if r[1] != "Total" and r[2].isdigit() and int(r[2]) > 0)
    assert bars == with_bar > 0  # one bar per count shown, none for a suppressed cell

    store_of(session).journal.flush()
    entries = [e for e in store_of(session).journal.iter_entries() if e.seq > before]
    exports = [e for e in entries if e.action == Action.EXPORT.value and e.target == "statistiques"]
    assert len(exports) == 2 and "Conseil départemental" in exports[0].detail and exports[0].dossier_id is None
    assert [r.kind for r in register.list_communications(store_of(session).conn)] == ["statistiques"] * 2


def test_r8_4_refusals(ws: WorkspaceHandle, session: Session, tmp_path: Path) -> None:
    service = StatisticsService(session)
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    with pytest.raises(ValidationError):
        service.export(2026, tmp_path / "stats.xlsx", ExportRequest("ARS", "bilan"))
    with pytest.raises(ValidationError):
        service.export(2026, tmp_path / "stats.csv", ExportRequest("", "bilan"))
    assert not list(tmp_path.iterdir())
    from app.auth.service import AccountService

    AccountService(session).create_user(login="chef", display_name="Chef", profile="chef_service",
                                        units=["Les Lilas"], password="Bleu-Chat-Orage-91!")
    chef = ws.workspace.login("chef", "Bleu-Chat-Orage-91!")
    with pytest.raises(PermissionRefused):
        StatisticsService(chef).export(2026, tmp_path / "s.csv", ExportRequest("ARS", "bilan"))
    chef.close()
