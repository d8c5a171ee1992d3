"""The audiences of R-8.1 and the easy-to-read limits each one must meet."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class NoticeAudience(StrEnum):
    ENFANT_6_9 = "enfant-6-9"
    ENFANT_10_12 = "enfant-10-12"
    ADO_13_15 = "ado-13-15"
    ADO_16_17 = "ado-16-17"
    JEUNE_MAJEUR = "jeune-majeur"
    REPRESENTANT_LEGAL = "representant-legal"
    FALC = "falc"


@dataclass(frozen=True)
class AudienceRules:
    label: str
    address: str  # "tu" for children and teenagers, "vous" for the others
    average_words: float  # average sentence length at most
    maximum_words: int  # longest sentence allowed (our own bound, about 1.5 × the average)
    maximum_pages: int
    child: bool  # children's and falc versions: no italics, the plainest words


RULES: dict[NoticeAudience, AudienceRules] = {
    NoticeAudience.ENFANT_6_9: AudienceRules("Enfant de 6 à 9 ans", "tu", 8, 12, 2, True),
    NoticeAudience.ENFANT_10_12: AudienceRules("Enfant de 10 à 12 ans", "tu", 10, 15, 4, True),
    NoticeAudience.ADO_13_15: AudienceRules("Adolescent de 13 à 15 ans", "tu", 12, 18, 4, False),
    NoticeAudience.ADO_16_17: AudienceRules("Adolescent de 16 à 17 ans", "tu", 15, 22, 5, False),
    NoticeAudience.JEUNE_MAJEUR: AudienceRules("Jeune majeur", "vous", 15, 24, 5, False),
    NoticeAudience.REPRESENTANT_LEGAL: AudienceRules("Représentant légal", "vous", 15, 25, 5, False),
    NoticeAudience.FALC: AudienceRules("Facile à lire et à comprendre (FALC)", "vous", 10, 15, 6, True),
}

MANDATORY_ITEMS = (
    "responsable", "dpo", "finalites", "base_legale", "donnees", "sources", "destinataires",
    "duree", "droits", "exercice", "reclamation", "decision_automatisee", "transfert",
)


def parse_audience(value: str) -> NoticeAudience:
    from app.errors import ValidationError

    try:
        return NoticeAudience(value)
    except ValueError:
        choices = ", ".join(a.value for a in NoticeAudience)
        raise ValidationError(f"Public inconnu « {value} ». Choisissez parmi : {choices}.",
                              "audience") from None
