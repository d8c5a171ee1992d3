"""The sections of the report to the juge des enfants (R-8.3): which categories each one draws on,
which are sensitive (unticked by default), and how a list typed by the author is read. Data only:
the command line's parser reads it without loading the PDF libraries (``app.judge_report``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.errors import ValidationError


@dataclass(frozen=True)
class SectionSpec:
    id: str
    title: str
    categories: tuple[str, ...]
    sensitive: bool  # unticked by default; read through the journaled reveal (REF 32, AU49 art. 5)
    free_text: bool = False


SECTIONS: tuple[SectionSpec, ...] = (
    SectionSpec("identite", "Identité et mesure", ("identite", "mesures"), False),
    SectionSpec("sante", "Développement, santé physique et psychique", ("sante_sejour", "sante"), True),
    SectionSpec("famille", "Relations familiales et sociales", ("representants", "vie_personnelle", "intervenants"),
                False),
    SectionSpec("scolarite", "Scolarité et vie sociale", ("scolarite",), False),
    SectionSpec("autonomie", "Projet d'autonomie", ("conditions_materielles", "couverture_sociale"), False),
    SectionSpec("evaluation", "Évaluation sociale et situation de danger", ("evaluation_sociale", "danger"), True),
    SectionSpec("projet", "Bilan du projet pour l'enfant (suivi)", ("suivi",), False),
    SectionSpec("observations", "Observations", (), False, free_text=True),
    SectionSpec("propositions", "Propositions", (), False, free_text=True),
)
BY_ID = {s.id: s for s in SECTIONS}
DEFAULT_SECTIONS = tuple(s.id for s in SECTIONS if not s.sensitive)
DEFAULT_PURPOSE = "Rapport de situation à l'autorité qui a décidé de la mesure"


def parse_sections(text: str | Sequence[str]) -> tuple[str, ...]:
    items = [s.strip() for s in (text.split(",") if isinstance(text, str) else text) if s.strip()]
    unknown = [s for s in items if s not in BY_ID]
    if unknown or not items:
        raise ValidationError(
            f"Sections inconnues : {', '.join(unknown) or '(aucune)'}. Choisissez parmi : "
            f"{', '.join(BY_ID)}.", "sections")
    return tuple(s.id for s in SECTIONS if s.id in items)  # always in the report's order
