"""Loading the catalogue from ``resources/forms`` and ``resources/vocabularies`` (R-4.1)."""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from app.catalogue.model import Category, Field, FieldType, Vocabulary, VocabularyItem
from app.catalogue.validation import validate
from app.errors import KnownError, ValidationError
from app.resources import resources_dir

_ID = re.compile(r"^[a-z0-9_]+$")


class CatalogueError(KnownError):
    """A broken catalogue file (a packaging or translation mistake)."""


class Catalogue:
    def __init__(self, categories: tuple[Category, ...], vocabularies: Mapping[str, Vocabulary]) -> None:
        self.categories = categories
        self._by_id = {c.id: c for c in categories}
        self._vocabularies = dict(vocabularies)

    def category(self, category_id: str) -> Category:
        try:
            return self._by_id[category_id]
        except (KeyError, TypeError):
            raise ValidationError(f"Catégorie inconnue : « {str(category_id)[:40]} ».") from None

    def vocabulary(self, vocabulary_id: str) -> Vocabulary:
        try:
            return self._vocabularies[vocabulary_id]
        except KeyError:
            raise ValidationError(f"Liste de valeurs inconnue : « {vocabulary_id[:40]} ».") from None

    @property
    def vocabularies(self) -> tuple[Vocabulary, ...]:
        return tuple(self._vocabularies.values())

    def validate_value(self, category_id: str, field_id: str, value: Any, *, new_entry: bool = True) -> Any:
        field = self.category(category_id).field(field_id)
        vocab = self.vocabulary(field.vocabulary) if field.vocabulary else None
        return validate(field, value, vocab, new_entry=new_entry)

    def validate_record(
        self, category_id: str, values: Mapping[str, Any], *, new_entry: bool = True
    ) -> dict[str, Any]:
        category = self.category(category_id)
        known = {f.id for f in category.fields}
        for key in values:
            if key not in known:
                raise ValidationError(f"Champ inconnu « {str(key)[:40]} » dans « {category.label} ».", str(key))
        out: dict[str, Any] = {}
        for field in category.fields:
            if field.id in values:
                out[field.id] = self.validate_value(category_id, field.id, values[field.id], new_entry=new_entry)
            elif field.required:
                raise ValidationError(f"{field.label} : ce champ est obligatoire.", field.id)
        return out


def _bad(path: Path, message: str) -> CatalogueError:
    return CatalogueError(f"Catalogue des formulaires invalide ({path.name}) : {message}")


def _read(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise _bad(path, f"fichier illisible ({exc}).") from None


def _vocabulary(path: Path) -> Vocabulary:
    data = _read(path)
    head = data.get("vocabulary", {})
    vid = head.get("id", "")
    if not isinstance(vid, str) or not _ID.match(vid) or vid != path.stem:
        raise _bad(path, "identifiant de liste absent ou différent du nom du fichier.")
    items = []
    seen: set[str] = set()
    for raw in data.get("items", []):
        code, label = raw.get("code"), raw.get("label")
        if not isinstance(code, str) or not code or not isinstance(label, str) or not label:
            raise _bad(path, "chaque élément doit avoir un code et un libellé.")
        if code in seen:
            raise _bad(path, f"code en double « {code} ».")
        seen.add(code)
        items.append(VocabularyItem(code, label, bool(raw.get("retired", False)),
                                    bool(raw.get("counts_as_contact", False))))
    if not items:
        raise _bad(path, "liste vide.")
    return Vocabulary(vid, str(head.get("label", vid)), str(head.get("source", "")), tuple(items))


def _category(path: Path, vocabularies: Mapping[str, Vocabulary]) -> Category:
    data = _read(path)
    head = data.get("category", {})
    cid = head.get("id", "")
    if not isinstance(cid, str) or not _ID.match(cid) or cid != path.stem:
        raise _bad(path, "identifiant de catégorie absent ou différent du nom du fichier.")
    fields = []
    seen: set[str] = set()
    for raw in data.get("fields", []):
        fid = raw.get("id", "")
        if not isinstance(fid, str) or not _ID.match(fid):
            raise _bad(path, f"identifiant de champ invalide « {fid} ».")
        if fid in seen:
            raise _bad(path, f"champ en double « {fid} ».")
        seen.add(fid)
        try:
            ftype = FieldType(raw.get("type", ""))
        except ValueError:
            raise _bad(path, f"type inconnu « {raw.get('type')} » pour « {fid} ».") from None
        vocab = raw.get("vocabulary") or None
        if ftype in (FieldType.CHOICE, FieldType.MULTI):
            if vocab not in vocabularies:
                raise _bad(path, f"le champ « {fid} » renvoie à une liste inconnue « {vocab} ».")
        elif vocab:
            raise _bad(path, f"le champ « {fid} » n'est pas une liste mais cite « {vocab} ».")
        fields.append(Field(
            id=fid, label=str(raw.get("label", fid)), type=ftype, vocabulary=vocab,
            required=bool(raw.get("required", False)), sensitive=bool(raw.get("sensitive", False)),
            help=str(raw.get("help", "")), max_length=raw.get("max_length"),
            min=raw.get("min"), max=raw.get("max"),
        ))
    if not fields:
        raise _bad(path, "aucun champ.")
    return Category(
        id=cid, label=str(head.get("label", cid)), order=int(head.get("order", 0)),
        sensitive=bool(head.get("sensitive", False)), consent=head.get("consent") or None,
        requires_setting=head.get("requires_setting") or None,
        repeating=bool(head.get("repeating", False)), reminder=str(head.get("reminder", "")),
        fields=tuple(fields),
    )


def load_catalogue_from(root: Path) -> Catalogue:
    vocab_dir, forms_dir = root / "vocabularies", root / "forms"
    if not forms_dir.is_dir() or not vocab_dir.is_dir():
        raise CatalogueError(f"Catalogue des formulaires introuvable dans « {root} ».")
    vocabularies = {p.stem: _vocabulary(p) for p in sorted(vocab_dir.glob("*.toml"))}
    categories = [_category(p, vocabularies) for p in sorted(forms_dir.glob("*.toml"))]
    categories.sort(key=lambda c: (c.order, c.id))
    return Catalogue(tuple(categories), vocabularies)


@functools.cache
def load_catalogue(root: Path | None = None) -> Catalogue:
    return load_catalogue_from(root or resources_dir())
