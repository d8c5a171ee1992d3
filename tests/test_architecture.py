"""Dependencies go one way: ui → app → storage/reports (STYLE.md)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def test_ui_never_touches_storage_or_sql() -> None:
    for path in modules("ui"):
        for name in imports_of(path):
            assert not name.startswith(("storage", "sqlcipher3", "sqlite3", "apsw")), (path, name)
        text = path.read_text(encoding="utf-8")
        assert ".execute(" not in text, path


def test_app_and_storage_never_import_qt_widgets() -> None:
    for package in ("app", "storage", "reports"):
        for path in modules(package):
            for name in imports_of(path):
                assert not name.startswith(("PySide6", "ui")), (path, name)


def test_storage_and_reports_import_neither_app_nor_ui() -> None:
    for package in ("storage", "reports"):
        for path in modules(package):
            assert not any(n.startswith(("ui", "app")) for n in imports_of(path)), path


def test_imports_inside_functions_are_checked_too() -> None:
    # imports_of walks the whole tree, so a late import inside a function is seen as well
    assert "reports.journal_report" in imports_of(ROOT / "app" / "journal" / "review.py")
