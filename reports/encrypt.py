"""AES-256 encryption of a finished PDF with pikepdf (qpdf): no hand-written PDF crypto (R-8.3).
Everything stays in memory: no temp file holds the clear PDF."""

from __future__ import annotations

import io
import secrets

import pikepdf


def encrypt_pdf(data: bytes, password: str) -> bytes:
    if not password:
        raise ValueError("empty password")
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        pdf.save(out, encryption=pikepdf.Encryption(
            user=password, owner=secrets.token_urlsafe(24), R=6, aes=True,
            allow=pikepdf.Permissions(extract=False, modify_other=False)))
    return out.getvalue()
