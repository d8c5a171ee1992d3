"""The access / portability export of one dossier (R-7.2; GDPR art. 15 and 20).

A readable PDF and a machine-readable JSON file (schema ``resources/schemas/
export-personne.schema.json``, documented in ``docs/export-personne.md``) of everything the
organisation holds about the person: every category the dossier holds, the consents, the
documents given and sent, the register of rights, the retention decisions and the accesses to
the dossier from the journal.

Only `direction` exports (it holds both the export right and the rights register, R-3.5).
The two files are written outside the workspace (R-2.9) in the same transaction as the journal
entries — one consultation per sensitive category read, one export entry, never a name or a
value — and the register entry: the open access / portability requests of the dossier are
answered by it, or a new, answered entry is recorded when none was open.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.auth.access import gated_service, require_category, require_right
from app.auth.permissions import Access, DossierScope, Right
from app.catalogue import Catalogue, load_catalogue
from app.dossiers.service import DossierService
from app.errors import KnownError
from app.journal.events import Action
from app.organisation import read_profile
from app.output_files import check_output
from app.resources import prepare_reports
from app.rights import subject_data
from app.rights.model import RequesterRole, RequestKind, RequestStatus
from app.session import Session
from reports.french import short_date
from reports.subject_export import render_subject_export
from storage import rights as rights_repo
from storage.files import atomic_write
from storage.journal.review import EntryFilter, iter_matching

TARGET = "export_personne"
EXPORT_KINDS = frozenset({RequestKind.ACCESS.value, RequestKind.PORTABILITY.value})
#: the register entry recorded when the export answers no open request
DIRECT_REQUESTER = "Non indiqué (export sans demande enregistrée)"

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class SubjectExport:
    pdf: Path
    json: Path
    #: register entries answered by this export (or the one recorded for it)
    request_ids: tuple[int, ...]
    categories: int
    journal_entries: int
    pdf_bytes: int
    json_bytes: int


def file_stem(number: str, day: dt.date) -> str:
    safe = re.sub(r"[^A-Za-z0-9_-]+", "-", number).strip("-") or "dossier"
    return f"sillage-donnees-{safe}-{day:%Y%m%d}"


@gated_service
class SubjectExportService:
    def __init__(self, session: Session, catalogue: Catalogue | None = None) -> None:
        self.session = session
        self.catalogue = catalogue or load_catalogue()

    def _check_caller(self) -> None:
        require_right(self.session, Right.EXPORT)
        require_right(self.session, Right.RIGHTS_REGISTER)

    def targets(self, dossier_id: int, out_dir: Path | str, *, force: bool = False) -> tuple[Path, Path]:
        """The PDF and JSON paths the export will write, checked before anything is read (R-2.9):
        a folder outside the workspace, existing and writable, no file replaced unless ``force``."""
        self._check_caller()
        header = DossierService(self.session, self.catalogue).header(dossier_id)
        folder = Path(out_dir).expanduser()
        if not str(out_dir).strip():
            raise KnownError("Indiquez le dossier où écrire l'export.")
        if folder.exists() and not folder.is_dir():
            raise KnownError(f"« {folder} » est un fichier : indiquez un dossier où écrire le PDF et le JSON.")
        if not folder.is_dir():
            raise KnownError(f"Le dossier « {folder} » n'existe pas : créez-le ou choisissez un autre emplacement.")
        stem = file_stem(header.number, self.session.today())
        root = self.session.paths.root
        pdf = check_output(folder / f"{stem}.pdf", workspace_root=root, force=force)
        data = check_output(folder / f"{stem}.json", workspace_root=root, force=force)
        return pdf, data

    def export(self, dossier_id: int, out_dir: Path | str, *, request_id: int | None = None,
               force: bool = False, progress: Progress | None = None) -> SubjectExport:
        step = progress or (lambda done, total: None)
        pdf_path, json_path = self.targets(dossier_id, out_dir, force=force)
        answered = self._requests_answered(dossier_id, request_id)
        step(1, 4)
        document, sensitive = self._document(dossier_id)
        prepare_reports()
        step(2, 4)
        today = self.session.today()
        now = self.session.stamp()
        answer = (f"Export des données remis le {short_date(today)} : PDF lisible et fichier JSON "
                  "(droit d'accès et portabilité).")
        written: list[Path] = []
        try:
            with self.session.transaction() as conn:
                for category_id, field_id in sensitive:  # each masked read is a consultation
                    self.session.record(Action.CONSULTATION, category_id, dossier_id=dossier_id,
                                        detail=(f"champ {field_id}, " if field_id else "")
                                        + "lecture pour l'export droit d'accès")
                ids = list(answered)
                if not ids:
                    ids.append(rights_repo.insert_request(
                        conn, dossier_id=dossier_id, kind=RequestKind.ACCESS.value, requester=DIRECT_REQUESTER,
                        requester_role=RequesterRole.AUTRE.value, received_on=today.isoformat(),
                        due_on=today.isoformat(), recorded_by=self.session.user.id, now=now))
                for rid in ids:
                    rights_repo.close(conn, rid, RequestStatus.ANSWERED.value, answer, today.isoformat())
                # the person reads that this very document answers the request
                document["rights_requests"] = subject_data.rights_requests(conn, dossier_id)
                json_data = (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
                pdf_data = render_subject_export(document)
                step(3, 4)
                self.session.record(
                    Action.EXPORT, TARGET, dossier_id=dossier_id,
                    detail=(f"export droit d'accès et portabilité (PDF et JSON) : {len(document['categories'])} "
                            f"catégories, {len(document['journal']['entries'])} accès ; registre : demande(s) "
                            f"{', '.join(str(i) for i in ids)} répondue(s)"))
                for path, data in ((json_path, json_data), (pdf_path, pdf_data)):
                    atomic_write(path, data)  # 0600, fsync, rename
                    written.append(path)
        except BaseException:
            for path in written:  # a record always has its files, files always their record
                with contextlib.suppress(OSError):
                    path.unlink()
            raise
        step(4, 4)
        return SubjectExport(pdf_path, json_path, tuple(ids), len(document["categories"]),
                             len(document["journal"]["entries"]), len(pdf_data), len(json_data))

    def _requests_answered(self, dossier_id: int, request_id: int | None) -> list[int]:
        """The register entries this export answers: the one chosen, or every open access and
        portability request of the dossier."""
        with self.session.reading() as conn:
            rows = rights_repo.requests_of(conn, dossier_id)
        if request_id is None:
            return [r.id for r in rows if r.kind in EXPORT_KINDS and r.status == RequestStatus.OPEN.value]
        with self.session.reading() as conn:
            row = rights_repo.get_request(conn, request_id)
        if row is None or row.dossier_id != dossier_id:
            raise KnownError("Cette demande n'existe pas dans le registre pour ce dossier.")
        if row.kind not in EXPORT_KINDS:
            raise KnownError("L'export répond à une demande d'accès ou de portabilité, pas à celle-ci.")
        if row.status != RequestStatus.OPEN.value:
            raise KnownError("Cette demande a déjà reçu sa réponse.")
        return [row.id]

    def _document(self, dossier_id: int) -> tuple[dict[str, Any], list[tuple[str, str]]]:
        """The export document, every category checked as readable by the caller (a refusal is
        journaled and stops the export: an incomplete answer is never given as complete)."""
        dossiers = DossierService(self.session, self.catalogue)
        header = dossiers.header(dossier_id)
        scope = DossierScope(header.unit_id, header.referent_id, header.status.value)
        for category in self.catalogue.categories:
            require_category(self.session, category.id, Access.READ, scope, dossier_id)
        require_category(self.session, "consentements", Access.READ, scope, dossier_id)
        from app.journal.review import target_labels

        with self.session.reading() as conn:
            profile = read_profile(conn)
            journal = list(iter_matching(self.session.journal, EntryFilter(dossier_id=dossier_id)))
            document = subject_data.collect(
                conn, self.catalogue, header, categories=self.catalogue.categories,
                identity_columns=subject_data.identity_columns(header), units=dict(dossiers.units()),
                consents=dossiers.consents.of_dossier(dossier_id), journal=journal, target_labels=target_labels(),
                organisation={"name": profile.name, "address": profile.address, "dpo_contact": profile.dpo_contact},
                generated_at=self.session.clock.now())
            return document, subject_data.sensitive_reads(self.catalogue, document["categories"])
