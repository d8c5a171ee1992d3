"""Hostile backup files (R-9.3, R-9.1): a crafted archive is refused before anything is written,
and no member is ever unpacked outside its folder. Some archives below are re-signed with the
workspace key, as an insider could: they are still refused by what their parts contain."""

from __future__ import annotations

import io
import json
import sqlite3
import tarfile
from pathlib import Path

import pytest

from app.backup import BackupService, restore_backup, verify_backup
from app.errors import KnownError
from app.session import Session
from storage import backup as fmt
from storage.connection import open_database
from storage.schema.migrations import CURRENT_VERSION
from tests.conftest import WorkspaceHandle
from tests.store_access import store_of


@pytest.fixture
def good(director: Session, tmp_path: Path) -> Path:
    return BackupService(director).create(tmp_path / "bonne.sillage").info.path


def members_of(path: Path) -> list[tuple[tarfile.TarInfo, bytes]]:
    with tarfile.open(path, "r:") as archive:
        return [(m, archive.extractfile(m).read()) for m in archive.getmembers()]  # type: ignore[union-attr]


def write_tar(path: Path, members: list[tuple[tarfile.TarInfo, bytes]]) -> None:
    with tarfile.open(path, "w", format=tarfile.USTAR_FORMAT) as archive:
        for info, data in members:
            archive.addfile(info, io.BytesIO(data) if info.isreg() else None)


def info(name: str, size: int, kind: bytes = tarfile.REGTYPE) -> tarfile.TarInfo:
    member = tarfile.TarInfo(name)
    member.size, member.type, member.mode = size, kind, 0o600
    return member


def assert_refused(path: Path, session: Session, tmp_path: Path) -> KnownError:
    target = tmp_path / "cible"
    with pytest.raises(KnownError) as caught:
        verify_backup(path, store_of(session).dmk)
    with pytest.raises(KnownError):
        restore_backup(path, target, store_of(session).dmk, clock=session.clock, actor_login=None)
    assert not target.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".cible")]
    assert not (tmp_path / "evil.db").exists() and not (tmp_path.parent / "evil.db").exists()
    return caught.value


def test_a_member_climbing_out_of_its_folder_is_refused(director: Session, good: Path, tmp_path: Path) -> None:
    members = members_of(good)
    evil = b"x" * 100
    for name in ("../evil.db", "journal/../../evil.db", "/tmp/evil.db", "journal/2026-11.db/../../evil.db"):
        write_tar(tmp_path / "h.sillage", [*members[:-1], (info(name, len(evil)), evil), members[-1]])
        assert_refused(tmp_path / "h.sillage", director, tmp_path)


def test_links_devices_and_folders_inside_a_backup_are_refused(director: Session, good: Path, tmp_path: Path) -> None:
    members = members_of(good)
    for kind in (tarfile.SYMTYPE, tarfile.LNKTYPE, tarfile.DIRTYPE, tarfile.FIFOTYPE, tarfile.CHRTYPE):
        odd = info("journal/2026-12.db", 0, kind)
        odd.linkname = "/etc/passwd"
        write_tar(tmp_path / "h.sillage", [*members, (odd, b"")])
        assert_refused(tmp_path / "h.sillage", director, tmp_path)


def test_an_extra_or_duplicated_member_is_refused(director: Session, good: Path, tmp_path: Path) -> None:
    members = members_of(good)
    write_tar(tmp_path / "h.sillage", [*members, members[1]])
    assert "endommagée" in assert_refused(tmp_path / "h.sillage", director, tmp_path).message
    extra = b"\0" * 4096
    write_tar(tmp_path / "h.sillage", [*members, (info("journal/2030-01.db", len(extra)), extra)])
    assert_refused(tmp_path / "h.sillage", director, tmp_path)


def test_a_huge_or_malformed_manifest_is_refused(director: Session, good: Path, tmp_path: Path) -> None:
    members = members_of(good)
    for manifest in (b"{" * (fmt.MANIFEST_MAX + 1), b"[]", b'{"format": "sillage-backup-1"}', b"\xff\xfe"):
        write_tar(tmp_path / "h.sillage", [(info(fmt.MANIFEST_NAME, len(manifest)), manifest), *members[1:]])
        assert_refused(tmp_path / "h.sillage", director, tmp_path)


def resign(director: Session, good: Path, tmp_path: Path, change) -> Path:  # type: ignore[no-untyped-def]
    """Unpack, change a part, and sign again with the workspace key (what an insider can do)."""
    staging = tmp_path / "staging"
    archive = fmt.open_archive(good)
    fmt.extract(archive, staging, None)
    change(staging)
    names = fmt.workspace_files(staging)
    body = dict(archive.manifest.body, parts=fmt.describe_parts(staging, names))
    manifest = fmt.sign(store_of(director).dmk, body)
    target = tmp_path / "resigned.sillage"
    fmt.write_archive(target, manifest, staging, 0, None)
    return target


def test_a_re_signed_backup_with_a_plain_database_inside_is_refused(
    director: Session, good: Path, tmp_path: Path
) -> None:
    def plant_plain(staging: Path) -> None:
        (staging / "sillage.db").unlink()
        conn = sqlite3.connect(staging / "sillage.db")
        conn.execute("CREATE TABLE meta (key TEXT, value TEXT)")
        conn.commit()
        conn.close()

    message = assert_refused(resign(director, good, tmp_path, plant_plain), director, tmp_path).message
    assert "n'est pas une base Sillage" in message


def test_a_re_signed_backup_from_a_newer_schema_is_refused_in_french(
    director: Session, good: Path, tmp_path: Path
) -> None:
    def newer(staging: Path) -> None:
        conn = open_database(staging / "sillage.db", store_of(director).dmk)
        conn.execute(f"PRAGMA user_version = {CURRENT_VERSION + 1}")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.close()

    message = assert_refused(resign(director, good, tmp_path, newer), director, tmp_path).message
    assert "version plus récente" in message


def test_a_re_signed_backup_with_an_edited_journal_is_refused(
    ws: WorkspaceHandle, director: Session, good: Path, tmp_path: Path
) -> None:
    def edit_journal(staging: Path) -> None:
        part = sorted((staging / "journal").glob("*.db"))[0]
        conn = open_database(part, store_of(director).dmk)
        conn.execute("UPDATE journal SET detail = 'effacé' WHERE seq = 1")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.close()

    message = assert_refused(resign(director, good, tmp_path, edit_journal), director, tmp_path).message
    assert "journal" in message


def test_the_manifest_holds_no_personal_data(director: Session, good: Path) -> None:
    """The manifest is readable without the key: dates, sizes, hashes and counters only."""
    from app.dossiers.service import DossierService

    DossierService(director).create_dossier(last_name="Zébulon", first_names="Léa", birth_date=None, unit_id=1)
    path = BackupService(director).create(good.parent / "deux.sillage").info.path
    raw = members_of(path)[0][1]
    body = json.loads(raw)
    assert set(body) == {"format", "created_at", "backup_id", "workspace_id", "demo", "schema_version",
                         "key_id", "key_since", "keyslot_generation", "journal", "seal",
                         "app_version", "parts", "mac"}
    for needle in (b"Z\\u00e9bulon", "Zébulon".encode(), b"cmartin", b"Tilleuls"):
        assert needle not in raw
    # nor anywhere in the archive in clear
    assert "Zébulon".encode() not in path.read_bytes() and b"cmartin" not in path.read_bytes()
