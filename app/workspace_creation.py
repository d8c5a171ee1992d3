"""Creating a workspace (R-2.1, R-2.2, R-2.9): the organisation, its units and its first
director account with their keys, built in a temporary sibling folder and renamed into place
only once complete, so that a kill at any point leaves either nothing or a whole workspace."""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from app.auth.accounts import add_director, validate_login, validate_name
from app.auth.demo_key import demo_key, new_demo_salt, write_demo_marker
from app.catalogue.mirror import sync_catalogue
from app.clock import utc_stamp
from app.context import AppContext
from app.errors import KnownError, WorkspaceError, os_reason
from app.journal.events import Action
from app.workspace_location import (
    check_empty_target,
    check_new_location,
    clean_abandoned_creations,
    new_staging_folder,
)
from storage import settings
from storage.connection import transaction
from storage.files import fsync_dir, private_dir
from storage.keyslots import DMK_BYTES
from storage.lock import WorkspaceLock
from storage.recovery_key import encode as encode_recovery_key
from storage.store import Store, WorkspacePaths
from storage.units import add_unit


@dataclass(frozen=True)
class NewWorkspace:
    """What a creation writes, checked (``checked_request``)."""

    org_name: str
    admin_login: str
    admin_name: str
    units: tuple[str, ...]
    demo: bool
    password: str = field(repr=False)


def checked_request(*, org_name: str, admin_login: str, admin_name: str, password: str,
                    units: Sequence[str], demo: bool, check_password: bool) -> NewWorkspace:
    from app.catalogue.validation import strip_invisible

    org_name = strip_invisible(org_name).strip()
    cleaned = tuple(strip_invisible(unit).strip() for unit in units)
    if not org_name or len(org_name) > 120 or "\x00" in org_name:
        raise KnownError("Le nom de l'organisme est obligatoire (120 caractères au plus).")
    if check_password:
        from app.auth.password_policy import check_password as policy_check

        policy_check(password, login=admin_login, person_name=admin_name, org_name=org_name)
    return NewWorkspace(org_name, validate_login(admin_login), validate_name(admin_name), cleaned, demo,
                        password)


def create_workspace(root: Path, context: AppContext, request: NewWorkspace) -> str:
    """Build the workspace beside ``root`` and rename it into place; return the recovery key."""
    check_new_location(root)
    check_empty_target(root)
    try:
        root.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WorkspaceError(
            f"Le dossier « {root.parent} » ne peut pas être créé ({os_reason(exc)}). "
            "Choisissez un autre emplacement ; rien n'a été créé."
        ) from None
    clean_abandoned_creations(root)
    staging = new_staging_folder(root)
    paths = WorkspacePaths(staging)
    private_dir(staging)
    lock = WorkspaceLock(paths.lock)
    lock.acquire()
    try:
        key = _build(paths, context, request)
        lock.release()
        if root.exists():
            root.rmdir()  # empty, checked above: a folder cannot be renamed onto it everywhere
        os.rename(staging, root)
        fsync_dir(root.parent)
    except BaseException:
        lock.release()
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return key


def _new_key(paths: WorkspacePaths, demo: bool) -> bytes:
    if not demo:
        return secrets.token_bytes(DMK_BYTES)
    # A demo's key derives from a salt kept beside it, so that `sillage demo` can tell,
    # from the encrypted record itself, that the folder holds a demo.
    salt = new_demo_salt()
    write_demo_marker(paths, salt)
    return demo_key(salt)


def _build(paths: WorkspacePaths, context: AppContext, request: NewWorkspace) -> str:
    dmk = _new_key(paths, request.demo)
    store = Store.create(paths, dmk)
    try:
        with transaction(store.conn):
            settings.write_all(store.conn, {
                settings.ORG_NAME: request.org_name,
                "workspace_id": secrets.token_hex(8),
                "created_at": utc_stamp(context.clock.now()),
                settings.IS_DEMO: "1" if request.demo else "0",
            })
            for unit in request.units:
                add_unit(store.conn, unit)
            # The first account's key pair, its DMK grant and the journal sealing key,
            # in the same transaction as the account.
            add_director(store, context.clock, context.kdf_policy, login=request.admin_login,
                         name=request.admin_name, password=request.password,
                         entry=("espace", Action.ESPACE, "création"), seal_reason="création de l'espace")
            store.publish_keys()
        sync_catalogue(store.conn)
    finally:
        store.close()
    return encode_recovery_key(dmk)
