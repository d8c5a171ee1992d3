"""docs/conformite.md: every requirement of the spec has its row, and every module and test it
cites exists (SPEC §12)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TABLE = ROOT / "docs" / "conformite.md"
#: the specification sits beside the repository (../shared/SPEC.md) in the development set-up
SPEC = ROOT.parent / "shared" / "SPEC.md"
R_ID = re.compile(r"\bR-\d+\.\d+\b")


def _rows() -> dict[str, str]:
    rows = {}
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.split("|")]
        if len(cells) > 2 and R_ID.fullmatch(cells[1]):
            assert cells[1] not in rows, f"{cells[1]} a deux lignes"
            rows[cells[1]] = line
    return rows


def test_every_requirement_of_the_spec_has_a_row() -> None:
    if not SPEC.exists():
        pytest.skip(f"spécification absente ({SPEC})")
    wanted = set(R_ID.findall(SPEC.read_text(encoding="utf-8")))
    rows = _rows()
    assert len(wanted) > 40
    assert sorted(wanted - set(rows)) == [], "exigences sans ligne dans docs/conformite.md"
    assert sorted(set(rows) - wanted) == [], "lignes pour des exigences que la spécification n'a pas"
    cited = set(R_ID.findall(TABLE.read_text(encoding="utf-8")))
    assert sorted(cited - wanted) == [], "identifiants cités qui n'existent pas"


def test_each_row_says_its_state() -> None:
    for rid, line in _rows().items():
        state = line.rstrip(" |").rsplit("|", 1)[-1].strip()
        assert state.split(" ")[0].rstrip(":") in {"fait", "partiel", "absent"}, (rid, state)
        if state.startswith(("partiel", "absent")):
            assert ":" in state, f"{rid} : dire ce qui manque"


def test_cited_tests_and_modules_exist() -> None:
    text = TABLE.read_text(encoding="utf-8")
    tests = re.findall(r"`(tests/[\w/]+\.py)::(\w+)`", text)
    assert len(tests) > 100
    for path, name in tests:
        source = ROOT / path
        assert source.exists(), path
        assert re.search(rf"^\s*def {name}\(", source.read_text(encoding="utf-8"), re.M), f"{path}::{name}"
    modules = re.findall(r"`((?:app|cli|storage|reports|ui|resources|tests|docs)/[\w/.]*)`", text)
    assert len(modules) > 50
    for module in modules:
        assert (ROOT / module).exists(), module
