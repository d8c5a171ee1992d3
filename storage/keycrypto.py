"""The key material of the key slots: Argon2id bounds, key derivation, HPKE grants (R-2.2, R-2.8)."""


from __future__ import annotations

import base64
import json
import unicodedata
from dataclasses import dataclass
from typing import Any

from argon2.low_level import Type, hash_secret_raw
from cryptography.hazmat.primitives import hashes, hpke
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from storage.errors import TamperingDetected, WrongCredentials

FORMAT = "sillage-keyslots-2"
LEGACY_FORMAT = "sillage-keyslots-1"
DMK_BYTES = 32

#: names of the keys that can be granted
DMK = "dmk"
JOURNAL_SEAL = "journal_seal"
GRANTABLE = (DMK, JOURNAL_SEAL)

#: slot kinds
X25519 = "x25519"
LEGACY = "legacy"

_SUITE = hpke.Suite(hpke.KEM.X25519, hpke.KDF.HKDF_SHA256, hpke.AEAD.AES_256_GCM)


@dataclass(frozen=True)
class KdfParams:
    time_cost: int
    memory_kib: int
    parallelism: int

    def at_least(self, other: KdfParams) -> bool:
        return (
            self.time_cost >= other.time_cost
            and self.memory_kib >= other.memory_kib
            and self.parallelism >= other.parallelism
        )

    def at_most(self, other: KdfParams) -> bool:
        return (
            self.time_cost <= other.time_cost
            and self.memory_kib <= other.memory_kib
            and self.parallelism <= other.parallelism
        )


#: the production minimum of R-2.2: t=3, m=64 MiB, p=4
PRODUCTION_MINIMUM = KdfParams(time_cost=3, memory_kib=65536, parallelism=4)
#: the maximum of R-2.2: t=10, m=1 GiB, p=16 (a slot asking for more is refused, not run)
MAXIMUM = KdfParams(time_cost=10, memory_kib=1024 * 1024, parallelism=16)


@dataclass(frozen=True)
class KdfPolicy:
    """Parameters for new slots and the bounds accepted when opening one.

    Production code uses ``DEFAULT_POLICY``; tests inject a cheaper policy explicitly.
    """

    params: KdfParams = PRODUCTION_MINIMUM
    minimum: KdfParams = PRODUCTION_MINIMUM
    maximum: KdfParams = MAXIMUM


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
NEWER_ON_DISK = (
    "Le fichier des clés a été modifié par un autre programme pendant l'opération : rien n'a "
    "été écrasé. Fermez les autres fenêtres de Sillage puis réessayez."
)


def hkdf(dmk: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(dmk)


def key_id_of(dmk: bytes) -> str:
    """A public identifier of a DMK (which key a grant or a database belongs to)."""
    return hkdf(dmk, b"sillage dmk id v1")[:8].hex()


def normalize_login(login: str) -> str:
    return unicodedata.normalize("NFC", login).strip().casefold()


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: Any) -> bytes:
    if not isinstance(text, str):
        raise ValueError("not base64 text")
    return base64.b64decode(text.encode("ascii"), validate=True)


def _canonical(obj: Any) -> bytes:
    return json.dumps(obj, sort_keys=True, separators=(",", ":")).encode()


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


def public_bytes(private: X25519PrivateKey) -> bytes:
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    return private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def private_bytes(private: X25519PrivateKey) -> bytes:
    from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

    return private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())



def grant_info(user_id: int, key_name: str, key_id: str) -> bytes:
    """HPKE ``info``: a grant opens only as the key it was made for, for the account it names."""
    return b"sillage grant v1 " + _canonical({"user_id": user_id, "key": key_name, "key_id": key_id})


def seal_grant(public_key: bytes, user_id: int, key_name: str, key_id: str, secret: bytes) -> bytes:
    return _SUITE.encrypt(
        secret, X25519PublicKey.from_public_bytes(public_key), info=grant_info(user_id, key_name, key_id)
    )


def open_grant(private: X25519PrivateKey, grant: Grant) -> bytes:
    return _SUITE.decrypt(grant.sealed, private, info=grant_info(grant.user_id, grant.key_name, grant.key_id))


@dataclass
class Grant:
    user_id: int
    key_name: str
    key_id: str
    sealed: bytes

    def to_json(self) -> dict[str, Any]:
        return {"user_id": self.user_id, "key": self.key_name, "key_id": self.key_id,
                "sealed": _b64(self.sealed)}

    @staticmethod
    def from_json(obj: Any) -> Grant:
        grant = Grant(int(obj["user_id"]), str(obj["key"]), str(obj["key_id"]), _unb64(obj["sealed"]))
        if grant.key_name not in GRANTABLE:
            raise ValueError("unknown key name")
        return grant


def _check_bounds(params: KdfParams, policy: KdfPolicy) -> None:
    if not params.at_most(policy.maximum):
        raise TamperingDetected(OUT_OF_BOUNDS)
    if not params.at_least(policy.minimum):
        raise TamperingDetected(WEAK_SLOT)

