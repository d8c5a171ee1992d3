"""Mirror the form catalogue into the database, so that the database itself refuses a value
outside a vocabulary (R-4.2). Done at every start; skipped when the mirror already matches."""

from __future__ import annotations

import hashlib

from app.catalogue.catalogue import Catalogue
from app.catalogue.loader import load_catalogue
from storage.catalogue_mirror import MirroredField, MirroredItem, mirror_digest, write_mirror
from storage.connection import Connection


def sync_catalogue(conn: Connection, catalogue: Catalogue | None = None) -> None:
    """Upsert fields and items; skipped when the mirror already matches this catalogue."""
    catalogue = catalogue or load_catalogue()
    fields = [MirroredField(cat.id, f.id, f.type.value, f.vocabulary)
              for cat in catalogue.categories for f in cat.fields]
    vocab_ids = sorted({f.vocabulary for f in fields if f.vocabulary})
    items = [MirroredItem(vid, item.code, item.retired)
             for vid in vocab_ids for item in catalogue.vocabulary(vid).items]
    # the digest of the same shapes as before the mirror moved to storage/: no rewrite at upgrade
    digest = hashlib.sha256(repr((
        [tuple(f) for f in fields], [(i.vocabulary_id, i.code, 1 if i.retired else 0) for i in items],
    )).encode("utf-8")).hexdigest()
    if mirror_digest(conn) != digest:
        write_mirror(conn, digest, fields, items)
