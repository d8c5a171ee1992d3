"""What every document leaving the software goes through (R-8.5, R-2.9, UI.md "to whom, why"):
the recipient and the purpose asked before anything is written, the file written safely outside
the workspace, the register of communications and the journal entry in one transaction."""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from app.errors import KnownError, ValidationError
from app.journal.events import Action
from app.session import Session
from storage import documents as repo
from storage.files import atomic_write

INSIDE_WORKSPACE = ("« {path} » est dans l'espace de travail : aucun document n'y est enregistré. "
                    "Choisissez un autre dossier (par exemple Documents).")


@dataclass(frozen=True)
class ExportRequest:
    """To whom the document goes and why: asked by the export dialog, kept in the register."""

    recipient: str
    purpose: str

    def validated(self) -> ExportRequest:
        recipient = " ".join(self.recipient.split())
        purpose = " ".join(self.purpose.split())
        if not recipient:
            raise ValidationError("Indiquez à qui ce document est destiné.", "recipient")
        if not purpose:
            raise ValidationError("Indiquez pourquoi ce document est communiqué.", "purpose")
        if len(recipient) > 200:
            raise ValidationError("Le destinataire fait 200 caractères au plus.", "recipient")
        if len(purpose) > 300:
            raise ValidationError("Le motif fait 300 caractères au plus.", "purpose")
        return ExportRequest(recipient, purpose)


def check_destination(session: Session, out: Path) -> Path:
    """Never inside the workspace (R-2.9): a copy there would escape its encryption."""
    target = Path(out).expanduser()
    resolved = target.parent.resolve() / target.name
    root = session.paths.root.resolve()
    if resolved == root or root in resolved.parents:
        raise KnownError(INSIDE_WORKSPACE.format(path=resolved))
    if not resolved.parent.is_dir():
        raise KnownError(f"Le dossier « {resolved.parent} » n'existe pas. Choisissez un dossier existant.")
    return resolved


def send(session: Session, *, out: Path, data: bytes, kind: str, request: ExportRequest, action: Action,
         target: str, dossier_id: int | None, sections: Sequence[str] = (), encrypted: bool = False,
         detail: str = "") -> int:
    """Write the file and record it: register row and journal entry in the same transaction as
    the write, so a failed write leaves no record and a record always has its file."""
    request = request.validated()
    path = check_destination(session, out)
    now = session.stamp()
    text = f"destinataire : {request.recipient} — motif : {request.purpose}"
    if detail:
        text = f"{detail} — {text}"
    written = False
    try:
        with session.transaction() as conn:
            row = repo.insert_communication(
                conn, dossier_id=dossier_id, kind=kind, recipient=request.recipient, purpose=request.purpose,
                sections=sections, encrypted=encrypted, author_id=session.user.id, sent_at=now)
            session.record(action, target, dossier_id=dossier_id, detail=text[:400])
            atomic_write(path, data)  # temp file 0600, fsync, rename
            written = True
    except BaseException:
        if written:  # the commit failed after the file was renamed in: take it back
            with contextlib.suppress(OSError):
                path.unlink()
        raise
    return row


def generate_password() -> str:
    """A PDF password to read aloud or send by SMS: 5 groups of 4, about 100 bits."""
    alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
    return "-".join("".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(5))
