"""The PyInstaller spec lists every data file the code reads (SPEC §12): a resource or schema
file added without its line in installer/sillage.spec would be missing from the frozen app."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "installer" / "sillage.spec"


def listed() -> list[tuple[Path, str]]:
    """The (source, destination) pairs of ``datas``, evaluated from the spec's own text."""
    tree = ast.parse(SPEC.read_text(encoding="utf-8"))
    names = {"ROOT": ROOT, "RES": ROOT / "resources", "SCHEMA": ROOT / "storage" / "schema"}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name) and node.targets[0].id == "datas":
            code = compile(ast.Expression(node.value), str(SPEC), "eval")
            return [(Path(src), dest) for src, dest in eval(code, {"str": str}, names)]  # noqa: S307
    raise AssertionError("no datas list in the spec")


def test_every_data_file_is_listed_in_the_spec() -> None:
    pairs = listed()
    needed = [p for p in (ROOT / "resources").rglob("*") if p.is_file() and p.suffix not in (".py", ".pyc")
              and p.name != "README.md" and "__pycache__" not in p.parts]
    needed += sorted((ROOT / "storage" / "schema").glob("*.sql"))
    for path in needed:
        covering = [(src, dest) for src, dest in pairs if path == src or src in path.parents]
        assert covering, f"{path.relative_to(ROOT)} is not in installer/sillage.spec"
        src, dest = covering[0]
        inside = path.relative_to(src).parent if src.is_dir() else Path()
        assert (Path(dest) / inside).as_posix() == path.parent.relative_to(ROOT).as_posix()


def test_the_spec_excludes_every_qt_module_the_code_does_not_import() -> None:
    used = set()
    for path in list((ROOT / "ui").rglob("*.py")) + list((ROOT / "app").rglob("*.py")):
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if line.startswith(("from PySide6.", "import PySide6.")):
                used.add(line.split()[1].split(".")[1])
    text = SPEC.read_text(encoding="utf-8")
    tree = ast.parse(text)
    unused = next(ast.literal_eval(n.value) for n in tree.body
                  if isinstance(n, ast.Assign) and getattr(n.targets[0], "id", "") == "QT_UNUSED")
    assert used and not used & set(unused), used & set(unused)
    assert {"QtNetwork", "QtQml", "QtQuick", "QtWebEngineCore", "QtSql", "QtTest"} <= set(unused)


def test_the_frozen_build_passes_its_smoke_test() -> None:
    """Opt-in (SILLAGE_TEST_FROZEN=1, after installer/build.sh): the frozen app's smoke test."""
    import os
    import subprocess

    import pytest

    if os.environ.get("SILLAGE_TEST_FROZEN") != "1":
        pytest.skip("le test de l'application figée se lance avec SILLAGE_TEST_FROZEN=1 après installer/build.sh")
    result = subprocess.run(["bash", str(ROOT / "installer" / "build.sh"), "--test"], capture_output=True,
                            text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert "Smoke test passed." in result.stdout


def test_the_windows_installer_names_the_version_of_the_code() -> None:
    """Inno Setup cannot read Python: its version is checked against app/version.py."""
    import importlib.metadata
    import re

    from app.version import VERSION

    iss = (ROOT / "installer" / "sillage.iss").read_text(encoding="utf-8")
    declared = re.search(r'^#define AppVersion "([^"]+)"', iss, re.M)
    assert declared is not None and declared.group(1) == VERSION
    assert f"sillage-{VERSION}-installation.exe" in iss
    assert importlib.metadata.version("sillage") == VERSION  # pyproject.toml reads app/version.py
