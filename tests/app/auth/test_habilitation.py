"""Annual habilitation review: lines, inactive flags, sign-off, reminder, PDF (R-3.6)."""

from __future__ import annotations

import io

from pypdf import PdfReader

from app.auth.habilitation import HabilitationReview
from app.auth.service import AccountService
from tests.conftest import WorkspaceHandle
from tests.store_access import store_of


def test_review_flags_unused_accounts_and_signs_off(ws: WorkspaceHandle) -> None:
    session = ws.login()
    AccountService(session).create_user(login="educ1", display_name="Paul Durand",
                                        profile="educateur", units=["Les Lilas"],
                                        password="Arbre-Soleil-Pluie-84!")
    review = HabilitationReview(session)
    assert review.status().due  # never reviewed
    assert not any(line.unused for line in review.lines())
    ws.clock.advance(days=200)
    lines = {line.login: line for line in review.lines()}
    assert lines["educ1"].unused          # created 200 days ago, never used
    assert lines["cmartin"].unused        # last login 200 days ago
    review.sign_off()
    status = review.status()
    assert not status.due and status.last_review_by == "Claire Martin"
    ws.clock.advance(days=366)
    assert review.status().due            # a reminder after 12 months
    data = review.pdf()
    reader = PdfReader(io.BytesIO(data))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "Revue annuelle des habilitations" in text
    assert "Paul Durand" in text and "Inutilisé depuis 6 mois" in text
    fonts = {str(f.get_object()["/BaseFont"]) for page in reader.pages
             for f in page["/Resources"]["/Font"].values()}
    assert fonts and all("DejaVuSans" in name for name in fonts), fonts  # embedded, no Helvetica
    assert any(e.target == "habilitations" for e in store_of(session).journal.iter_entries())
    session.close()
