"""The backup file: every database of a workspace, encrypted with its key, in one archive (R-9.1).

A backup is a plain POSIX tar archive (USTAR, no compression) so that an organisation can
unpack it with standard tools and open each part in any SQLCipher-4 client with the recovery
key (R-2.3). Its members, in order:

- ``sillage-backup.json``: the manifest (date, key fingerprint and generation, schema version,
  journal head and seal, size and SHA-256 of each part), authenticated by an HMAC-SHA256 whose
  key is derived from the workspace key (HKDF), so it cannot be edited or forged without it;
- ``sillage.db``, ``journal/AAAA-MM.db``: consistent copies made with SQLite's online backup
  API between connections keyed alike (the pages stay encrypted with the workspace key);
- ``keyslots.json``, and ``DEMO`` for a demo workspace.

The package: ``manifest`` (the manifest, names, messages, progress), ``writing`` (database
copies, the archive written atomically), ``archive_read`` (strict reading, authentication,
hashes), ``content`` (checking what is unpacked, the scratch folders, the meta and seal a
backup records).
"""

from storage.backup.archive_read import Archive, Member, authenticate, extract, hash_parts, open_archive
from storage.backup.content import (
    ContentReport,
    account_of,
    check_content,
    finish_interrupted_restore,
    read_meta,
    read_seal,
    remove_tree,
    scratch_dir,
)
from storage.backup.manifest import (
    BUILDING,
    FORMAT,
    MANIFEST_MAX,
    MANIFEST_NAME,
    READY,
    BackupCancelled,
    Manifest,
    Part,
    Progress,
    key_fingerprint,
    manifest_mac,
    sign,
)
from storage.backup.writing import copy_database, describe_parts, snapshot, workspace_files, write_archive

__all__ = [
    "BUILDING",
    "FORMAT",
    "MANIFEST_MAX",
    "MANIFEST_NAME",
    "READY",
    "Archive",
    "BackupCancelled",
    "ContentReport",
    "Manifest",
    "Member",
    "Part",
    "Progress",
    "account_of",
    "authenticate",
    "check_content",
    "copy_database",
    "describe_parts",
    "extract",
    "finish_interrupted_restore",
    "hash_parts",
    "key_fingerprint",
    "manifest_mac",
    "open_archive",
    "read_meta",
    "read_seal",
    "remove_tree",
    "scratch_dir",
    "sign",
    "snapshot",
    "workspace_files",
    "write_archive",
]
