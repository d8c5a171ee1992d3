"""Notice texts are data (``resources/notices/<lang>/<audience>.toml``): loaded, checked and
filled with the organisation's settings here, then handed to ``reports.notice``."""

from __future__ import annotations

import string
import tomllib
from dataclasses import dataclass
from pathlib import Path

from app.errors import KnownError, ValidationError
from app.notices.audiences import MANDATORY_ITEMS, NoticeAudience
from app.organisation import OrganisationProfile
from app.resources import resource_path
from reports.notice import Acknowledgement, NoticeDocument, NoticeSection

#: Material Icons code points (Apache 2.0 font in resources/fonts), by name for translators.
ICONS: dict[str, int] = {
    "home": 0xE88A, "business": 0xE0AF, "help": 0xE887, "lightbulb": 0xE0F0, "folder": 0xE2C7,
    "description": 0xE873, "group": 0xE7EF, "people": 0xE7FB, "schedule": 0xE8B5,
    "hourglass_empty": 0xE88B, "gavel": 0xE90E, "pan_tool": 0xE925, "security": 0xE32A,
    "lock": 0xE897, "mail": 0xE158, "email": 0xE0BE, "phone": 0xE0CD, "report_problem": 0xE8B2,
    "feedback": 0xE87F, "public": 0xE80B, "computer": 0xE30A, "edit": 0xE3C9, "create": 0xE150,
    "child_care": 0xEB41, "face": 0xE87C, "person": 0xE7FD, "visibility": 0xE8F4,
    "how_to_reg": 0xE174, "account_balance": 0xE84F, "question_answer": 0xE8AF, "info": 0xE88E,
}

PLACEHOLDERS = frozenset({"org_name", "org_address", "controller", "dpo_contact", "retention_years",
                          "legal_basis", "version"})
RECIPIENTS_LINE = "{recipients}"
LANGUAGES = ("fr", "en")

BROKEN = "Le texte de la notice « {name} » est incomplet ou mal formé ({why}). Réinstallez Sillage."


@dataclass(frozen=True)
class NoticeText:
    """One notice text as a translator wrote it (placeholders not filled yet)."""

    audience: NoticeAudience
    lang: str
    language_tag: str
    version: str
    title: str
    subject: str
    footer: str
    page_label: str
    intro: tuple[str, ...]
    legal_basis_public: str
    legal_basis_private: str
    glossary: dict[str, str]
    sections: tuple[tuple[tuple[str, ...], str, str, tuple[str, ...]], ...]  # items, icon, heading, lines
    ack_heading: str
    ack_lines: tuple[str, ...]
    ack_fields: tuple[str, ...]


def available_languages() -> list[str]:
    root = resource_path("notices")
    return sorted(p.name for p in root.iterdir() if p.is_dir() and any(p.glob("*.toml")))


def notice_path(audience: NoticeAudience, lang: str) -> Path:
    return resource_path("notices", lang, f"{audience.value}.toml")


def load_text(audience: NoticeAudience, lang: str) -> NoticeText:
    if lang not in available_languages():
        raise ValidationError(f"Langue de notice inconnue « {lang} ». Disponibles : "
                              f"{', '.join(available_languages())}.", "lang")
    path = notice_path(audience, lang)
    name = f"{lang}/{audience.value}"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise KnownError(f"Aucun texte de notice « {audience.value} » en « {lang} ».") from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise KnownError(BROKEN.format(name=name, why=type(exc).__name__)) from None
    try:
        sections = tuple(
            (tuple(s["items"]), str(s["icon"]), str(s["heading"]), tuple(str(x) for x in s["lines"]))
            for s in data["sections"]
        )
        text = NoticeText(
            audience=audience, lang=lang, language_tag=str(data["language_tag"]),
            version=str(data["version"]), title=str(data["title"]), subject=str(data["subject"]),
            footer=str(data["footer"]), page_label=str(data["page_label"]),
            intro=tuple(str(x) for x in data["intro"]),
            legal_basis_public=str(data["legal_basis"]["public"]),
            legal_basis_private=str(data["legal_basis"]["private"]),
            glossary={str(k): str(v) for k, v in data.get("glossary", {}).items()},
            sections=sections,
            ack_heading=str(data["acknowledgement"]["heading"]),
            ack_lines=tuple(str(x) for x in data["acknowledgement"]["lines"]),
            ack_fields=tuple(str(x) for x in data["acknowledgement"]["fields"]),
        )
    except (KeyError, TypeError) as exc:
        raise KnownError(BROKEN.format(name=name, why=f"clé {exc}")) from None
    _check(text, name)
    return text


def _check(text: NoticeText, name: str) -> None:
    covered = {item for items, _, _, _ in text.sections for item in items}
    missing = [i for i in MANDATORY_ITEMS if i not in covered]
    if missing:
        raise KnownError(BROKEN.format(name=name, why="points manquants : " + ", ".join(missing)))
    for _, icon, _, _ in text.sections:
        if icon not in ICONS:
            raise KnownError(BROKEN.format(name=name, why=f"pictogramme inconnu {icon}"))
    for piece in _all_strings(text):
        for _, field_name, _, _ in string.Formatter().parse(piece):
            if field_name is not None and field_name not in PLACEHOLDERS and piece != RECIPIENTS_LINE:
                raise KnownError(BROKEN.format(name=name, why=f"champ inconnu {{{field_name}}}"))


def _all_strings(text: NoticeText) -> list[str]:
    pieces = [text.title, text.subject, text.footer, *text.intro, text.legal_basis_public,
              text.legal_basis_private, text.ack_heading, *text.ack_lines, *text.ack_fields]
    for _, _, heading, lines in text.sections:
        pieces += [heading, *lines]
    return pieces


def build_document(text: NoticeText, org: OrganisationProfile) -> NoticeDocument:
    """Fill the placeholders; the values are plain text (the renderer escapes them)."""
    values = {
        "org_name": org.name, "org_address": org.address or "—", "controller": org.controller or org.name,
        "dpo_contact": org.dpo_contact or "—", "retention_years": str(org.retention_years),
        "version": text.version,
    }
    basis = text.legal_basis_public if org.public_service_body else text.legal_basis_private
    values["legal_basis"] = basis.format_map({**values, "legal_basis": ""})

    def fill(piece: str) -> str:
        # format_map on the translator's text only: the values themselves are never parsed.
        return piece.format_map(values)

    def fill_lines(lines: tuple[str, ...]) -> tuple[str, ...]:
        out: list[str] = []
        for line in lines:
            if line.strip() == RECIPIENTS_LINE:
                out += [f"- {r}." if not r.endswith(".") else f"- {r}" for r in org.recipients]
            else:
                out.append(fill(line))
        return tuple(out)

    return NoticeDocument(
        title=fill(text.title),
        intro=fill_lines(text.intro),
        sections=tuple(NoticeSection(ICONS[icon], fill(heading), fill_lines(lines))
                       for _, icon, heading, lines in text.sections),
        acknowledgement=Acknowledgement(fill(text.ack_heading), fill_lines(text.ack_lines),
                                        fill_lines(text.ack_fields)),
        lang=text.language_tag, author=org.name, subject=fill(text.subject), footer=fill(text.footer),
        page_label=text.page_label,
    )
