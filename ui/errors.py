"""How errors reach the person: a known error's French message, or "erreur interne" + reference."""

from __future__ import annotations

import secrets

from app.errors import KnownError


def user_message(exc: BaseException) -> str:
    if isinstance(exc, KnownError):
        return exc.message
    reference = secrets.token_hex(4)
    return (
        f"Erreur interne (référence {reference}). Rien n'a été perdu. "
        "Si le problème revient, signalez cette référence."
    )
