"""Key figures of issue 10 on the benchmark workspace. Not part of the test run.

    python tests/perf/bench_keys.py [--youths 10000] [--journal-rows 1000000]

Login with the new unwrap path (Argon2id production parameters → X25519 private key → HPKE
grants → DMK and sealing key), SPEC §11 ≤ 0.5 s; then ``rekey`` of the whole workspace with its
progress shown (R-2.8), the journal verified after it and the login timed again.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from app.demo import DemoOptions, create_demo  # noqa: E402
from app.journal.service import JournalService  # noqa: E402
from app.rekey import RekeyService  # noqa: E402
from app.workspace import AppContext, Workspace  # noqa: E402
from storage.keyslots import KeySlotFile, derive_kek  # noqa: E402
from storage.rekey import database_files  # noqa: E402


def login_median(ws_dir: Path, login: str, password: str, runs: int = 5) -> float:
    samples = []
    for _ in range(runs):
        ws = Workspace(ws_dir, AppContext())
        t = time.perf_counter()
        session = ws.login(login, password)
        samples.append(time.perf_counter() - t)
        session.close()
        ws.release()
    return statistics.median(samples)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--youths", type=int, default=10_000)
    parser.add_argument("--journal-rows", type=int, default=1_000_000)
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp(prefix="sillage-bench-keys-"))
    ws_dir = base / "ws"
    try:
        t = time.perf_counter()
        result = create_demo(Workspace(ws_dir, AppContext()),
                             DemoOptions(youths=args.youths, journal_rows=args.journal_rows, seed=1))
        print(f"demo {args.youths} youths + {args.journal_rows} journal rows: {time.perf_counter() - t:.1f} s")
        director = next(a for a in result.accounts if a.profile == "direction")
        ksf = KeySlotFile.load(ws_dir / "keyslots.json")
        slot = ksf.slot_for(director.login)
        assert slot is not None
        t = time.perf_counter()
        derive_kek(director.password, slot.salt, slot.params)
        argon = time.perf_counter() - t
        t = time.perf_counter()
        unlocked = ksf.unlock(director.login, director.password)
        unlock = time.perf_counter() - t
        print(f"Argon2id t={slot.params.time_cost} m={slot.params.memory_kib // 1024} MiB "
              f"p={slot.params.parallelism}: {argon * 1000:.0f} ms; whole unlock (Argon2id + AES-GCM + "
              f"{len(unlocked.keys)} HPKE grants): {unlock * 1000:.0f} ms")
        first = login_median(ws_dir, director.login, director.password)
        print(f"login median of 5 (unlock, open, checks, journal): {first * 1000:.0f} ms (target ≤ 500 ms)")

        files = database_files(ws_dir)
        size = sum(p.stat().st_size for p in files) / (1024 * 1024)
        ws = Workspace(ws_dir, AppContext())
        session = ws.login(director.login, director.password)
        shown: list[str] = []

        def progress(done: int, total: int) -> bool:
            line = f"Renouvellement de la clé : {done}/{total} fichiers rechiffrés"
            shown.append(line)
            print("\r" + line, end="", flush=True)
            return True

        t = time.perf_counter()
        rekeyed = RekeyService(session).rekey(lambda key: None, progress)
        elapsed = time.perf_counter() - t
        print()
        print(f"rekey: {rekeyed.files} files, {size:.0f} MiB, {rekeyed.accounts} accounts: {elapsed:.1f} s "
              f"({len(shown)} progress updates)")
        t = time.perf_counter()
        report = JournalService(session).verify()
        print(f"journal verified after rekey: ok={report.ok} in {time.perf_counter() - t:.1f} s")
        session.close()
        ws.release()
        after = login_median(ws_dir, director.login, director.password)
        print(f"login median of 5 after rekey: {after * 1000:.0f} ms")
    finally:
        shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
