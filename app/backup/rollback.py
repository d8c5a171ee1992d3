"""Rollback detection: the newest backup made or restored for a workspace, remembered outside it (R-9.1)."""

from __future__ import annotations

import contextlib
import datetime as dt
import hmac
import json
import os
from pathlib import Path
from typing import Any

import platformdirs

from app.backup.results import french
from app.errors import KnownError
from storage.backup import Manifest, read_meta
from storage.files import atomic_write
from storage.keyslots import hkdf

ENV_STATE_DIR = "SILLAGE_STATE_DIR"


def state_dir() -> Path:
    env = os.environ.get(ENV_STATE_DIR)
    if env:
        return Path(env)
    return Path(platformdirs.user_state_dir("Sillage", appauthor=False))


def _registry_path() -> Path:
    return state_dir() / "sauvegardes.json"


def _registry_mac(dmk: bytes, workspace_id: str, entry: dict[str, Any]) -> str:
    body = json.dumps([workspace_id, entry], sort_keys=True, separators=(",", ":")).encode()
    return hmac.digest(hkdf(dmk, b"sillage backup registry v1"), body, "sha256").hex()


def _load_registry() -> dict[str, Any]:
    try:
        data = json.loads(_registry_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _registry_entry(dmk: bytes, workspace_id: str) -> tuple[str, int] | None:
    """(created_at, journal seq) of the newest backup made or restored on this computer."""
    entry = _load_registry().get(workspace_id)
    if not isinstance(entry, dict):
        return None
    mac = entry.pop("mac", "")
    if not isinstance(mac, str) or not hmac.compare_digest(mac, _registry_mac(dmk, workspace_id, entry)):
        return None  # edited or from another key: no reference, no false alarm
    try:
        return str(entry["created_at"]), int(entry["journal_seq"])
    except (KeyError, TypeError, ValueError):
        return None


def remember(dmk: bytes, manifest: Manifest) -> None:
    """Record the newest known backup of the workspace outside it (best effort)."""
    workspace_id = str(manifest.body.get("workspace_id", ""))
    if not workspace_id:
        return
    known = _registry_entry(dmk, workspace_id)
    if known is not None and (known[0], known[1]) >= (manifest.created_at, manifest.journal_seq):
        return
    entry: dict[str, Any] = {"created_at": manifest.created_at, "journal_seq": manifest.journal_seq}
    entry["mac"] = _registry_mac(dmk, workspace_id, dict(entry))
    registry = _load_registry()
    registry[workspace_id] = entry
    path = _registry_path()
    with contextlib.suppress(OSError, KnownError):
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, json.dumps(registry, indent=1, sort_keys=True).encode("utf-8"))


def _reference(dmk: bytes, manifest: Manifest, existing: Path | None) -> tuple[str, int] | None:
    """The newest backup known to have been made or restored for this workspace."""
    candidates: list[tuple[str, int]] = []
    known = _registry_entry(dmk, str(manifest.body.get("workspace_id", "")))
    if known:
        candidates.append(known)
    if existing is not None and (existing / "sillage.db").exists():
        with contextlib.suppress(KnownError):
            meta = read_meta(existing, dmk)
            if meta.get("workspace_id") == manifest.body.get("workspace_id"):
                for prefix in ("backup_last", "backup_restored"):
                    if f"{prefix}_created_at" in meta:
                        candidates.append(
                            (meta[f"{prefix}_created_at"], int(meta.get(f"{prefix}_journal_seq", "0")))
                        )
    return max(candidates) if candidates else None


def rollback_warning(dmk: bytes, manifest: Manifest, existing: Path | None) -> str | None:
    reference = _reference(dmk, manifest, existing)
    if reference is None:
        return None
    created, seq = reference
    if manifest.created_at < created or manifest.journal_seq < seq:
        when = french(dt.datetime.fromisoformat(created))
        return (
            f"Attention : cette sauvegarde est plus ancienne que la dernière sauvegarde faite ou "
            f"restaurée pour cet espace (du {when}). Restaurer revient en arrière : ce qui a été "
            "saisi depuis sera absent. Ce retour en arrière est inscrit au journal."
        )
    return None
