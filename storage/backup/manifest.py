"""The manifest of a backup and the vocabulary shared by writing and reading it (R-9.1, R-9.3)."""

from __future__ import annotations

import hmac
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from storage.errors import KnownError
from storage.keyslots import hkdf

FORMAT = "sillage-backup-1"
MANIFEST_NAME = "sillage-backup.json"
MANIFEST_MAX = 1024 * 1024
BLOCK = 512
CHUNK = 1024 * 1024
#: pages copied per step of the backup API (4 KiB pages: 16 MiB), between progress reports
PAGES_PER_STEP = 4096

#: a restore is built in BUILDING + random, renamed READY once complete, then renamed into place
BUILDING = ".{name}.restauration-en-cours-"
READY = ".{name}.restauration-prete"

PART_RE = re.compile(r"^(sillage\.db|keyslots\.json|DEMO|journal/\d{4}-\d{2}\.db)$")

#: called with (done, total); returning False asks to stop
Progress = Callable[[int, int], bool]

DAMAGED = (
    "La sauvegarde « {name} » est endommagée ou incomplète ({why}). Elle ne peut pas être "
    "utilisée : prenez une autre sauvegarde."
)
NOT_A_BACKUP = (
    "Le fichier « {name} » n'est pas une sauvegarde Sillage. Vérifiez le fichier choisi."
)
OTHER_KEY = (
    "La sauvegarde « {name} » a été faite avec une autre clé que celle de cet espace de travail "
    "(un autre espace, ou une date antérieure à un renouvellement de la clé). Utilisez la clé de "
    "secours en vigueur à la date de la sauvegarde."
)
MODIFIED = (
    "La sauvegarde « {name} » a été modifiée en dehors de Sillage (son manifeste ne correspond "
    "plus à sa signature) : elle est refusée."
)
CANCELLED = "Opération annulée : aucun fichier n'a été laissé à moitié écrit."


class BackupCancelled(KnownError):
    def __init__(self) -> None:
        super().__init__(CANCELLED)


def report(progress: Progress | None, done: int, total: int) -> None:
    """Tell ``progress``; a False answer cancels the operation."""
    if progress is not None and progress(done, total) is False:
        raise BackupCancelled()


def key_fingerprint(dmk: bytes) -> str:
    """Names the key without revealing it: the workspace's own key id (meta ``dmk_id``, R-2.8),
    so a backup says which key opens it."""
    from storage.keyslots import key_id_of

    return key_id_of(dmk)


def _canonical(body: dict[str, Any]) -> bytes:
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def manifest_mac(dmk: bytes, body: dict[str, Any]) -> str:
    return hmac.digest(hkdf(dmk, b"sillage backup manifest v1"), _canonical(body), "sha256").hex()


@dataclass(frozen=True)
class Part:
    name: str  # path inside the archive, with "/" separators
    size: int
    sha256: str


@dataclass(frozen=True)
class Manifest:
    body: dict[str, Any]
    mac: str

    @property
    def parts(self) -> list[Part]:
        return [Part(str(p["name"]), int(p["size"]), str(p["sha256"])) for p in self.body["parts"]]

    @property
    def created_at(self) -> str:
        return str(self.body["created_at"])

    @property
    def backup_id(self) -> str:
        return str(self.body["backup_id"])

    @property
    def journal_seq(self) -> int:
        return int(self.body["journal"]["seq"])

    def to_bytes(self) -> bytes:
        return json.dumps(dict(self.body, mac=self.mac), sort_keys=True, indent=1, ensure_ascii=True).encode()


def sign(dmk: bytes, body: dict[str, Any]) -> Manifest:
    body = dict(body, format=FORMAT)
    return Manifest(body, manifest_mac(dmk, body))
