"""Seals of the journal head by the director's key, and the keys whose seals count (R-5.6)."""

from __future__ import annotations

import datetime as dt

from app.auth.keys import Ed25519SealKey
from app.session import Session
from reports.french import date_time
from storage.journal import DamagedPartition, Seal, seal_anchor, to_micros
from storage.sealing_keys import all_keys


def seal_now(session: Session, reason: str) -> Seal | None:
    """Seal the journal head if the logged-in account holds the sealing key (directors): at
    login, hourly, at lock and logout, at every backup and journal export (R-5.6)."""
    private = session.journal_sealing_key()
    if private is None:
        return None
    signer = Ed25519SealKey(private)
    journal = session.journal
    try:
        with journal.damage_named():
            latest = journal.latest_seal()
            if latest is None or latest.public_key == signer.public_bytes():
                trusted: dict[bytes, int | None] = {signer.public_bytes(): None}
                substituted = None
            else:  # the latest seal is by another key: it must be in this key's lineage
                trusted, substituted = trusted_seal_keys(session)
            if substituted:
                journal.alert("sceau", f"Scellement refusé : {substituted}.")
                return None
            return journal.seal(signer, to_micros(session.clock.now()), reason, trusted=trusted)
    except DamagedPartition:  # nothing is sealed over a damaged file; `journal verify` names it
        return None


def trusted_seal_keys(session: Session) -> tuple[dict[bytes, int | None], str | None]:
    """The public keys whose seals count, each with the last entry it may seal, and a problem if
    the recorded current key is not the one pinned in this director's own sealed grant (a
    substituted key).

    The anchor is the key pinned in the director's grant (for other profiles: the current key
    the database lists); retired keys count only through the journaled succession that the
    newer key has sealed (``JournalStore.lineage``), never because they are listed."""
    with session.reading() as conn:
        rows = [(k.public_key, k.created_at, k.retired_at is None) for k in reversed(all_keys(conn))]
    created: dict[bytes, str] = {}
    for key, created_at, _current in rows:  # where to look for each succession (a locator only)
        try:
            when = dt.datetime.fromisoformat(created_at)
        except ValueError:
            continue
        month = when.month - 1 or 12  # a month earlier: the clock of the entry may differ a little
        created[key] = f"{when.year - (when.month == 1):04d}-{month:02d}"
    current = next((key for key, _, is_current in rows if is_current), None)
    private = session.journal_sealing_key()
    pinned = Ed25519SealKey(private).public_bytes() if private is not None else None
    anchor = pinned or current
    if anchor is None:
        return {}, None
    trusted = session.journal.lineage(anchor, created)
    if pinned is not None and current is not None and current != pinned:
        return trusted, "la clé de scellement enregistrée n'est pas celle de votre accès (clé substituée)"
    return trusted, None


def seal_line(session: Session) -> str | None:
    """The latest seal as printed on a journal export (R-5.6), or None."""
    with session.reading() as conn:
        anchor = seal_anchor(conn)
    if anchor is None:
        return None
    when = dt.datetime.fromisoformat(anchor["sealed_at"])
    return (f"Journal scellé jusqu'au n° {anchor['seq']} le {date_time(when, at=True)} UTC — empreinte "
            f"{anchor['hash'][:16]}…, clé {anchor['public_key'][:16]}…, signature {anchor['signature'][:32]}…")
