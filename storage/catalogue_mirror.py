"""The mirror of the form catalogue in the database (R-4.2): the type and vocabulary of each
field, and the vocabulary items, that the value checks (``schema/value_checks.py``) read."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from storage.connection import Connection, transaction
from storage.store import get_meta, set_meta

#: the digest of the catalogue the mirror was last written from
MIRROR_DIGEST = "catalogue_hash"


class MirroredField(NamedTuple):
    category_id: str
    field_id: str
    type: str
    vocabulary: str | None


class MirroredItem(NamedTuple):
    vocabulary_id: str
    code: str
    retired: bool


def mirror_digest(conn: Connection) -> str | None:
    return get_meta(conn, MIRROR_DIGEST)


def write_mirror(conn: Connection, digest: str, fields: Sequence[MirroredField],
                 items: Sequence[MirroredItem]) -> None:
    """Upserts only, in one transaction: a field or item is never deleted, old values keep
    their meaning."""
    with transaction(conn):
        set_meta(conn, MIRROR_DIGEST, digest)
        conn.executemany(
            "INSERT INTO catalogue_fields (category_id, field_id, type, vocabulary) VALUES (?,?,?,?) "
            "ON CONFLICT (category_id, field_id) DO UPDATE SET type = excluded.type, "
            "vocabulary = excluded.vocabulary",
            fields,
        )
        conn.executemany(
            "INSERT INTO vocabulary_items (vocabulary_id, code, retired) VALUES (?,?,?) "
            "ON CONFLICT (vocabulary_id, code) DO UPDATE SET retired = excluded.retired",
            [(i.vocabulary_id, i.code, 1 if i.retired else 0) for i in items],
        )
