"""The loaded catalogue: lookup of categories and vocabularies, validation of values (R-4.1)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from types import MappingProxyType

from app.catalogue.model import Category, Field, Vocabulary
from app.catalogue.rights import CategoryRights, Section
from app.catalogue.validation import shown, validate
from app.errors import ValidationError


@dataclass(frozen=True, eq=False)
class Catalogue:
    #: ordered by ``order`` (then id): the order of the dossier tabs
    categories: tuple[Category, ...]
    vocabularies_by_id: Mapping[str, Vocabulary]
    #: the tabs that are not forms (the consents): rights only
    sections: tuple[Section, ...] = ()
    _by_id: Mapping[str, Category] = dataclass_field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "vocabularies_by_id", MappingProxyType(dict(self.vocabularies_by_id)))
        object.__setattr__(self, "_by_id", MappingProxyType({c.id: c for c in self.categories}))

    @property
    def vocabularies(self) -> tuple[Vocabulary, ...]:
        return tuple(self.vocabularies_by_id.values())

    def category(self, category_id: str) -> Category:
        found = self._by_id.get(category_id) if isinstance(category_id, str) else None
        if found is None:
            raise ValidationError(f"Catégorie inconnue : « {shown(category_id)} ».")
        return found

    @property
    def governed_ids(self) -> tuple[str, ...]:
        """Every category and section that has rights, in the order of the tabs."""
        return (*(c.id for c in self.categories), *(s.id for s in self.sections))

    def rights_of(self, category_id: str) -> CategoryRights | None:
        """The rights on a category or a section; None for an id the catalogue does not know."""
        category = self._by_id.get(category_id)
        if category is not None:
            return category.rights
        return next((s.rights for s in self.sections if s.id == category_id), None)

    def vocabulary(self, vocabulary_id: str) -> Vocabulary:
        found = self.vocabularies_by_id.get(vocabulary_id) if isinstance(vocabulary_id, str) else None
        if found is None:
            raise ValidationError(f"Liste de valeurs inconnue : « {shown(vocabulary_id)} ».")
        return found

    def field(self, category_id: str, field_id: str) -> Field:
        return self.category(category_id).field(field_id)

    def validate_value(self, category_id: str, field_id: str, value: object, *,
                       new_entry: bool = True) -> object:
        """The normalised value to store for one field, or None when it is cleared.

        ``new_entry=False`` when an existing value is edited: a retired item it already holds
        stays acceptable (R-4.2).
        """
        f = self.category(category_id).field(field_id)
        vocabulary = self.vocabulary(f.vocabulary) if f.vocabulary else None
        return validate(f, value, vocabulary, new_entry=new_entry)

    def validate_record(self, category_id: str, values: Mapping[str, object], *,
                        new_entry: bool = True) -> dict[str, object]:
        """All the fields of one record: unknown ids and missing required fields are refused."""
        category = self.category(category_id)
        for key in values:
            if not isinstance(key, str) or not category.has_field(key):
                raise ValidationError(
                    f"Champ inconnu « {shown(key)} » dans « {category.label} ».", shown(key))
        out: dict[str, object] = {}
        for f in category.fields:
            if f.id in values:
                out[f.id] = self.validate_value(category.id, f.id, values[f.id],
                                                new_entry=new_entry)
            elif f.required:
                raise ValidationError(f"{f.label} : ce champ est obligatoire. Renseignez-le.", f.id)
        return out
