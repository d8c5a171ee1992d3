"""Loading and checking ``resources/forms`` and ``resources/vocabularies`` (R-4.1, R-4.2).

The files are data edited by hand: every key is checked (a misspelt ``sensitve = true`` must
not silently leave a field unprotected), and a broken file stops the loading with a French
message naming the file, rather than producing a form that the database would then refuse.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path

from app.catalogue.catalogue import Catalogue
from app.catalogue.model import (
    CatalogueError,
    Category,
    Field,
    FieldType,
    Vocabulary,
    VocabularyItem,
)
from app.resources import resource_path

_ID = re.compile(r"[a-z0-9_]+", re.ASCII)

#: the NIR may only be kept for social cover (REF 23; AU49 art. 3)
NIR_CATEGORY = "couverture_sociale"
#: upper bounds a catalogue may give to free text (R-4.3 keeps comments short)
MAX_TEXT_LENGTH = 300
MAX_NOTE_LENGTH = 2000

_CATEGORY_KEYS = {
    "id": str, "label": str, "order": int, "sensitive": bool, "consent": str,
    "requires_setting": str, "repeating": bool, "reminder": str,
}
_FIELD_KEYS = {
    "id": str, "label": str, "type": str, "vocabulary": str, "required": bool,
    "sensitive": bool, "help": str, "max_length": int, "min": int, "max": int,
}
_VOCABULARY_KEYS = {"id": str, "label": str, "source": str}
_ITEM_KEYS = {"code": str, "label": str, "retired": bool, "counts_as_contact": bool}
_TYPE_NAMES = {str: "un texte", int: "un nombre entier", bool: "true ou false"}


class _File:
    """One catalogue file being read: every complaint names it."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def error(self, message: str) -> CatalogueError:
        return CatalogueError(
            f"Catalogue des formulaires invalide ({self.path.parent.name}/{self.path.name}) : "
            f"{message} Corrigez le fichier ou réinstallez l'application.")

    def read(self, sections: Mapping[str, type]) -> dict[str, object]:
        try:
            data = tomllib.loads(self.path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise self.error(f"fichier illisible ({exc}).") from None
        except OSError:
            raise self.error("fichier impossible à lire.") from None
        unknown = sorted(set(data) - set(sections))
        if unknown:
            raise self.error(f"section inconnue « {unknown[0]} ».")
        for name, kind in sections.items():
            if not isinstance(data.get(name), kind):
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


def _text(table: Mapping[str, object], key: str, default: str = "") -> str:
    value = table.get(key, default)
    return value.strip() if isinstance(value, str) else default


def _flag(table: Mapping[str, object], key: str) -> bool:
    return table.get(key) is True


def _number(table: Mapping[str, object], key: str) -> int | None:
    value = table.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def read_vocabulary(path: Path) -> Vocabulary:
    f = _File(path)
    data = f.read({"vocabulary": dict, "items": list})
    head = f.table(data["vocabulary"], _VOCABULARY_KEYS, ("id", "label", "source"),
                   "[vocabulary]")
    vid = f.identifier(head["id"], "[vocabulary]")
    if vid != path.stem:
        raise f.error(f"l'identifiant « {vid} » diffère du nom du fichier.")
    items: list[VocabularyItem] = []
    codes: set[str] = set()
    labels: set[str] = set()
    raw_items = data["items"]
    assert isinstance(raw_items, list)
    for n, raw in enumerate(raw_items, 1):
        where = f"élément n° {n}"
        entry = f.table(raw, _ITEM_KEYS, ("code", "label"), where)
        code = f.identifier(entry["code"], where)
        label = _text(entry, "label")
        if code in codes:
            raise f.error(f"code en double « {code} ».")
        if label.casefold() in labels:
            raise f.error(f"libellé en double « {label} ».")
        codes.add(code)
        labels.add(label.casefold())
        items.append(VocabularyItem(code, label, retired=_flag(entry, "retired"),
                                    counts_as_contact=_flag(entry, "counts_as_contact")))
    if not any(not i.retired for i in items):
        raise f.error("la liste ne propose aucune valeur active.")
    return Vocabulary(vid, _text(head, "label"), _text(head, "source"), tuple(items))


def _read_field(f: _File, raw: object, n: int, category_id: str,
                vocabularies: Mapping[str, Vocabulary]) -> Field:
    entry = f.table(raw, _FIELD_KEYS, ("id", "label", "type"), f"champ n° {n}")
    fid = f.identifier(entry["id"], f"champ n° {n}")
    where = f"champ « {fid} »"
    try:
        ftype = FieldType(_text(entry, "type"))
    except ValueError:
        raise f.error(f"{where} : type inconnu « {entry['type']} » (types possibles : "
                      f"{', '.join(t.value for t in FieldType)}).") from None
    vocabulary = _text(entry, "vocabulary") or None
    if ftype.has_vocabulary:
        if vocabulary is None:
            raise f.error(f"{where} : une liste de choix doit citer sa liste (vocabulary).")
        if vocabulary not in vocabularies:
            raise f.error(f"{where} : la liste « {vocabulary} » n'existe pas dans "
                          "resources/vocabularies.")
    elif vocabulary is not None:
        raise f.error(f"{where} : seul un champ choice ou multi peut citer une liste.")
    max_length = _number(entry, "max_length")
    if max_length is not None:
        ceiling = {FieldType.TEXT: MAX_TEXT_LENGTH, FieldType.NOTE: MAX_NOTE_LENGTH}.get(ftype)
        if ceiling is None:
            raise f.error(f"{where} : max_length ne s'applique qu'aux champs text et note.")
        if not 1 <= max_length <= ceiling:
            raise f.error(f"{where} : max_length doit être compris entre 1 et {ceiling}.")
    low, high = _number(entry, "min"), _number(entry, "max")
    if ftype is FieldType.NUMBER:
        if low is None or high is None or low > high:
            raise f.error(f"{where} : un nombre doit avoir des bornes min et max (min ≤ max).")
    elif low is not None or high is not None:
        raise f.error(f"{where} : min et max ne s'appliquent qu'aux champs number.")
    sensitive = _flag(entry, "sensitive")
    if ftype is FieldType.NIR and category_id != NIR_CATEGORY:
        raise f.error(f"{where} : le NIR ne peut figurer que dans « {NIR_CATEGORY} ».")
    return Field(
        id=fid, label=_text(entry, "label"), type=ftype, vocabulary=vocabulary,
        required=_flag(entry, "required"), sensitive=sensitive, help=_text(entry, "help"),
        max_length=max_length, min=low, max=high,
    )


def read_category(path: Path, vocabularies: Mapping[str, Vocabulary]) -> Category:
    f = _File(path)
    data = f.read({"category": dict, "fields": list})
    head = f.table(data["category"], _CATEGORY_KEYS, ("id", "label", "order"), "[category]")
    cid = f.identifier(head["id"], "[category]")
    if cid != path.stem:
        raise f.error(f"l'identifiant « {cid} » diffère du nom du fichier.")
    consent = _text(head, "consent") or None
    setting = _text(head, "requires_setting") or None
    if consent is not None:
        f.identifier(consent, "consent")
    if setting is not None:
        f.identifier(setting, "requires_setting")
    sensitive = _flag(head, "sensitive")
    if consent is not None and not sensitive:
        raise f.error("une catégorie soumise à consentement doit être marquée sensitive = true.")
    raw_fields = data["fields"]
    assert isinstance(raw_fields, list)
    fields: list[Field] = []
    for n, raw in enumerate(raw_fields, 1):
        field = _read_field(f, raw, n, cid, vocabularies)
        if any(other.id == field.id for other in fields):
            raise f.error(f"champ en double « {field.id} ».")
        fields.append(field)
    if not fields:
        raise f.error("la catégorie n'a aucun champ.")
    for field in fields:
        if field.type is FieldType.NIR and not (field.sensitive or sensitive):
            raise f.error(f"champ « {field.id} » : le NIR doit être marqué sensitive = true.")
        if field.type is FieldType.IBAN and not (field.sensitive or sensitive):
            raise f.error(f"champ « {field.id} » : l'IBAN doit être marqué sensitive = true (R-4.8).")
    reminder = _text(head, "reminder")
    if any(fl.is_free_text for fl in fields) and not reminder:
        raise f.error("une catégorie avec du texte libre doit afficher un rappel (reminder) "
                      "de ce qui ne doit pas y être écrit.")
    order = _number(head, "order")
    assert order is not None
    return Category(
        id=cid, label=_text(head, "label"), order=order, sensitive=sensitive,
        consent=consent, requires_setting=setting, repeating=_flag(head, "repeating"),
        reminder=reminder, fields=tuple(fields),
    )


def load_catalogue_from(root: Path) -> Catalogue:
    """Read and check the catalogue under ``root`` (``forms/`` and ``vocabularies/``), uncached."""
    forms_dir, vocab_dir = root / "forms", root / "vocabularies"
    if not forms_dir.is_dir() or not vocab_dir.is_dir():
        raise CatalogueError(f"Catalogue des formulaires introuvable dans « {root} ». "
                             "Réinstallez l'application.")
    vocabularies = {p.stem: read_vocabulary(p) for p in sorted(vocab_dir.glob("*.toml"))}
    categories = [read_category(p, vocabularies) for p in sorted(forms_dir.glob("*.toml"))]
    if not categories:
        raise CatalogueError(f"Catalogue des formulaires vide dans « {root} ». "
                             "Réinstallez l'application.")
    categories.sort(key=lambda c: (c.order, c.id))
    return Catalogue(tuple(categories), vocabularies)


@functools.cache
def load_catalogue(root: Path | None = None) -> Catalogue:
    """The catalogue of the application (or of ``root``), read once per process."""
    if root is None:
        return load_catalogue_from(resource_path())
    return load_catalogue_from(root)
