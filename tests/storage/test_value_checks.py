"""The database's value checks are generated from one place and agree with the Python validator
(issue 9, R-4.2, R-4.4): the same good and bad NIRs through ``app/catalogue/validation.py`` and
through the trigger of a real SQLCipher store."""

from __future__ import annotations

import random
import sqlite3

import pytest
import sqlcipher3

from app.catalogue import FieldType, load_catalogue, nir_key
from app.dossiers.service import DossierService
from app.errors import ValidationError
from storage.schema.value_checks import CHECKS, REFUSAL, VALUE_TABLES, trigger_sql
from tests.conftest import WorkspaceHandle
from tests.store_access import store_of

DB_ERRORS = (sqlcipher3.IntegrityError, sqlcipher3.DatabaseError, sqlite3.DatabaseError)


def keyed(first13: str) -> str:
    return f"{first13}{nir_key(first13):02d}"


def with_key_97() -> str:
    """A number whose key is 97 (the 13 digits a multiple of 97)."""
    base = 2850578006000
    return keyed(str(base + (-base) % 97))


GOOD = [
    keyed("2850578006084"), keyed("1850578006084"), keyed("7850578006084"),
    keyed("8850578006084"), keyed("18505" + "2A" + "006084"), keyed("28505" + "2B" + "006084"),
    keyed("1990199001001"), with_key_97(),
]
BAD = [
    keyed("3850578006084"), keyed("0850578006084"), keyed("9850578006084"),   # sex digit
    "2850578006084" + f"{(nir_key('2850578006084') % 97) + 1:02d}",          # wrong key
    "285057800608400",                                                         # key 00
    "18505AA006084" + "12", "18505" + "2C" + "006084" + "12", "18505A2006084" + "55",
    "185052A00608" + "4", keyed("2850578006084")[:-1], keyed("2850578006084") + "0",
    "2850578O06084" + "12", "285057800608X" + "12", "28505780060841X",
]


def db_accepts(conn: sqlcipher3.Connection, dossier: int, value: str) -> bool:
    try:
        conn.execute("INSERT INTO field_values (dossier_id, category_id, field_id, value, updated_at) "
                     "VALUES (?, 'couverture_sociale', 'nir', json_quote(?), '2026-12-01')", (dossier, value))
    except DB_ERRORS as exc:
        assert REFUSAL in str(exc)
        return False
    conn.execute("DELETE FROM field_values WHERE dossier_id = ?", (dossier,))
    return True


def app_accepts(value: str) -> bool:
    try:
        stored = load_catalogue().validate_value("couverture_sociale", "nir", value)
    except ValidationError:
        return False
    assert stored == value  # the values here are already in the stored form
    return True


def random_candidates(count: int) -> list[str]:
    rng = random.Random(9)
    out = []
    for _ in range(count):
        chars = [rng.choice("0123456789" if rng.random() < 0.9 else "0123456789ABX") for _ in range(13)]
        first13 = "".join(chars)
        good_key = first13.isdigit() or (first13[5:7] in ("2A", "2B") and (first13[:5] + first13[7:]).isdigit())
        key = nir_key(first13) if good_key and rng.random() < 0.7 else rng.randrange(0, 100)
        out.append(f"{first13}{key:02d}")
    return out


def test_app_and_database_agree_on_the_same_nirs(ws: WorkspaceHandle) -> None:
    session = ws.login()
    dossier = DossierService(session).create_dossier(last_name="Roux", first_names="Jade",
                                                     birth_date=None, unit_id=1)
    conn = store_of(session).conn
    for value in GOOD:
        assert app_accepts(value), value
        assert db_accepts(conn, dossier, value), value
    for value in BAD:
        assert not app_accepts(value), value
        assert not db_accepts(conn, dossier, value), value
    candidates = random_candidates(400)
    verdicts = [(app_accepts(v), db_accepts(conn, dossier, v)) for v in candidates]
    assert all(a == d for a, d in verdicts), [v for v, (a, d) in zip(candidates, verdicts, strict=True) if a != d]
    assert 50 < sum(a for a, _ in verdicts) < 350  # both sides of the border were tried
    session.close()


def test_every_field_type_has_a_database_check() -> None:
    assert set(CHECKS) == {t.value for t in FieldType}


def test_the_installed_triggers_are_the_generated_ones(ws: WorkspaceHandle) -> None:
    session = ws.login()
    installed = dict(store_of(session).conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                                          "AND name LIKE '%values_check_%'").fetchall())
    expected = {f"{table}_check_{event.lower()}": trigger_sql(table, event)
                for table in VALUE_TABLES for event in ("INSERT", "UPDATE")}
    assert installed == expected
    session.close()


@pytest.mark.parametrize("value", ['null', '"2026-13"', '3', '["oui"]'])
def test_a_json_null_or_a_wrong_kind_is_refused_by_the_database(ws: WorkspaceHandle, value: str) -> None:
    session = ws.login()
    dossier = DossierService(session).create_dossier(last_name="Roux", first_names="Jade",
                                                     birth_date=None, unit_id=1)
    with pytest.raises(DB_ERRORS):
        store_of(session).conn.execute(
            "INSERT INTO field_values (dossier_id, category_id, field_id, value, updated_at) "
            "VALUES (?, 'identite', 'date_naissance', ?, '2026-12-01')", (dossier, value))
    session.close()
