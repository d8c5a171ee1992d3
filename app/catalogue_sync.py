"""Mirror the form catalogue into the database so that SQL constraints can check values (R-4.2)."""

from __future__ import annotations

from app.catalogue import Catalogue, load_catalogue
from storage.connection import Connection, transaction


def sync_catalogue(conn: Connection, catalogue: Catalogue | None = None) -> None:
    """Upsert fields and items; skipped when the mirror already matches this catalogue."""
    import hashlib

    from storage.store import get_meta, set_meta

    catalogue = catalogue or load_catalogue()
    fields = [
        (cat.id, f.id, f.type.value, f.vocabulary)
        for cat in catalogue.categories
        for f in cat.fields
    ]
    vocab_ids = sorted({f[3] for f in fields if f[3]})
    items = [
        (vid, item.code, 1 if item.retired else 0)
        for vid in vocab_ids
        for item in catalogue.vocabulary(vid).items
    ]
    digest = hashlib.sha256(repr((fields, items)).encode("utf-8")).hexdigest()
    if get_meta(conn, "catalogue_hash") == digest:
        return
    with transaction(conn):
        set_meta(conn, "catalogue_hash", digest)
        # Upserts only: a field or item is never deleted, old values keep their meaning.
        conn.executemany(
            "INSERT INTO catalogue_fields (category_id, field_id, type, vocabulary) VALUES (?,?,?,?) "
            "ON CONFLICT (category_id, field_id) DO UPDATE SET type = excluded.type, "
            "vocabulary = excluded.vocabulary",
            fields,
        )
        conn.executemany(
            "INSERT INTO vocabulary_items (vocabulary_id, code, retired) VALUES (?,?,?) "
            "ON CONFLICT (vocabulary_id, code) DO UPDATE SET retired = excluded.retired",
            items,
        )
