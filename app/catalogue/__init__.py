"""The form catalogue: categories, fields and vocabularies as data (R-4.1, R-4.2)."""

from app.catalogue.loader import Catalogue, CatalogueError, load_catalogue, load_catalogue_from
from app.catalogue.model import Category, Field, FieldType, Vocabulary, VocabularyItem

__all__ = [
    "Catalogue", "CatalogueError", "Category", "Field", "FieldType", "Vocabulary", "VocabularyItem",
    "load_catalogue", "load_catalogue_from",
]
