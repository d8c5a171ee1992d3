"""Report to the juge des enfants read back from the real PDF (R-8.3): ticked sections only,
sensitive ones absent unless ticked, "Confidentiel", AES-256 with its password, the register of
communications and the journal."""

from __future__ import annotations

import io
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pikepdf
import pytest

from app.catalogue import load_catalogue
from app.dossiers.service import DossierService
from app.errors import KnownError, PermissionRefused, ValidationError
from app.exports import ExportRequest, generate_password
from app.journal.events import Action
from app.judge_report import JudgeReportService
from app.judge_sections import DEFAULT_SECTIONS
from app.session import Session
from storage import documents as register
from tests.conftest import WorkspaceHandle
from tests.reports.pdf_inspect import Pdf
from tests.store_access import store_of

COURT = "Tribunal judiciaire de Lyon — juge des enfants, cabinet 3"


def fill_choice(category_id: str) -> tuple[dict[str, object], str]:
    """Values for a category with its first choice field set; returns the label a reader sees."""
    catalogue = load_catalogue()
    category = catalogue.category(category_id)
    field = next(f for f in category.fields if f.type.value == "choice" and not f.sensitive)
    item = catalogue.vocabulary(field.vocabulary or "").active_items[-1]
    return {field.id: item.code}, item.label


@pytest.fixture
def session(ws: WorkspaceHandle) -> Iterator[Session]:
    s = ws.login()
    yield s
    s.close()


@pytest.fixture
def filled(session: Session) -> tuple[int, str, str]:
    service = DossierService(session)
    dossier = service.create_dossier(last_name="Morel", first_names="Noé", birth_date="2012-05-05", unit_id=1)
    school, school_label = fill_choice("scolarite")
    health, health_label = fill_choice("sante")
    service.values.save(dossier, "scolarite", school)
    service.values.save(dossier, "sante", health)
    return dossier, school_label, health_label


def entries_since(session: Session, seq: int) -> list:  # type: ignore[type-arg]
    store_of(session).journal.flush()
    return [e for e in store_of(session).journal.iter_entries() if e.seq > seq]


def test_r8_3_default_report_leaves_sensitive_sections_out(session: Session, filled: tuple[int, str, str],
                                                           tmp_path: Path) -> None:
    dossier, school_label, health_label = filled
    before = store_of(session).journal.head()[0]
    out = tmp_path / "rapport.pdf"
    JudgeReportService(session).send(dossier, DEFAULT_SECTIONS, court=COURT, out=out,
                                     observations="Noé progresse en lecture.")
    pdf = Pdf.parse(out.read_bytes())
    text = " ".join(pdf.text().split())
    assert "santé" not in text.lower() and health_label not in text
    assert school_label in text and "Scolarité et vie sociale" in text
    assert "Noé progresse en lecture." in text and COURT in text and "Claire Martin" in text
    assert "23/11/2026" in text and "Noé Morel" in text
    for page in pdf.reader.pages:
        assert "CONFIDENTIEL" in (page.extract_text() or "")
    assert f"page 1 sur {pdf.pages}" in text
    assert pdf.lang == "fr-FR" and all(pdf.fonts().values()) and set(pdf.fonts()) == {"DejaVuSans", "DejaVuSans-Bold"}
    assert oct(out.stat().st_mode & 0o777) == "0o600"

    entries = entries_since(session, before)
    assert not [e for e in entries if e.action == Action.CONSULTATION.value]  # nothing sensitive was read
    sent = [e for e in entries if e.action == Action.ENVOI.value]
    assert len(sent) == 1 and sent[0].dossier_id == dossier and COURT in sent[0].detail
    rows = register.list_communications(store_of(session).conn, dossier_id=dossier)
    assert len(rows) == 1 and rows[0].kind == "rapport_juge" and rows[0].recipient == COURT
    assert rows[0].sections == DEFAULT_SECTIONS and not rows[0].encrypted and rows[0].author == "Claire Martin"


def test_r8_3_ticked_sensitive_section_is_a_journaled_reveal(session: Session, filled: tuple[int, str, str],
                                                             tmp_path: Path) -> None:
    dossier, _, health_label = filled
    before = store_of(session).journal.head()[0]
    out = tmp_path / "rapport-sante.pdf"
    JudgeReportService(session).send(dossier, ["identite", "sante"], court=COURT, out=out,
                                     request=ExportRequest(COURT, "Audience du 2 décembre"))
    text = " ".join(Pdf.parse(out.read_bytes()).text().split())
    assert health_label in text and "Scolarité et vie sociale" not in text
    entries = entries_since(session, before)
    assert {(e.action, e.target) for e in entries} >= {(Action.CONSULTATION.value, "sante"),
                                                       (Action.ENVOI.value, "rapport_juge")}
    assert "Audience du 2 décembre" in next(e.detail for e in entries if e.action == Action.ENVOI.value)


def test_r8_3_encrypted_report_opens_only_with_its_password(session: Session, filled: tuple[int, str, str],
                                                            tmp_path: Path) -> None:
    dossier, school_label, _ = filled
    password = generate_password()
    out = tmp_path / "rapport-chiffre.pdf"
    JudgeReportService(session).send(dossier, DEFAULT_SECTIONS, court=COURT, out=out, password=password)
    data = out.read_bytes()
    with pytest.raises(pikepdf.PasswordError):
        pikepdf.open(io.BytesIO(data))
    with pytest.raises(pikepdf.PasswordError):
        pikepdf.open(io.BytesIO(data), password="mauvais-mot-de-passe")
    with pikepdf.open(io.BytesIO(data), password=password) as pdf:
        assert pdf.encryption.R == 6 and pdf.encryption.bits == 256
        assert str(pdf.encryption.stream_method).endswith("aesv3")
    assert school_label.encode() not in data
    qpdf = shutil.which("qpdf")
    assert qpdf, "qpdf is installed by .ci/run"
    shown = subprocess.run([qpdf, f"--password={password}", "--show-encryption", str(out)],
                           capture_output=True, text=True, check=True).stdout
    assert "R = 6" in shown and "AESv3" in shown
    rows = register.list_communications(store_of(session).conn, dossier_id=dossier)
    assert rows[0].encrypted


def test_r8_3_refusals(ws: WorkspaceHandle, session: Session, filled: tuple[int, str, str], tmp_path: Path) -> None:
    dossier, _, _ = filled
    service = JudgeReportService(session)
    with pytest.raises(KnownError):  # R-2.9: never inside the workspace
        service.send(dossier, DEFAULT_SECTIONS, court=COURT, out=ws.root / "rapport.pdf")
    assert not (ws.root / "rapport.pdf").exists()
    with pytest.raises(ValidationError):
        service.send(dossier, ["inconnue"], court=COURT, out=tmp_path / "x.pdf")
    with pytest.raises(ValidationError):
        service.send(dossier, DEFAULT_SECTIONS, court=COURT, out=tmp_path / "x.pdf", request=ExportRequest(COURT, " "))
    assert not (tmp_path / "x.pdf").exists()
    assert register.list_communications(store_of(session).conn, dossier_id=dossier) == []

    from app.auth.service import AccountService

    AccountService(session).create_user(login="educ", display_name="Éduc", profile="educateur",
                                        units=["Les Lilas"], password="Bleu-Chat-Orage-91!")
    educ = ws.workspace.login("educ", "Bleu-Chat-Orage-91!")
    with pytest.raises(PermissionRefused):
        JudgeReportService(educ).send(dossier, DEFAULT_SECTIONS, court=COURT, out=tmp_path / "e.pdf")
    educ.close()
    assert not (tmp_path / "e.pdf").exists()
