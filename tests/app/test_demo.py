"""The demo workspace (R-2.7) and the guarantee that nothing personal is written in clear (R-2.1)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from app.demo import DEMO_ACCOUNTS, DEMO_ORG, FIRST_NAMES, LAST_NAMES, DemoOptions, create_demo
from app.dossiers.service import DossierService
from app.workspace import AppContext, Workspace
from storage.journal import verify_chain
from storage.recovery_key import decode
from tests.conftest import TEST_KDF
from tests.store_access import store_of

ROOT = Path(__file__).resolve().parents[2]


def test_demo_command_leaves_no_name_or_key_in_clear(tmp_path: Path) -> None:
    ws, key_file = tmp_path / "demo", tmp_path / "key.txt"
    result = subprocess.run(
        [sys.executable, "-m", "cli", "demo", "--workspace", str(ws), "--youths", "40",
         "--journal-rows", "3000", "--recovery-key-file", str(key_file)],
        capture_output=True, text=True, cwd=ROOT, timeout=300,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
    )
    assert result.returncode == 0, result.stderr
    lines = [line.split("\t") for line in result.stdout.splitlines()]
    assert [(row[0], row[2]) for row in lines] == [(login, p.value) for login, _, p, _ in DEMO_ACCOUNTS]
    key = decode(key_file.read_text())
    secrets = [key, key.hex().encode(), key.hex().upper().encode()]
    names = {n for n in (*LAST_NAMES, *FIRST_NAMES) if len(n) >= 5}
    names |= {name for _, name, _, _ in DEMO_ACCOUNTS} | {DEMO_ORG}
    needles = secrets + [n.encode("utf-8") for n in names] + [n.encode("utf-16-le") for n in names]
    files = [p for p in ws.rglob("*") if p.is_file()]
    assert any(p.name.endswith("-wal") for p in files) or any(p.suffix == ".db" for p in files)
    for path in files:
        data = path.read_bytes()
        for needle in needles:
            assert needle not in data, (path.name, needle[:12])
    for needle in names:
        assert needle not in result.stderr
    assert key.hex() not in result.stderr and key.hex() not in result.stdout


def test_demo_fills_every_part_of_the_model(tmp_path: Path) -> None:
    from app.demo import DemoOptions, create_demo

    workspace = Workspace(tmp_path / "demo", AppContext(kdf_policy=TEST_KDF))
    result = create_demo(workspace, DemoOptions(youths=60, journal_rows=2000, seed=3))
    assert workspace.is_demo()
    director = next(a for a in result.accounts if a.profile == "direction")
    workspace = Workspace(tmp_path / "demo", AppContext(kdf_policy=TEST_KDF))
    session = workspace.login(director.login, director.password)
    conn = store_of(session).conn
    statuses = {r[0] for r in conn.execute("SELECT DISTINCT status FROM dossiers")}
    assert statuses == {"active", "closed", "archive", "legal_hold", "restricted"}
    # no journal entry after the moment of the demo (the night reads moved to the day stay past)
    import datetime as dt

    from storage.journal import to_micros

    latest = max(e.ts for e in store_of(session).journal.iter_entries())
    assert latest <= to_micros(dt.datetime.now(dt.UTC)) + 1_000_000
    categories = {r[0] for r in conn.execute("SELECT DISTINCT category_id FROM field_values")}
    assert {"identite", "sante", "scolarite", "convictions"} <= categories
    records = {r[0] for r in conn.execute("SELECT DISTINCT category_id FROM records")}
    assert records == {"mesures", "suivi", "intervenants"}
    consent_states = {r[0] for r in conn.execute("SELECT DISTINCT state FROM consents")}
    assert {"given", "refused", "withdrawn"} <= consent_states
    assert conn.execute("SELECT count(*) FROM dossiers WHERE last_contact_on IS NOT NULL").fetchone()[0] > 10
    from app.dossiers.listing import YouthListing

    listing = YouthListing(session)
    listing.refresh()
    ages = [r.age for r in listing.rows if r.age is not None]
    assert min(ages) < 9 and max(ages) >= 18  # children and young adults
    months = store_of(session).journal.partition_names()
    assert len(months) >= 7  # spread over the last 12 months, older ones expired at login
    import datetime as dt

    from app.journal.service import retention_cutoff
    from storage.journal import to_micros

    cutoff = to_micros(retention_cutoff(dt.datetime.now(dt.UTC)))
    entries = list(store_of(session).journal.iter_entries())
    assert entries and all(e.ts >= cutoff - 60_000_000 for e in entries)  # nothing older than 6 months
    checkpoint = store_of(session).journal.latest_checkpoint()
    assert checkpoint is not None and checkpoint.count > 0  # the older half was destroyed...
    assert entries[0].seq == checkpoint.last_seq + 1  # ...and every later entry is still there
    assert verify_chain(store_of(session).journal).ok
    assert DossierService(session).list_dossiers()
    session.close()
    workspace.release()
    workspace.release()


def test_demo_people_are_coherent(tmp_path: Path) -> None:
    """Demos and trainings depend on data that make sense (issue 15): a name that matches the
    recorded sex, measures that fit the age, pregnancies only where plausible, sibling counts
    that add up."""
    import datetime as dt
    import json

    from app.demo import ADULT_MEASURES, FIRST_NAMES_BY_SEX, DemoOptions, create_demo

    workspace = Workspace(tmp_path / "demo", AppContext(kdf_policy=TEST_KDF))
    result = create_demo(workspace, DemoOptions(youths=150, journal_rows=0, seed=11))
    director = next(a for a in result.accounts if a.profile == "direction")
    workspace = Workspace(tmp_path / "demo", AppContext(kdf_policy=TEST_KDF))
    session = workspace.login(director.login, director.password)
    conn = store_of(session).conn
    today = dt.date.today()
    people = {int(r[0]): (str(r[1]), dt.date.fromisoformat(r[2]))
              for r in conn.execute("SELECT id, first_names, birth_date FROM dossiers")}

    def values(category: str, field: str) -> dict[int, object]:
        return {int(r[0]): json.loads(r[1]) for r in conn.execute(
            "SELECT dossier_id, value FROM field_values WHERE category_id = ? AND field_id = ?",
            (category, field))}

    def age(birth: dt.date) -> int:
        return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))

    sexes = values("identite", "sexe")
    assert len(sexes) == len(people)
    for dossier, sex in sexes.items():
        assert people[dossier][0] in FIRST_NAMES_BY_SEX[str(sex)], (people[dossier], sex)
    measures = conn.execute(
        "SELECT r.dossier_id, v.value FROM records r JOIN record_values v ON v.record_id = r.id "
        "WHERE r.category_id = 'mesures' AND v.field_id = 'type_mesure'").fetchall()
    assert len(measures) >= len(people)
    for dossier, raw in measures:
        kind, years = json.loads(raw), age(people[int(dossier)][1])
        assert (kind == "cjm") <= (years >= 18), (kind, years)
        assert (years >= 18) <= (kind in ADULT_MEASURES), (kind, years)
    starts = conn.execute(
        "SELECT r.dossier_id, v.value FROM records r JOIN record_values v ON v.record_id = r.id "
        "WHERE r.category_id = 'mesures' AND v.field_id = 'date_debut'").fetchall()
    for dossier, raw in starts:
        assert dt.date.fromisoformat(json.loads(raw)) > people[int(dossier)][1]
    pregnancies = {d for d, v in values("sante", "suivi_grossesse").items() if v == "oui"}
    for dossier in pregnancies:
        assert sexes[dossier] == "2" and age(people[dossier][1]) >= 14
    siblings, placed = values("vie_personnelle", "freres_soeurs"), values("vie_personnelle", "fratrie_placee_nombre")
    assert siblings
    for dossier, count in placed.items():
        assert dossier not in siblings or int(count) <= int(siblings[dossier])  # type: ignore[call-overload]
    session.close()
    workspace.release()
    workspace.release()


def test_the_list_query_agrees_with_the_single_dossier_query(tmp_path: Path) -> None:
    """The list is built in three passes (issue 16); each row must equal the one-dossier query."""
    from app.dossiers.model import MESURE_TYPE
    from app.dossiers.service import VISIBLE_STATUSES
    from storage import dossiers as repo

    workspace = Workspace(tmp_path / "demo", AppContext(kdf_policy=TEST_KDF))
    result = create_demo(workspace, DemoOptions(youths=60, journal_rows=0, seed=4))
    director = next(a for a in result.accounts if a.profile == "direction")
    session = workspace.login(director.login, director.password)
    rows = repo.list_dossiers(store_of(session).conn, unit_ids=None, statuses=VISIBLE_STATUSES,
                              measure_type_field=MESURE_TYPE)
    assert len(rows) >= 50 and any(r.measure_type for r in rows) and any(r.next_deadline for r in rows)
    for row in rows:
        assert repo.get_dossier(store_of(session).conn, row.id, MESURE_TYPE) == row
    session.close()
    workspace.release()
