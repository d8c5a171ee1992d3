"""Dependencies go one way: cli and ui → app → storage/reports (STYLE.md); cli reaches ui only to
launch the GUI."""

from __future__ import annotations

import ast
import importlib
import re
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


def test_nothing_below_imports_the_command_line() -> None:
    """The command line sits at the top: app/, storage/, reports/ and ui/ never import it."""
    for package in ("app", "storage", "reports", "ui"):
        for path in modules(package):
            assert not any(n == "cli" or n.startswith("cli.") for n in imports_of(path)), path


def test_the_command_line_goes_through_app_and_opens_the_gui_through_one_door() -> None:
    """cli/ never touches storage/ or SQL directly (every command goes through the same app/
    services, permissions and journal as the GUI, SPEC §10), and imports ui/ only as ``ui.main``
    to launch the application."""
    for path in modules("cli"):
        for name in imports_of(path):
            assert not name.startswith(("storage", "sqlcipher3", "sqlite3", "apsw", "PySide6")), (path, name)
            assert not name.startswith("ui") or name == "ui.main", (path, name)
        assert ".execute(" not in path.read_text(encoding="utf-8"), path


def test_imports_inside_functions_are_checked_too() -> None:
    # imports_of walks the whole tree, so a late import inside a function is seen as well
    assert "reports.journal_report" in imports_of(ROOT / "app" / "journal" / "review.py")


PACKAGES = ("app", "cli", "storage", "reports", "ui")


def test_every_package_has_modules_to_check() -> None:
    """A check that finds nothing to check proves nothing (issue 9)."""
    for package in PACKAGES:
        assert len(modules(package)) >= 3, package


def test_ui_never_reaches_a_connection_or_a_store() -> None:
    """The UI gets domain objects from services, never ``session.conn`` / ``session.store``
    (nor any other object's ``conn`` or ``store``) (issue 9)."""
    for path in modules("ui"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        reached = [node.lineno for node in ast.walk(tree)
                   if isinstance(node, ast.Attribute) and node.attr in {"conn", "store", "_conn", "_store"}]
        assert not reached, (path, reached)


def test_no_dynamic_imports() -> None:
    """Every dependency is an import statement the checks above can see (issue 9)."""
    for package in PACKAGES:
        for path in modules(package):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, ast.Call):
                    func = node.func
                    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                    assert name not in {"import_module", "__import__"}, (path, node.lineno)
                if isinstance(node, ast.Import | ast.ImportFrom):
                    names = [alias.name for alias in node.names]
                    module = node.module if isinstance(node, ast.ImportFrom) else ""
                    assert "importlib" not in names and module != "importlib", (path, node.lineno)


def _storage_types() -> set[str]:
    """The classes storage/ defines (its rows, stores, formats), but for its error kinds, which
    every layer shares (``app.errors``, and the few an app service re-exports to be told apart)."""
    names: set[str] = set()
    for path in modules("storage"):
        module = importlib.import_module(".".join(path.relative_to(ROOT).with_suffix("").parts))
        names.update(name for name, value in vars(module).items()
                     if isinstance(value, type) and value.__module__ == module.__name__
                     and not issubclass(value, BaseException))
    return names


def _annotations(tree: ast.AST) -> list[ast.expr]:
    found: list[ast.expr] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.arg | ast.AnnAssign) and node.annotation is not None:
            found.append(node.annotation)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.returns is not None:
            found.append(node.returns)
    return found


def _names_in(tree: ast.AST) -> set[str]:
    """Every name a module writes: identifiers, attributes, imported names, and the words of its
    string annotations (``"DossierRow"``, ``list["repo.RecordRow"]``)."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            names.add(node.id)
        elif isinstance(node, ast.Attribute):
            names.add(node.attr)
        elif isinstance(node, ast.alias):
            names.update({node.name, node.asname or node.name})
    for annotation in _annotations(tree):
        for node in ast.walk(annotation):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                names.update(re.findall(r"[A-Za-z_]\w*", node.value))
    return names


def test_no_storage_type_crosses_into_the_ui() -> None:
    """The UI gets domain objects from app/: no storage row type is named in ui/, not even
    re-exported by an app module, nor under TYPE_CHECKING or in a string annotation (issue 9)."""
    banned = _storage_types()
    assert {"DossierRow", "RecordRow", "ConsentRow"} <= banned
    for path in modules("ui"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        named = _names_in(tree) & banned
        assert not named, (path, sorted(named))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                source = importlib.import_module(node.module)
                for alias in node.names:
                    found = getattr(source, alias.name, None)
                    origin = getattr(found, "__module__", "") or ""
                    is_error = isinstance(found, type) and issubclass(found, BaseException)
                    assert not (origin.startswith("storage") and not is_error), (path, alias.name, origin)
