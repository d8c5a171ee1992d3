"""Test-only access to a session's open store (issue 9).

The application reaches the database only through ``Session``'s narrow methods (``reading()``,
``transaction()``, ``journal``, ``paths``...); tests that inspect or damage the database, the
journal partitions or the key-slot file directly take the store through here."""

from __future__ import annotations

from app.session import Session
from storage.store import Store


def store_of(session: Session) -> Store:
    """The session's open store (raises the "session locked" error once it is closed)."""
    return session._live()
