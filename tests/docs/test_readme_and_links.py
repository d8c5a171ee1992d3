"""The README and docs/ link only inside the repository, and every link resolves (SPEC §12)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINK = re.compile(r"\]\(([^)\s]+)\)")
SET_UP = [
    "python3 -m venv .venv && .venv/bin/pip install -q -e . && .venv/bin/sillage demo --workspace "
    "demo-sillage && .venv/bin/sillage --workspace demo-sillage",
    "python3 -m venv .venv && .venv/bin/pip install -q -e '.[test]' && .venv/bin/ruff check . && "
    ".venv/bin/mypy && QT_QPA_PLATFORM=offscreen .venv/bin/python -m pytest -q",
]


def _documents() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def test_every_link_stays_inside_the_repository_and_resolves() -> None:
    checked = 0
    for doc in _documents():
        for target in LINK.findall(doc.read_text(encoding="utf-8")):
            if target.startswith(("#", "mailto:")):
                continue
            assert not re.match(r"[a-z]+://", target), f"{doc.name} : lien hors du dépôt {target}"
            path = (doc.parent / target.split("#", 1)[0]).resolve()
            assert path.is_relative_to(ROOT), f"{doc.name} : lien hors du dépôt {target}"
            assert path.exists(), f"{doc.name} : lien mort {target}"
            checked += 1
    assert checked > 30


def test_readme_names_nothing_outside_the_repository() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "../" not in text
    assert "shared/" not in text and "SPEC.md" not in text


def test_readme_keeps_its_two_set_up_commands() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Set up", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)\n```", section, re.S)
    assert blocks == SET_UP


def test_readme_links_every_document_and_says_how_to_run_on_a_desktop() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in ("guide-utilisateur.md", "guide-administrateur.md", "reference-cli.md", "conformite.md"):
        assert f"(docs/{name})" in text, name
    assert "Sur un poste avec écran" in text and "libxcb-cursor0" in text


def test_every_screenshot_is_shown_by_the_user_guide() -> None:
    guide = (ROOT / "docs" / "guide-utilisateur.md").read_text(encoding="utf-8")
    images = sorted(p.name for p in (ROOT / "docs" / "img").glob("*.png"))
    assert len(images) >= 12
    for name in images:
        assert f"(img/{name})" in guide, name
