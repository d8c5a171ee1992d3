"""The session keeps its connection and its store private (issue 9): services reach the database
through ``Session.reading()`` / ``Session.transaction()`` and a few named facts (journal, paths,
workspace key, key holder); no module of app/, ui/ or cli/ reaches ``session.conn`` or
``session.store``. Tests inspect the store through ``tests.store_access.store_of``."""

from __future__ import annotations

import ast
from pathlib import Path

from app.session import Session

ROOT = Path(__file__).resolve().parents[2]


def test_session_has_no_public_connection_or_store() -> None:
    assert not hasattr(Session, "conn")
    assert not hasattr(Session, "store")


def _reached(path: Path) -> list[int]:
    lines = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Attribute) and node.attr in {"conn", "store", "_store", "_live"}:
            base = node.value
            name = base.id if isinstance(base, ast.Name) else base.attr if isinstance(base, ast.Attribute) else ""
            if name == "session":
                lines.append(node.lineno)
    return lines


def test_no_module_reaches_into_a_session() -> None:
    checked = 0
    for package in ("app", "ui", "cli"):
        for path in sorted((ROOT / package).rglob("*.py")):
            checked += 1
            assert not _reached(path), (path, _reached(path))
    assert checked > 100  # a check that finds nothing to check proves nothing


def test_the_check_sees_a_reach_through(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("def f(self):\n    return self.session.conn.execute('SELECT 1')\n", encoding="utf-8")
    assert _reached(sample) == [2]
