"""The report to the juge des enfants (R-8.3; AU49 art. 2 and 5; CASF D.223-18): sections the
author ticks, sensitive ones unticked by default and read through the journaled reveal, optional
AES-256 encryption, the register of communications and the journal."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from app.auth.access import require_right
from app.auth.permissions import Right
from app.catalogue import load_catalogue
from app.catalogue.display import EMPTY, display_value
from app.dossiers.model import MESURE_TYPE
from app.dossiers.service import DossierService
from app.errors import ValidationError
from app.exports import ExportRequest, send
from app.journal.events import Action
from app.judge_sections import BY_ID, DEFAULT_PURPOSE, parse_sections
from app.organisation import read_profile
from app.resources import prepare_reports
from app.session import Session
from app.session_service import SessionService
from reports.encrypt import encrypt_pdf
from reports.french import short_date
from reports.judge_report import JudgeReport, ReportBlock, ReportSection, render_judge_report

MAX_FOLLOW_UPS = 30


@dataclass(frozen=True)
class SentReport:
    path: Path
    register_id: int
    encrypted: bool
    pages_bytes: int


class JudgeReportService(SessionService):
    def __init__(self, session: Session) -> None:
        super().__init__(session)
        self.catalogue = load_catalogue()

    def build(self, dossier_id: int, sections: Sequence[str], *, court: str, observations: str = "",
              proposals: str = "") -> bytes:
        """The PDF of the ticked sections only. Sensitive sections are read as journaled reveals."""
        require_right(self.session, Right.JUDGE_REPORT)
        chosen = parse_sections(sections)
        court = " ".join(court.split())
        if not court:
            raise ValidationError("Indiquez le tribunal destinataire (juge des enfants).", "court")
        dossiers = DossierService(self.session, self.catalogue)
        header = dossiers.header(dossier_id)
        units = dict(dossiers.units())
        built: list[ReportSection] = []
        for section_id in chosen:
            spec = BY_ID[section_id]
            if spec.free_text:
                text = observations if section_id == "observations" else proposals
                built.append(ReportSection(spec.title, text=text.strip(), empty_note="Néant."))
                continue
            blocks: list[ReportBlock] = []
            for category_id in spec.categories:
                blocks += self._category_blocks(dossiers, dossier_id, category_id, units)
            built.append(ReportSection(spec.title, tuple(blocks)))
        measure = "aucune mesure enregistrée"
        if header.measure_type:
            field = self.catalogue.field("mesures", MESURE_TYPE)
            measure = display_value(self.catalogue, field, header.measure_type, units)
        birth = short_date(header.birth_date, EMPTY)
        prepare_reports()
        with self.session.reading() as conn:
            return render_judge_report(JudgeReport(
                org_name=read_profile(conn).name, court=court,
                author=self.session.user.display_name,
                date_text=short_date(self.session.clock.now()),
                youth_name=f"{header.first_names} {header.last_name}", youth_birth=birth,
                dossier_number=header.number, measure=measure, sections=tuple(built),
            ))

    def _category_blocks(self, dossiers: DossierService, dossier_id: int, category_id: str,
                         units: dict[int, str]) -> list[ReportBlock]:
        category = self.catalogue.category(category_id)

        def lines(values: dict[str, object]) -> tuple[tuple[str, str], ...]:
            out = []
            for field in category.fields:
                # A sensitive field of an ordinary category (the NIR) never goes to the judge.
                if field.sensitive and not category.sensitive:
                    continue
                if values.get(field.id) in (None, "", []):
                    continue
                out.append((field.label, display_value(self.catalogue, field, values[field.id], units)))
            return tuple(out)

        if category.repeating:
            records = dossiers.records.entries(dossier_id, category_id)[:MAX_FOLLOW_UPS]
            return [ReportBlock(f"{category.label} — {short_date(r.record_date, empty='sans date')}", lines(r.values))
                    for r in records if lines(r.values)]
        values = dossiers.values.read(dossier_id, category_id)  # a reveal when sensitive
        found = lines(values)
        return [ReportBlock(category.label, found)] if found else []

    def send(self, dossier_id: int, sections: Sequence[str], *, court: str, out: Path,
             request: ExportRequest | None = None, observations: str = "", proposals: str = "",
             password: str | None = None) -> SentReport:
        """Build, encrypt if asked, write outside the workspace, record in the register and the
        journal (one transaction with the write)."""
        chosen = parse_sections(sections)
        request = request or ExportRequest(court, DEFAULT_PURPOSE)
        pdf = self.build(dossier_id, chosen, court=court, observations=observations, proposals=proposals)
        if password is not None:
            if len(password) < 12:
                raise ValidationError("Le mot de passe du PDF fait 12 caractères au moins.", "password")
            pdf = encrypt_pdf(pdf, password)
        detail = f"rapport au juge, sections {','.join(chosen)}" + (", chiffré AES-256" if password else "")
        row = send(self.session, out=out, data=pdf, kind="rapport_juge", request=request, action=Action.ENVOI,
                   target="rapport_juge", dossier_id=dossier_id, sections=chosen, encrypted=password is not None,
                   detail=detail)
        return SentReport(Path(out), row, password is not None, len(pdf))

