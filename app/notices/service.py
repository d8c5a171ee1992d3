"""Producing a notice for a dossier (R-8.1): rights checked, the print journaled."""

from __future__ import annotations

from dataclasses import dataclass

from app.auth.access import require_right
from app.auth.permissions import Right
from app.documents import prepare_reports
from app.dossiers.service import DossierService
from app.errors import KnownError
from app.journal.events import Action
from app.notices.audiences import RULES, NoticeAudience, parse_audience
from app.notices.texts import build_document, load_text
from app.organisation import read_profile
from app.session import Session
from reports.notice import render_notice

TOO_LONG = ("Le texte de la notice « {audience} » tient sur {pages} pages, au-delà des {limit} prévues "
            "pour ce public. Raccourcissez-le dans Paramètres ou signalez-le à l'équipe Sillage.")


@dataclass(frozen=True)
class GeneratedNotice:
    pdf: bytes
    pages: int
    audience: NoticeAudience
    lang: str
    version: str


class NoticeService:
    def __init__(self, session: Session) -> None:
        self.session = session

    def render(self, audience: NoticeAudience | str, lang: str = "fr") -> GeneratedNotice:
        """The PDF alone, nothing recorded: the preview of a dialog, the settings page."""
        audience = parse_audience(audience) if isinstance(audience, str) else audience
        text = load_text(audience, lang)
        prepare_reports()
        rendered = render_notice(build_document(text, read_profile(self.session.conn)))
        limit = RULES[audience].maximum_pages
        if rendered.pages > limit:
            raise KnownError(TOO_LONG.format(audience=audience.value, pages=rendered.pages, limit=limit))
        return GeneratedNotice(rendered.pdf, rendered.pages, audience, lang, text.version)

    def generate(self, dossier_id: int, audience: NoticeAudience | str, lang: str = "fr") -> GeneratedNotice:
        """A notice printed for one dossier's person: journaled as a print of that dossier."""
        require_right(self.session, Right.DELIVER_NOTICE)
        DossierService(self.session).header(dossier_id)  # the dossier must be visible
        notice = self.render(audience, lang)
        self.session.journal_event(
            Action.IMPRESSION, "notice", dossier_id=dossier_id,
            detail=f"notice {notice.audience.value} ({notice.lang}, version {notice.version})",
        )
        return notice
