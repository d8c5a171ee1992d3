"""Write the fixture workspace of the current schema version under tests/fixtures/.

Run once per released schema; the fixtures are committed and upgraded by the tests (R-2.5).
    python tools/make_fixture.py
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.demo import DemoOptions, create_demo  # noqa: E402
from app.workspace import AppContext, Workspace  # noqa: E402
from storage.schema.migrations import CURRENT_VERSION  # noqa: E402
from tests.conftest import TEST_KDF  # noqa: E402


def main() -> int:
    target = ROOT / "tests" / "fixtures" / f"schema-v{CURRENT_VERSION}"
    if target.exists():
        print(f"{target} exists: a released schema's fixture is never regenerated.", file=sys.stderr)
        return 1
    workspace = Workspace(target, AppContext(kdf_policy=TEST_KDF))
    result = create_demo(workspace, DemoOptions(youths=12, journal_rows=400, seed=11))
    director = next(a for a in result.accounts if a.profile == "direction")
    for leftover in ("sillage.lock", "auth_state.json"):
        (target / leftover).unlink(missing_ok=True)
    (target / "FIXTURE").write_text(
        f"schema={CURRENT_VERSION}\nlogin={director.login}\npassword={director.password}\n"
        f"dossiers=12\nrecovery={result.recovery_key}\n", encoding="utf-8")
    shutil.rmtree(target / "migrations", ignore_errors=True)
    print(f"Fixture written: {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
