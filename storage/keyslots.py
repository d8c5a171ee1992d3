"""Per-user key slots wrapping the database master key (R-2.2).

File ``keyslots.json``: each slot holds the DMK encrypted with AES-256-GCM under a key
derived from the user's password with Argon2id. The Argon2 parameters, the user id and
the slot id are bound into the AEAD associated data. The whole file carries a generation
counter and an HMAC with a key derived from the DMK (HKDF), so an edited file is detected
once any slot opens, and a rolled-back file is detected by comparing its generation with
the one recorded inside the encrypted database.

Logins are not written in clear: a slot is found by SHA-256(file salt ‖ login).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from storage.errors import TamperingDetected, WorkspaceError, WrongCredentials
from storage.files import atomic_write

FORMAT = "sillage-keyslots-1"
DMK_BYTES = 32


@dataclass(frozen=True)
class KdfParams:
    time_cost: int
    memory_kib: int
    parallelism: int

    def at_most(self, other: KdfParams) -> bool:
        return (
            self.time_cost <= other.time_cost
            and self.memory_kib <= other.memory_kib
            and self.parallelism <= other.parallelism
        )

    def at_least(self, other: KdfParams) -> bool:
        return (
            self.time_cost >= other.time_cost
            and self.memory_kib >= other.memory_kib
            and self.parallelism >= other.parallelism
        )


#: the production minimum of R-2.2: t=3, m=64 MiB, p=4
PRODUCTION_MINIMUM = KdfParams(time_cost=3, memory_kib=65536, parallelism=4)
#: the maximum of R-2.2: t=10, m=1 GiB, p=16. Above it a slot would take minutes or exhaust
#: memory before the password can even be checked; no Sillage version writes such a slot.
MAXIMUM = KdfParams(time_cost=10, memory_kib=1024 * 1024, parallelism=16)


@dataclass(frozen=True)
class KdfPolicy:
    """Parameters for new slots and the minimum accepted when opening one.

    Production code uses ``DEFAULT_POLICY``; tests inject a cheaper policy explicitly.
    """

    params: KdfParams = PRODUCTION_MINIMUM
    minimum: KdfParams = PRODUCTION_MINIMUM


DEFAULT_POLICY = KdfPolicy()

WRONG_CREDENTIALS = WrongCredentials.MESSAGE
WEAK_SLOT = (
    "La clé de ce compte utilise des paramètres de protection trop faibles : elle est refusée. "
    "Demandez à la direction de réinitialiser le mot de passe, ou utilisez la clé de secours."
)
OUT_OF_BOUNDS = (
    "La clé de ce compte porte des paramètres de protection hors des limites admises "
    "(au plus 10 passes, 1 Gio de mémoire, 16 fils) : le fichier des clés (keyslots.json) a "
    "probablement été modifié en dehors de Sillage. Ce n'est pas compté comme une tentative "
    "infructueuse. Restaurez une sauvegarde, ou demandez à la direction de réinitialiser le "
    "mot de passe de ce compte."
)
TAMPERED = (
    "Le fichier des clés (keyslots.json) a été modifié en dehors de Sillage ou remplacé par une "
    "ancienne version : l'ouverture est refusée. Restaurez une sauvegarde ou utilisez la clé "
    "de secours."
)


def hkdf(dmk: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(dmk)


def normalize_login(login: str) -> str:
    return unicodedata.normalize("NFC", login).strip().casefold()


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: Any) -> bytes:
    if not isinstance(text, str):
        raise ValueError("not base64 text")
    return base64.b64decode(text.encode("ascii"), validate=True)


def derive_kek(password: str, salt: bytes, params: KdfParams) -> bytes:
    # NFC: « é » typed as one code point or as e + accent is the same password.
    return hash_secret_raw(
        secret=unicodedata.normalize("NFC", password).encode("utf-8", "surrogatepass"),
        salt=salt,
        time_cost=params.time_cost,
        memory_cost=params.memory_kib,
        parallelism=params.parallelism,
        hash_len=32,
        type=Type.ID,
    )


@dataclass
class KeySlot:
    slot_id: str
    lookup: str
    user_id: int
    params: KdfParams
    salt: bytes
    nonce: bytes
    wrapped: bytes

    def associated_data(self) -> bytes:
        return json.dumps(
            {
                "format": FORMAT,
                "slot_id": self.slot_id,
                "user_id": self.user_id,
                "t": self.params.time_cost,
                "m": self.params.memory_kib,
                "p": self.params.parallelism,
            },
            sort_keys=True,
            separators=(",", ":"),
        ).encode()

    def to_json(self) -> dict[str, Any]:
        return {
            "slot_id": self.slot_id,
            "lookup": self.lookup,
            "user_id": self.user_id,
            "kdf": {
                "alg": "argon2id",
                "t": self.params.time_cost,
                "m": self.params.memory_kib,
                "p": self.params.parallelism,
                "salt": _b64(self.salt),
            },
            "nonce": _b64(self.nonce),
            "wrapped": _b64(self.wrapped),
        }

    @staticmethod
    def from_json(obj: Any) -> KeySlot:
        kdf = obj["kdf"]
        if kdf["alg"] != "argon2id":
            raise ValueError("unknown kdf")
        params = KdfParams(int(kdf["t"]), int(kdf["m"]), int(kdf["p"]))
        slot = KeySlot(
            slot_id=str(obj["slot_id"]),
            lookup=str(obj["lookup"]),
            user_id=int(obj["user_id"]),
            params=params,
            salt=_unb64(kdf["salt"]),
            nonce=_unb64(obj["nonce"]),
            wrapped=_unb64(obj["wrapped"]),
        )
        if len(slot.salt) < 16 or len(slot.nonce) != 12:
            raise ValueError("bad salt or nonce")
        return slot


@dataclass
class KeySlotFile:
    path: Path
    salt: bytes
    generation: int = 0
    slots: list[KeySlot] = field(default_factory=list)
    mac: bytes = b""

    # -- reading -------------------------------------------------------------------------
    @staticmethod
    def new(path: Path) -> KeySlotFile:
        return KeySlotFile(path=path, salt=secrets.token_bytes(16))

    @staticmethod
    def load(path: Path) -> KeySlotFile:
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            raise WorkspaceError(
                f"Le fichier des clés est absent de « {path.parent} » : ce dossier n'est pas "
                "un espace de travail Sillage complet. Utilisez la clé de secours ou une sauvegarde."
            ) from None
        except OSError as exc:
            raise WorkspaceError(f"Impossible de lire le fichier des clés ({exc.strerror}).") from None
        try:
            obj = json.loads(raw.decode("utf-8"))
            if obj.get("format") != FORMAT:
                raise ValueError("format")
            ksf = KeySlotFile(
                path=path,
                salt=_unb64(obj["salt"]),
                generation=int(obj["generation"]),
                slots=[KeySlot.from_json(s) for s in obj["slots"]],
                mac=_unb64(obj["mac"]),
            )
        except (ValueError, KeyError, TypeError, UnicodeDecodeError, AttributeError):
            raise TamperingDetected(TAMPERED) from None
        return ksf

    def _body(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "salt": _b64(self.salt),
            "generation": self.generation,
            "slots": [s.to_json() for s in self.slots],
        }

    def _compute_mac(self, dmk: bytes) -> bytes:
        body = json.dumps(self._body(), sort_keys=True, separators=(",", ":")).encode()
        return hmac.digest(hkdf(dmk, b"sillage keyslots mac v1"), body, "sha256")

    def verify(self, dmk: bytes, expected_generation: int | None) -> None:
        """Raise TamperingDetected if the file was edited, or is older than the database says."""
        if not hmac.compare_digest(self._compute_mac(dmk), self.mac):
            raise TamperingDetected(TAMPERED)
        if expected_generation is not None and self.generation < expected_generation:
            raise TamperingDetected(TAMPERED)

    def lookup_of(self, login: str) -> str:
        return hashlib.sha256(self.salt + normalize_login(login).encode("utf-8")).hexdigest()

    def slot_for(self, login: str) -> KeySlot | None:
        lookup = self.lookup_of(login)
        for slot in self.slots:
            if hmac.compare_digest(slot.lookup, lookup):
                return slot
        return None

    def unwrap(self, login: str, password: str, policy: KdfPolicy = DEFAULT_POLICY) -> tuple[bytes, KeySlot]:
        """Return (DMK, slot). The same error, after the same work, for an unknown login."""
        slot = self.slot_for(login)
        if slot is None:
            # Spend the same time as a real attempt so that logins cannot be probed.
            derive_kek(password, secrets.token_bytes(16), policy.params)
            raise WrongCredentials()
        if not slot.params.at_most(MAXIMUM):
            raise TamperingDetected(OUT_OF_BOUNDS)
        if not slot.params.at_least(policy.minimum):
            raise TamperingDetected(WEAK_SLOT)
        kek = derive_kek(password, slot.salt, slot.params)
        try:
            dmk = AESGCM(kek).decrypt(slot.nonce, slot.wrapped, slot.associated_data())
        except InvalidTag:
            raise WrongCredentials() from None
        if len(dmk) != DMK_BYTES:
            raise TamperingDetected(TAMPERED)
        return dmk, slot

    # -- writing -------------------------------------------------------------------------
    def set_slot(
        self, dmk: bytes, login: str, user_id: int, password: str, policy: KdfPolicy = DEFAULT_POLICY
    ) -> KeySlot:
        """Add or replace the slot of ``login`` (the file still has to be saved)."""
        if not policy.params.at_least(policy.minimum) or not policy.params.at_most(MAXIMUM):
            raise ValueError("KDF parameters outside the policy bounds")
        lookup = self.lookup_of(login)
        self.slots = [s for s in self.slots if s.lookup != lookup and s.user_id != user_id]
        slot = KeySlot(
            slot_id=secrets.token_hex(8),
            lookup=lookup,
            user_id=user_id,
            params=policy.params,
            salt=secrets.token_bytes(16),
            nonce=secrets.token_bytes(12),
            wrapped=b"",
        )
        kek = derive_kek(password, slot.salt, slot.params)
        slot.wrapped = AESGCM(kek).encrypt(slot.nonce, dmk, slot.associated_data())
        self.slots.append(slot)
        return slot

    def remove_user(self, user_id: int) -> None:
        self.slots = [s for s in self.slots if s.user_id != user_id]

    def save(self, dmk: bytes) -> int:
        """Write the file atomically with the next generation; return that generation."""
        self.generation += 1
        self.mac = self._compute_mac(dmk)
        data = dict(self._body(), mac=_b64(self.mac))
        atomic_write(self.path, json.dumps(data, indent=1, sort_keys=True).encode("utf-8"))
        return self.generation
