"""Purge and deletion on death leave nothing of the dossier anywhere (R-6.3, R-6.4, R-6.5, R-2.4).

The proof opens every database file of the workspace with the recovery key in an independent
SQLCipher client (sqlite3mc through apsw) and searches every text column, then decrypts every
page of every file with plain AES (free pages included) and searches the bytes.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app.dossiers.service import DossierService
from app.errors import KnownError, PermissionRefused, ValidationError
from app.retention.model import DecisionKind
from app.retention.purge import PurgeService, typed_confirmation
from app.retention.service import RetentionService
from app.rights.service import RightsService
from storage.recovery_key import decode
from storage.store import _copy_before_migration
from tests.app.retention.conftest import World
from tests.storage.sqlcipher_raw import plaintext
from tests.storage.test_standard_client import open_with_sqlite3mc
from tests.store_access import store_of

LAST, FIRST = "Quenardel", "Ysaline"
NEEDLES = [LAST, FIRST, LAST.upper(), "Quenardel-Brassac", "06 12 34 56 78", "rue des Quinconces"]


def rich_dossier(world: World) -> int:
    """A dossier with a value in every kind of table: fields, records, values, consents, decisions."""
    service = DossierService(world.director)
    d = world.dossier(LAST, FIRST, contact_on="2023-11-02", measure="aemo")
    service.values.save(d, "identite", {"adresse": "12 rue des Quinconces, Bordeaux",
                                          "telephone": "06 12 34 56 78", "lieu_naissance": "Bordeaux"})
    service.records.add(d, "intervenants", {"type_intervenant": "famille", "role": "parent",
                                           "nom": "Quenardel-Brassac", "prenom": "Odile"}
                       if _has_role("parent") else
                       {"type_intervenant": "famille", "role": "referent_ase",
                        "nom": "Quenardel-Brassac", "prenom": "Odile"})
    service.records.add(d, "suivi", {"date": "2023-11-01", "type": "entretien",
                                    "note": "Entretien avec Ysaline au foyer."})
    for consent, _ in service.consents.types():
        role, _ = service.consents.default_holder(d, consent)  # the holder follows the age
        service.consents.record(d, consent_type=consent, given_by="Ysaline Quenardel",
                               given_by_role=role, form="ecrit", state="given")
    RetentionService(world.chef).propose(d, DecisionKind.PROPOSE_PURGE, "Durée atteinte, plus de suivi")
    number = service.open_dossier(d).header.number
    RightsService(world.director).register(kind="access", requester="Odile Quenardel-Brassac",
                                           requester_role="representant_legal",
                                           received_on="2026-01-02", dossier_number=number)
    return d


def _has_role(code: str) -> bool:
    from app.catalogue import load_catalogue

    return any(i.code == code for i in load_catalogue().vocabulary("role_intervenant").items)


def every_database(root: Path) -> list[Path]:
    return sorted(root.rglob("*.db"))


def text_hits(path: Path, hex_key: str, needles: list[str]) -> list[str]:
    conn = open_with_sqlite3mc(str(path), hex_key)
    hits = []
    try:
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        for table in tables:
            for column in [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')]:
                for needle in needles:
                    found = list(conn.execute(
                        f'SELECT count(*) FROM "{table}" WHERE CAST("{column}" AS TEXT) LIKE ?',
                        (f"%{needle}%",)))[0][0]
                    if found:
                        hits.append(f"{path.name}:{table}.{column}:{needle}")
    finally:
        conn.close()
    return hits


def raw_hits(root: Path, key: bytes, needles: list[str]) -> list[str]:
    hits = []
    for path in sorted(root.rglob("*")):
        if not path.is_file() or not path.name.endswith((".db", ".db-wal")):
            continue
        if path.name == "sillage.db-wal" and path.stat().st_size:
            hits.append("sillage.db-wal: not emptied by the purge's checkpoint")
        data = plaintext(path, key)
        hits += [f"{path.name}:{n}" for n in needles if n.encode("utf-8") in data]
    return hits


def test_r6_3_purge_leaves_no_trace_in_any_table_or_free_page_of_any_database(world: World) -> None:
    d = rich_dossier(world)
    keep = world.dossier("Témoin", "Alix", contact_on="2025-12-01")
    conn = store_of(world.director).conn
    _copy_before_migration(conn, store_of(world.director).paths, 1)  # an encrypted pre-migration copy
    store_of(world.director).journal.flush()
    root, key = world.ws.root, decode(world.ws.recovery_key)
    # the proof can fail: before the purge, the names are found by both searches
    assert any(LAST in h for h in text_hits(root / "sillage.db", key.hex(), [LAST]))
    assert any("migrations" in str(p) for p in every_database(root))
    assert raw_hits(root, key, [LAST]) != []
    assert raw_hits(root, key, ["MECS Les Tilleuls"]) != []  # the decryption itself works
    wal_files = [p for p in root.rglob("*.db-wal") if p.stat().st_size]
    assert wal_files and all(b"connexion" in plaintext(p, key) for p in wal_files
                             if "journal" in p.parts)  # and so does the WAL frames' decryption

    result = PurgeService(world.director).purge_one(d, "Durée de conservation atteinte (D-1)",
                                                    confirmed=True)
    assert result.rows_deleted > 10 and result.other_rows_deleted > 10
    for s in (world.director, *world.others.values()):
        store_of(s).journal.flush()
    store_of(world.director).conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    hits: list[str] = []
    for path in every_database(root):
        hits += text_hits(path, key.hex(), NEEDLES)
    assert hits == []
    assert raw_hits(root, key, NEEDLES) == []
    # the other dossier is untouched; the purge is journaled and recorded, without the names
    assert DossierService(world.director).open_dossier(keep).header.last_name == "Témoin"
    entries = [e for e in store_of(world.director).journal.iter_entries() if e.action == "purge"]
    assert [(e.dossier_id, e.user_id) for e in entries] == [(d, world.director.user.id)]
    assert "Durée de conservation atteinte (D-1)" in entries[0].detail
    purges = PurgeService(world.director).purges()
    assert [(p.dossier_id, p.cause) for p in purges] == [(d, "retention")]
    # the register keeps the request as proof, without the name or the dossier link
    (request,) = RightsService(world.director).requests()
    assert request.dossier_id is None and request.requester == "(personne effacée)"


def test_r6_5_nothing_is_purged_before_its_time(world: World) -> None:
    early = world.dossier("Roux", "Jade", contact_on="2024-02-01")  # limit 2026-02-01: due soon
    service = PurgeService(world.director)
    with pytest.raises(KnownError, match="01/02/2026"):
        service.purge_one(early, "Durée atteinte", confirmed=True)
    held = world.dossier("Petit", "Louis", contact_on="2023-01-01")
    RetentionService(world.director).legal_hold(held, "2026-06-01", "Contentieux en cours")
    with pytest.raises(KnownError):
        service.purge_one(held, "Durée atteinte", confirmed=True)
    with pytest.raises(KnownError):  # not confirmed
        service.purge_one(early, "Durée atteinte", confirmed=False)
    assert store_of(world.director).conn.execute("SELECT count(*) FROM dossiers").fetchone()[0] == 2


def test_several_dossiers_need_the_typed_confirmation(world: World) -> None:
    ids = [world.dossier(n, "Alex", contact_on="2023-06-01") for n in ("Roux", "Petit", "Garnier")]
    service = PurgeService(world.director)
    with pytest.raises(KnownError, match=typed_confirmation(3)):
        service.purge(ids, "Durée atteinte", confirmed=True)
    with pytest.raises(KnownError):
        service.purge(ids, "Durée atteinte", typed="PURGER 2 DOSSIERS")
    result = service.purge(ids, "Durée atteinte", typed="purger 3 dossiers")
    assert result.dossier_ids == tuple(ids)
    assert store_of(world.director).conn.execute("SELECT count(*) FROM dossiers").fetchone()[0] == 0


def test_r6_4_death_deletes_at_once_after_the_directors_confirmation(world: World) -> None:
    d = world.dossier("Roux", "Jade", contact_on="2025-12-20")  # far from its limit
    RetentionService(world.chef).propose(d, DecisionKind.PROPOSE_DEATH, "Décès signalé par l'ASE")
    row = next(r for r in RetentionService(world.director).due() if r.dossier_id == d)
    assert row.proposal is not None and row.proposal.kind is DecisionKind.PROPOSE_DEATH
    with pytest.raises(PermissionRefused):
        PurgeService(world.chef).confirm_death(d, "Décès signalé par l'ASE", confirmed=True)
    with pytest.raises(KnownError):
        PurgeService(world.director).confirm_death(d, "Décès confirmé", confirmed=False)
    assert store_of(world.director).conn.execute("SELECT count(*) FROM dossiers").fetchone()[0] == 1
    PurgeService(world.director).confirm_death(d, "Décès confirmé par l'acte transmis", confirmed=True)
    assert store_of(world.director).conn.execute("SELECT count(*) FROM dossiers").fetchone()[0] == 0
    assert [p.cause for p in PurgeService(world.director).purges()] == ["death"]


def test_purge_reason_with_the_name_deletes_nothing(world: World) -> None:
    d = world.dossier("Roux", "Jade", contact_on="2023-06-01")
    with pytest.raises(ValidationError):
        PurgeService(world.director).purge_one(d, "Purge du dossier de Jade Roux", confirmed=True)
    assert store_of(world.director).conn.execute("SELECT count(*) FROM dossiers").fetchone()[0] == 1
