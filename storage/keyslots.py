"""Account key pairs and key grants (R-2.2, R-2.8).

Key design:

* The database master key (DMK) opens every database of the workspace.
* Each account owns an X25519 key pair. Its private key is wrapped with AES-256-GCM under a key
  derived from the account's password with Argon2id; the Argon2 parameters, the user id, the
  slot id and the public key are bound into the AEAD associated data. A successful unwrap is
  the password check.
* Keys are *granted* to an account by sealing them to its public key with HPKE (RFC 9180,
  DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-256-GCM; ``cryptography``'s ``hpke`` module).
  The DMK is granted to every active account, the journal sealing key (Ed25519, R-5.6) to
  ``direction`` accounts only. Whoever holds a key can grant it to an account without knowing
  that account's password; withdrawing an account removes its slot and its grants.

Login: password → private key → the account's grants → DMK (and the sealing key if granted).

File ``keyslots.json`` is a copy of the ``key_slots`` / ``key_grants`` tables of the encrypted
database (the database is authoritative, see ``storage.keyring``), readable before login. It
carries a generation counter and an HMAC keyed from the DMK (HKDF), so an edited file is
detected once a grant opens, and a rolled-back file by comparing its generation with the one
recorded inside the database.

Format 1 (``sillage-keyslots-1``, before issue 10) wrapped the DMK itself under each password.
Such slots are still read ("legacy" slots) and each account moves to a key pair at its next
login, with no password reset and no data touched.

Logins are not written in clear: a slot is found by SHA-256(file salt ‖ login).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from storage.errors import TamperingDetected, WorkspaceError, WrongCredentials, os_reason
from storage.files import atomic_write
from storage.keycrypto import (
    DEFAULT_POLICY,
    DMK,
    DMK_BYTES,
    FORMAT,
    JOURNAL_SEAL,
    LEGACY,
    LEGACY_FORMAT,
    NEWER_ON_DISK,
    PRODUCTION_MINIMUM,
    TAMPERED,
    X25519,
    Grant,
    KdfParams,
    KdfPolicy,
    _b64,
    _canonical,
    _check_bounds,
    _unb64,
    derive_kek,
    hkdf,
    key_id_of,
    normalize_login,
    open_grant,
    private_bytes,
    public_bytes,
    seal_grant,
)


@dataclass
class KeySlot:
    """One account's way in: its X25519 private key (or, for a legacy slot, the DMK itself)
    wrapped under its password."""

    slot_id: str
    lookup: str
    user_id: int
    params: KdfParams
    salt: bytes
    nonce: bytes
    wrapped: bytes
    kind: str = X25519
    public_key: bytes = b""

    def associated_data(self) -> bytes:
        if self.kind == LEGACY:
            return _canonical({
                "format": LEGACY_FORMAT, "slot_id": self.slot_id, "user_id": self.user_id,
                "t": self.params.time_cost, "m": self.params.memory_kib, "p": self.params.parallelism,
            })
        return _canonical({
            "format": FORMAT, "kind": X25519, "slot_id": self.slot_id, "user_id": self.user_id,
            "t": self.params.time_cost, "m": self.params.memory_kib, "p": self.params.parallelism,
            "public_key": self.public_key.hex(),
        })

    def to_json(self, *, legacy_file: bool = False) -> dict[str, Any]:
        obj: dict[str, Any] = {
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
        if not legacy_file:
            obj["kind"] = self.kind
            obj["public_key"] = _b64(self.public_key)
        return obj

    @staticmethod
    def from_json(obj: Any, *, legacy_file: bool = False) -> KeySlot:
        kdf = obj["kdf"]
        if kdf["alg"] != "argon2id":
            raise ValueError("unknown kdf")
        params = KdfParams(int(kdf["t"]), int(kdf["m"]), int(kdf["p"]))
        kind = LEGACY if legacy_file else str(obj["kind"])
        if kind not in (X25519, LEGACY):
            raise ValueError("unknown slot kind")
        slot = KeySlot(
            slot_id=str(obj["slot_id"]),
            lookup=str(obj["lookup"]),
            user_id=int(obj["user_id"]),
            params=params,
            salt=_unb64(kdf["salt"]),
            nonce=_unb64(obj["nonce"]),
            wrapped=_unb64(obj["wrapped"]),
            kind=kind,
            public_key=_unb64(obj["public_key"]) if kind == X25519 else b"",
        )
        if len(slot.salt) < 16 or len(slot.nonce) != 12:
            raise ValueError("bad salt or nonce")
        if kind == X25519 and len(slot.public_key) != 32:
            raise ValueError("bad public key")
        return slot



@dataclass
class Unlocked:
    """What a password opened: the account, its slot and the keys granted to it."""

    user_id: int
    slot: KeySlot
    keys: dict[str, bytes]
    #: the X25519 private key (None for a legacy slot)
    private: X25519PrivateKey | None = None

    @property
    def dmk(self) -> bytes:
        return self.keys[DMK]


@dataclass
class KeySlotFile:
    path: Path
    salt: bytes
    generation: int = 0
    slots: list[KeySlot] = field(default_factory=list)
    grants: list[Grant] = field(default_factory=list)
    mac: bytes = b""
    format: str = FORMAT

    # -- reading -------------------------------------------------------------------------
    @staticmethod
    def new(path: Path, salt: bytes | None = None) -> KeySlotFile:
        return KeySlotFile(path=path, salt=salt if salt is not None else secrets.token_bytes(16))

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
            raise WorkspaceError(f"Impossible de lire le fichier des clés ({os_reason(exc)}).") from None
        try:
            obj = json.loads(raw.decode("utf-8"))
            fmt = obj.get("format")
            if fmt not in (FORMAT, LEGACY_FORMAT):
                raise ValueError("format")
            legacy = fmt == LEGACY_FORMAT
            ksf = KeySlotFile(
                path=path,
                salt=_unb64(obj["salt"]),
                generation=int(obj["generation"]),
                slots=[KeySlot.from_json(s, legacy_file=legacy) for s in obj["slots"]],
                grants=[] if legacy else [Grant.from_json(g) for g in obj["grants"]],
                mac=_unb64(obj["mac"]),
                format=str(fmt),
            )
        except (ValueError, KeyError, TypeError, UnicodeDecodeError, AttributeError):
            raise TamperingDetected(TAMPERED) from None
        return ksf

    @staticmethod
    def generation_on_disk(path: Path) -> int:
        """The generation written in the file on disk (0 when absent or unreadable)."""
        try:
            obj = json.loads(path.read_bytes().decode("utf-8"))
            return int(obj["generation"])
        except (OSError, ValueError, KeyError, TypeError, UnicodeDecodeError, AttributeError):
            return 0

    def _body(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "format": self.format,
            "salt": _b64(self.salt),
            "generation": self.generation,
            "slots": [s.to_json(legacy_file=self.format == LEGACY_FORMAT) for s in self.slots],
        }
        if self.format == FORMAT:
            body["grants"] = [g.to_json() for g in self.grants]
        return body

    def _compute_mac(self, dmk: bytes) -> bytes:
        info = b"sillage keyslots mac v1" if self.format == LEGACY_FORMAT else b"sillage keyslots mac v2"
        return hmac.digest(hkdf(dmk, info), _canonical(self._body()), "sha256")

    def mac_ok(self, dmk: bytes) -> bool:
        return hmac.compare_digest(self._compute_mac(dmk), self.mac)

    def verify(self, dmk: bytes, expected_generation: int | None) -> None:
        """Raise TamperingDetected if the file was edited, or is older than the database says."""
        if not self.mac_ok(dmk):
            raise TamperingDetected(TAMPERED)
        if expected_generation is not None and self.generation < expected_generation:
            raise TamperingDetected(TAMPERED)

    def lookup_of(self, login: str) -> str:
        return lookup_of(self.salt, login)

    def slot_for(self, login: str) -> KeySlot | None:
        lookup = self.lookup_of(login)
        for slot in self.slots:
            if hmac.compare_digest(slot.lookup, lookup):
                return slot
        return None

    def grants_of(self, user_id: int) -> list[Grant]:
        return [g for g in self.grants if g.user_id == user_id]

    def unlock(self, login: str, password: str, policy: KdfPolicy = DEFAULT_POLICY) -> Unlocked:
        """Password → private key → grants. The same error, after the same work, for an unknown
        login. A slot outside the parameter bounds is refused before any derivation."""
        slot = self.slot_for(login)
        if slot is None:
            # Spend the same time as a real attempt so that logins cannot be probed.
            derive_kek(password, secrets.token_bytes(16), policy.params)
            raise WrongCredentials()
        _check_bounds(slot.params, policy)
        kek = derive_kek(password, slot.salt, slot.params)
        try:
            secret = AESGCM(kek).decrypt(slot.nonce, slot.wrapped, slot.associated_data())
        except InvalidTag:
            raise WrongCredentials() from None
        if len(secret) != 32:
            raise TamperingDetected(TAMPERED)
        if slot.kind == LEGACY:
            return Unlocked(slot.user_id, slot, {DMK: secret})
        private = X25519PrivateKey.from_private_bytes(secret)
        if not hmac.compare_digest(public_bytes(private), slot.public_key):
            raise TamperingDetected(TAMPERED)
        keys: dict[str, bytes] = {}
        for grant in self.grants_of(slot.user_id):
            try:
                keys[grant.key_name] = open_grant(private, grant)
            except InvalidTag:
                raise TamperingDetected(TAMPERED) from None
        if DMK not in keys or len(keys[DMK]) != DMK_BYTES:
            # A slot without its DMK grant: the account was withdrawn or the file edited.
            raise WrongCredentials()
        return Unlocked(slot.user_id, slot, keys, private)

    def unwrap(self, login: str, password: str, policy: KdfPolicy = DEFAULT_POLICY) -> tuple[bytes, KeySlot]:
        """Return (DMK, slot): the password check of ``unlock`` for callers needing the DMK only."""
        unlocked = self.unlock(login, password, policy)
        return unlocked.dmk, unlocked.slot

    # -- writing -------------------------------------------------------------------------
    def save(self, dmk: bytes, generation: int) -> int:
        """Write the file atomically with ``generation``; never overwrite a newer file."""
        on_disk = KeySlotFile.generation_on_disk(self.path)
        if on_disk >= generation:
            raise WorkspaceError(NEWER_ON_DISK)
        self.format = FORMAT
        self.generation = generation
        self.mac = self._compute_mac(dmk)
        data = dict(self._body(), mac=_b64(self.mac))
        atomic_write(self.path, json.dumps(data, indent=1, sort_keys=True).encode("utf-8"))
        return self.generation


def lookup_of(salt: bytes, login: str) -> str:
    return hashlib.sha256(salt + normalize_login(login).encode("utf-8")).hexdigest()


def new_slot(
    user_id: int, lookup: str, password: str, policy: KdfPolicy = DEFAULT_POLICY
) -> tuple[KeySlot, X25519PrivateKey]:
    """A fresh key pair for an account, its private key wrapped under ``password``."""
    if not policy.params.at_least(policy.minimum) or not policy.params.at_most(policy.maximum):
        raise ValueError("KDF parameters outside the policy bounds")
    private = X25519PrivateKey.generate()
    slot = KeySlot(
        slot_id=secrets.token_hex(8),
        lookup=lookup,
        user_id=user_id,
        params=policy.params,
        salt=secrets.token_bytes(16),
        nonce=secrets.token_bytes(12),
        wrapped=b"",
        kind=X25519,
        public_key=public_bytes(private),
    )
    kek = derive_kek(password, slot.salt, slot.params)
    slot.wrapped = AESGCM(kek).encrypt(slot.nonce, private_bytes(private), slot.associated_data())
    return slot, private

#: names kept importable from here (they live in ``storage.keycrypto``)
__all__ = [
    "DEFAULT_POLICY",
    "DMK",
    "DMK_BYTES",
    "Grant",
    "JOURNAL_SEAL",
    "KdfParams",
    "KdfPolicy",
    "KeySlot",
    "KeySlotFile",
    "LEGACY",
    "LEGACY_FORMAT",
    "PRODUCTION_MINIMUM",
    "TAMPERED",
    "Unlocked",
    "X25519",
    "derive_kek",
    "hkdf",
    "key_id_of",
    "lookup_of",
    "new_slot",
    "seal_grant",
]
