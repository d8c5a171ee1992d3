"""Reading one hand-edited catalogue file (R-4.1): every key checked, every complaint in French
naming the file, so that a misspelt ``sensitve = true`` never leaves a field unprotected."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from pathlib import Path

from app.catalogue.model import CatalogueError

_ID = re.compile(r"[a-z0-9_]+", re.ASCII)
_TYPE_NAMES = {str: "un texte", int: "un nombre entier", bool: "true ou false"}


class CatalogueFile:
    """One catalogue file being read: every complaint names it."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def error(self, message: str) -> CatalogueError:
        return CatalogueError(
            f"Catalogue des formulaires invalide ({self.path.parent.name}/{self.path.name}) : "
            f"{message} Corrigez le fichier ou réinstallez l'application.")

    def read(self, sections: Mapping[str, type],
             optional: Mapping[str, type] | None = None) -> dict[str, object]:
        """The file's tables: ``sections`` must all be there, ``optional`` may be."""
        try:
            data = tomllib.loads(self.path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise self.error(f"fichier illisible ({exc}).") from None
        except OSError:
            raise self.error("fichier impossible à lire.") from None
        optional = optional or {}
        unknown = sorted(set(data) - set(sections) - set(optional))
        if unknown:
            raise self.error(f"section inconnue « {unknown[0]} ».")
        for name, kind in [*sections.items(), *optional.items()]:
            if (name in sections or name in data) and not isinstance(data.get(name), kind):
                raise self.error(f"la section « {name} » manque ou est mal écrite.")
        return data

    def table(self, raw: object, keys: Mapping[str, type], required: tuple[str, ...],
              where: str) -> dict[str, object]:
        if not isinstance(raw, dict):
            raise self.error(f"{where} : une table est attendue.")
        for key, value in raw.items():
            kind = keys.get(key)
            if kind is None:
                raise self.error(f"{where} : clé inconnue « {key} ».")
            # bool is an int in Python: ``order = true`` must not pass for a number
            if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
                raise self.error(f"{where} : « {key} » doit être {_TYPE_NAMES[kind]}.")
        for key in required:
            value = raw.get(key)
            if value is None or (isinstance(value, str) and not value.strip()):
                raise self.error(f"{where} : « {key} » est obligatoire.")
        return raw

    def identifier(self, value: object, where: str) -> str:
        if not isinstance(value, str) or not _ID.fullmatch(value):
            raise self.error(f"{where} : identifiant « {value} » invalide (lettres minuscules "
                             "sans accent, chiffres et _ seulement).")
        return value

    def named_after_file(self, value: object, where: str) -> str:
        """The identifier of the file's subject, which must be the file's name."""
        ident = self.identifier(value, where)
        if ident != self.path.stem:
            raise self.error(f"l'identifiant « {ident} » diffère du nom du fichier.")
        return ident


def text(table: Mapping[str, object], key: str, default: str = "") -> str:
    value = table.get(key, default)
    return value.strip() if isinstance(value, str) else default


def flag(table: Mapping[str, object], key: str) -> bool:
    return table.get(key) is True


def number(table: Mapping[str, object], key: str) -> int | None:
    value = table.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else None
