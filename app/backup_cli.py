"""``sillage backup create FILE | verify FILE | restore FILE --target DIR`` (SPEC §10, R-9.1)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from app.errors import KnownError, UsageError, os_reason

LABELS = {"create": "Sauvegarde", "verify": "Vérification", "restore": "Restauration"}


def add_parser(sub: argparse._SubParsersAction, common: argparse.ArgumentParser,  # type: ignore[type-arg]
               parser_class: type[argparse.ArgumentParser]) -> None:
    backup = sub.add_parser("backup", parents=[common], help="sauvegardes chiffrées")
    bsub = backup.add_subparsers(dest="backup_command", parser_class=parser_class, required=True)
    create = bsub.add_parser("create", parents=[common], help="faire une sauvegarde dans FICHIER")
    create.add_argument("file", metavar="FICHIER", help="fichier de la sauvegarde à créer")
    create.add_argument("--force", action="store_true", help="remplacer un fichier existant")
    verify = bsub.add_parser("verify", parents=[common], help="vérifier une sauvegarde sans la restaurer")
    verify.add_argument("file", metavar="FICHIER", help="fichier de la sauvegarde à vérifier")
    verify.add_argument("--recovery-key-file", metavar="FICHIER",
                        help="ouvrir la sauvegarde avec la clé de secours (sans compte)")
    restore = bsub.add_parser("restore", parents=[common], help="restaurer une sauvegarde dans DOSSIER")
    restore.add_argument("file", metavar="FICHIER", help="fichier de la sauvegarde à restaurer")
    restore.add_argument("--target", required=True, metavar="DOSSIER",
                         help="dossier où restaurer l'espace de travail")
    restore.add_argument("--force", action="store_true",
                         help="remplacer l'espace de travail existant (il est conservé à côté)")
    restore.add_argument("--recovery-key-file", metavar="FICHIER",
                         help="ouvrir la sauvegarde avec la clé de secours (sans compte)")


def _progress(label: str):  # type: ignore[no-untyped-def]
    last = [-1]

    def report(done: int, total: int) -> bool:
        percent = 100 * done // total if total else 100
        if percent != last[0]:
            last[0] = percent
            print(f"\r{label} : {percent} %", end="", file=sys.stderr, flush=True)
        return True

    return report


def _recovery_dmk(path: str) -> bytes:
    from storage.recovery_key import decode

    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise KnownError(f"Impossible de lire la clé de secours « {path} » ({os_reason(exc)}).") from None
    except UnicodeDecodeError:
        raise KnownError(f"Le fichier « {path} » ne contient pas une clé de secours.") from None
    return decode(text)


def run(args: argparse.Namespace, stdin: TextIO) -> int:
    from app import backup
    from app.cli import _session
    from app.clock import SystemClock

    command = args.backup_command
    progress = _progress(LABELS[command])
    key_file = getattr(args, "recovery_key_file", None)
    if key_file:
        if args.user:
            raise UsageError("Utilisez soit --user et --password-stdin, soit --recovery-key-file.")
        dmk = _recovery_dmk(key_file)
        result: backup.VerifyResult | backup.RestoreResult
        if command == "verify":
            result = backup.verify_backup(Path(args.file), dmk, progress=progress)
        elif command == "create":
            raise UsageError("Une sauvegarde se fait depuis un compte : --user et --password-stdin.")
        else:
            result = backup.restore_backup(
                Path(args.file), Path(args.target), dmk, clock=SystemClock(), actor_login=None,
                force=args.force, progress=progress,
            )
        print("", file=sys.stderr)
        if isinstance(result, backup.RestoreResult) and result.rollback:
            print(result.rollback, file=sys.stderr)
        print(result.message)
        return 0
    session, _ = _session(args, stdin)
    try:
        service = backup.BackupService(session)
        if command == "create":
            done = service.create(Path(args.file), force=args.force, progress=progress)
            print("", file=sys.stderr)
            print(done.message)
        elif command == "verify":
            checked = service.verify(Path(args.file), progress=progress)
            print("", file=sys.stderr)
            print(checked.message)
        else:
            restored = service.restore(Path(args.file), Path(args.target), force=args.force,
                                       progress=progress)
            print("", file=sys.stderr)
            if restored.rollback:
                print(restored.rollback, file=sys.stderr)
            print(restored.message)
        return 0
    finally:
        session.close()
        session.workspace.release()
