"""Producing a notice for a dossier (R-8.1) and recording that it was given (R-8.2): rights
checked, the print journaled with the file it writes, the delivery journaled with its record."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from app.auth.access import require_right
from app.auth.permissions import Right
from app.dossiers.service import DossierService
from app.errors import KnownError, ValidationError
from app.exports import ExportRequest, send
from app.journal.events import Action
from app.notices.audiences import RULES, NoticeAudience, parse_audience
from app.notices.texts import build_document, load_text
from app.organisation import read_profile
from app.resources import prepare_reports
from app.session_service import SessionService
from reports.french import short_date
from reports.notice import render_notice
from storage import documents as repo

TOO_LONG = ("Le texte de la notice « {audience} » tient sur {pages} pages, au-delà des {limit} prévues "
            "pour ce public. Raccourcissez-le dans Paramètres ou signalez-le à l'équipe Sillage.")
PURPOSE = "Information des personnes sur leurs données (RGPD, articles 13 et 14)"


@dataclass(frozen=True)
class GeneratedNotice:
    pdf: bytes
    pages: int
    audience: NoticeAudience
    lang: str
    version: str


@dataclass(frozen=True)
class NoticeDelivery:
    """R-8.2: what was given, when, to whom, by whom (REF 61)."""

    id: int
    audience: NoticeAudience
    lang: str
    text_version: str
    delivered_on: dt.date
    recipient: str
    delivered_by: str


class NoticeService(SessionService):
    def render(self, audience: NoticeAudience | str, lang: str = "fr") -> GeneratedNotice:
        """The PDF alone, nothing recorded: the preview of a dialog, the settings page."""
        audience = parse_audience(audience) if isinstance(audience, str) else audience
        text = load_text(audience, lang)
        prepare_reports()
        with self.session.reading() as conn:
            rendered = render_notice(build_document(text, read_profile(conn)))
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

    def save(self, dossier_id: int, audience: NoticeAudience | str, lang: str, out: Path,
             request: ExportRequest) -> GeneratedNotice:
        """Write the notice to a file the user chose (R-8.5), with its register row and journal entry."""
        require_right(self.session, Right.DELIVER_NOTICE)
        DossierService(self.session).header(dossier_id)
        notice = self.render(audience, lang)
        send(self.session, out=out, data=notice.pdf, kind="notice", request=request, action=Action.IMPRESSION,
             target="notice", dossier_id=dossier_id,
             detail=f"notice {notice.audience.value} ({notice.lang}, version {notice.version})")
        return notice

    def record_delivery(self, dossier_id: int, audience: NoticeAudience | str, lang: str, *, recipient: str,
                        delivered_on: dt.date | None = None) -> int:
        """R-8.2: the notice was handed to ``recipient``; kept with the version of its text."""
        require_right(self.session, Right.DELIVER_NOTICE)
        DossierService(self.session).header(dossier_id)
        audience = parse_audience(audience) if isinstance(audience, str) else audience
        version = load_text(audience, lang).version
        recipient = " ".join(recipient.split())
        if not recipient or len(recipient) > 150:
            raise ValidationError("Indiquez à qui la notice a été remise (150 caractères au plus).", "recipient")
        today = self.session.today()
        day = delivered_on or today
        if day > today:
            raise ValidationError("La date de remise ne peut pas être dans le futur.", "delivered_on")
        with self.session.transaction() as conn:
            row = repo.insert_delivery(
                conn, dossier_id=dossier_id, audience=audience.value, lang=lang, text_version=version,
                delivered_on=day.isoformat(), recipient=recipient, delivered_by=self.session.user.id,
                created_at=self.session.stamp())
            self.session.record(Action.CREATION, "remise_notice", dossier_id=dossier_id,
                                detail=f"notice {audience.value} ({lang}, version {version}) "
                                       f"remise le {short_date(day)}")
        return row

    def deliveries(self, dossier_id: int) -> list[NoticeDelivery]:
        DossierService(self.session).header(dossier_id)
        with self.session.reading() as conn:
            return [NoticeDelivery(r.id, NoticeAudience(r.audience), r.lang, r.text_version,
                                   dt.date.fromisoformat(r.delivered_on), r.recipient, r.delivered_by)
                    for r in repo.list_deliveries(conn, dossier_id)]

    def without_notice(self, dossier_ids: Sequence[int]) -> set[int]:
        """R-8.2 flag: which of these (already listed, so visible) dossiers have no notice delivered."""
        with self.session.reading() as conn:
            return repo.dossiers_without_delivery(conn, list(dossier_ids))
