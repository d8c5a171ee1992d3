"""Loading and checking ``resources/forms`` and ``resources/vocabularies`` (R-4.1, R-4.2).

The files are data edited by hand: every key is checked (a misspelt ``sensitve = true`` must
not silently leave a field unprotected), and a broken file stops the loading with a French
message naming the file, rather than producing a form that the database would then refuse.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from pathlib import Path

from app.catalogue.catalogue import Catalogue
from app.catalogue.files import CatalogueFile, flag, number, text
from app.catalogue.model import (
    CatalogueError,
    Category,
    Field,
    FieldType,
    Vocabulary,
    VocabularyItem,
)
from app.catalogue.rights import OPTIONAL_RIGHTS_TABLES, RIGHTS_TABLES, read_rights, read_section
from app.resources import resource_path

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


def read_vocabulary(path: Path) -> Vocabulary:
    f = CatalogueFile(path)
    data = f.read({"vocabulary": dict, "items": list})
    head = f.table(data["vocabulary"], _VOCABULARY_KEYS, ("id", "label", "source"),
                   "[vocabulary]")
    vid = f.named_after_file(head["id"], "[vocabulary]")
    items: list[VocabularyItem] = []
    codes: set[str] = set()
    labels: set[str] = set()
    raw_items = data["items"]
    assert isinstance(raw_items, list)
    for n, raw in enumerate(raw_items, 1):
        where = f"élément n° {n}"
        entry = f.table(raw, _ITEM_KEYS, ("code", "label"), where)
        code = f.identifier(entry["code"], where)
        label = text(entry, "label")
        if code in codes:
            raise f.error(f"code en double « {code} ».")
        if label.casefold() in labels:
            raise f.error(f"libellé en double « {label} ».")
        codes.add(code)
        labels.add(label.casefold())
        items.append(VocabularyItem(code, label, retired=flag(entry, "retired"),
                                    counts_as_contact=flag(entry, "counts_as_contact")))
    if not any(not i.retired for i in items):
        raise f.error("la liste ne propose aucune valeur active.")
    return Vocabulary(id=vid, items=tuple(items), title=text(head, "label"), source=text(head, "source"))


def _read_field(f: CatalogueFile, raw: object, n: int, category_id: str,
                vocabularies: Mapping[str, Vocabulary]) -> Field:
    entry = f.table(raw, _FIELD_KEYS, ("id", "label", "type"), f"champ n° {n}")
    fid = f.identifier(entry["id"], f"champ n° {n}")
    where = f"champ « {fid} »"
    try:
        ftype = FieldType(text(entry, "type"))
    except ValueError:
        raise f.error(f"{where} : type inconnu « {entry['type']} » (types possibles : "
                      f"{', '.join(t.value for t in FieldType)}).") from None
    vocabulary = text(entry, "vocabulary") or None
    if ftype.has_vocabulary:
        if vocabulary is None:
            raise f.error(f"{where} : une liste de choix doit citer sa liste (vocabulary).")
        if vocabulary not in vocabularies:
            raise f.error(f"{where} : la liste « {vocabulary} » n'existe pas dans "
                          "resources/vocabularies.")
    elif vocabulary is not None:
        raise f.error(f"{where} : seul un champ choice ou multi peut citer une liste.")
    max_length = number(entry, "max_length")
    if max_length is not None:
        ceiling = {FieldType.TEXT: MAX_TEXT_LENGTH, FieldType.NOTE: MAX_NOTE_LENGTH}.get(ftype)
        if ceiling is None:
            raise f.error(f"{where} : max_length ne s'applique qu'aux champs text et note.")
        if not 1 <= max_length <= ceiling:
            raise f.error(f"{where} : max_length doit être compris entre 1 et {ceiling}.")
    low, high = number(entry, "min"), number(entry, "max")
    if ftype is FieldType.NUMBER:
        if low is None or high is None or low > high:
            raise f.error(f"{where} : un nombre doit avoir des bornes min et max (min ≤ max).")
    elif low is not None or high is not None:
        raise f.error(f"{where} : min et max ne s'appliquent qu'aux champs number.")
    sensitive = flag(entry, "sensitive")
    if ftype is FieldType.NIR and category_id != NIR_CATEGORY:
        raise f.error(f"{where} : le NIR ne peut figurer que dans « {NIR_CATEGORY} ».")
    return Field(
        id=fid, label=text(entry, "label"), type=ftype, vocabulary=vocabulary,
        required=flag(entry, "required"), sensitive=sensitive, help=text(entry, "help"),
        max_length=max_length, min=low, max=high,
    )


def _read_fields(f: CatalogueFile, data: Mapping[str, object], category_id: str,
                 vocabularies: Mapping[str, Vocabulary]) -> tuple[Field, ...]:
    raw_fields = data["fields"]
    assert isinstance(raw_fields, list)
    fields: list[Field] = []
    for n, raw in enumerate(raw_fields, 1):
        field = _read_field(f, raw, n, category_id, vocabularies)
        if any(other.id == field.id for other in fields):
            raise f.error(f"champ en double « {field.id} ».")
        fields.append(field)
    if not fields:
        raise f.error("la catégorie n'a aucun champ.")
    return tuple(fields)


def _check_category(f: CatalogueFile, category: Category) -> None:
    """What the whole category must respect: masked identifiers (R-4.8), reminded free text
    (R-4.3), consent only on a sensitive category (R-4.6)."""
    if category.consent is not None and not category.sensitive:
        raise f.error("une catégorie soumise à consentement doit être marquée sensitive = true.")
    for field in category.fields:
        if field.type is FieldType.NIR and not field.is_sensitive_in(category):
            raise f.error(f"champ « {field.id} » : le NIR doit être marqué sensitive = true.")
        if field.type is FieldType.IBAN and not field.is_sensitive_in(category):
            raise f.error(f"champ « {field.id} » : l'IBAN doit être marqué sensitive = true (R-4.8).")
    if any(fl.is_free_text for fl in category.fields) and not category.reminder:
        raise f.error("une catégorie avec du texte libre doit afficher un rappel (reminder) "
                      "de ce qui ne doit pas y être écrit.")


def read_category(path: Path, vocabularies: Mapping[str, Vocabulary]) -> Category:
    f = CatalogueFile(path)
    data = f.read({"category": dict, **RIGHTS_TABLES, "fields": list}, OPTIONAL_RIGHTS_TABLES)
    head = f.table(data["category"], _CATEGORY_KEYS, ("id", "label", "order"), "[category]")
    cid = f.named_after_file(head["id"], "[category]")
    consent = text(head, "consent") or None
    setting = text(head, "requires_setting") or None
    if consent is not None:
        f.identifier(consent, "consent")
    if setting is not None:
        f.identifier(setting, "requires_setting")
    order = number(head, "order")
    assert order is not None
    category = Category(
        id=cid, label=text(head, "label"), order=order, sensitive=flag(head, "sensitive"),
        consent=consent, requires_setting=setting, repeating=flag(head, "repeating"),
        reminder=text(head, "reminder"), fields=_read_fields(f, data, cid, vocabularies),
        rights=read_rights(f, data),
    )
    _check_category(f, category)
    return category


def load_catalogue_from(root: Path) -> Catalogue:
    """Read and check the catalogue under ``root`` (``forms/``, ``vocabularies/`` and, for the
    tabs that are not forms, ``sections/``), uncached."""
    forms_dir, vocab_dir, sections_dir = root / "forms", root / "vocabularies", root / "sections"
    if not forms_dir.is_dir() or not vocab_dir.is_dir():
        raise CatalogueError(f"Catalogue des formulaires introuvable dans « {root} ». "
                             "Réinstallez l'application.")
    vocabularies = {p.stem: read_vocabulary(p) for p in sorted(vocab_dir.glob("*.toml"))}
    categories = [read_category(p, vocabularies) for p in sorted(forms_dir.glob("*.toml"))]
    if not categories:
        raise CatalogueError(f"Catalogue des formulaires vide dans « {root} ». "
                             "Réinstallez l'application.")
    categories.sort(key=lambda c: (c.order, c.id))
    sections = [read_section(p) for p in sorted(sections_dir.glob("*.toml"))]
    clash = {c.id for c in categories} & {s.id for s in sections}
    if clash:
        raise CatalogueError(f"Catalogue des formulaires invalide : « {sorted(clash)[0]} » est à la "
                             "fois un formulaire et une section. Réinstallez l'application.")
    return Catalogue(tuple(categories), vocabularies, tuple(sections))


@functools.cache
def load_catalogue(root: Path | None = None) -> Catalogue:
    """The catalogue of the application (or of ``root``), read once per process."""
    if root is None:
        return load_catalogue_from(resource_path())
    return load_catalogue_from(root)
