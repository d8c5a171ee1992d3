"""``sillage backup create FILE | verify FILE | restore FILE --target DIR`` (SPEC §10, R-9.1)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from app.errors import UsageError
from cli.french import Commands, FrenchParser
from cli.session import signed_in

LABELS = {"create": "Sauvegarde", "verify": "Vérification", "restore": "Restauration"}


def add_parser(sub: Commands, common: FrenchParser) -> None:
    backup = sub.add_parser("backup", parents=[common], help="sauvegardes chiffrées")
    bsub = backup.add_subparsers(dest="backup_command", parser_class=FrenchParser, required=True)
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


def _progress(label: str) -> Callable[[int, int], bool]:
    last = [-1]

    def report(done: int, total: int) -> bool:
        percent = 100 * done // total if total else 100
        if percent != last[0]:
            last[0] = percent
            print(f"\r{label} : {percent} %", end="", file=sys.stderr, flush=True)
        return True

    return report


def cmd_backup(args: argparse.Namespace, stdin: TextIO) -> int:
    if getattr(args, "recovery_key_file", None):
        return _with_recovery_key(args)
    from app import backup

    command = args.backup_command
    progress = _progress(LABELS[command])
    with signed_in(args, stdin) as (session, _):
        service = backup.BackupService(session)
        rollback = None
        if command == "create":
            message = service.create(Path(args.file), force=args.force, progress=progress).message
        elif command == "verify":
            message = service.verify(Path(args.file), progress=progress).message
        else:
            restored = service.restore(Path(args.file), Path(args.target), force=args.force,
                                       progress=progress)
            message, rollback = restored.message, restored.rollback
        print("", file=sys.stderr)
        if rollback:
            print(rollback, file=sys.stderr)
        print(message)
        return 0


def _with_recovery_key(args: argparse.Namespace) -> int:
    """``verify`` and ``restore`` without an account: the backup opened with the recovery key."""
    from app import backup
    from app.clock import SystemClock
    from app.recovery_key_file import read_recovery_key

    if args.user:
        raise UsageError("Utilisez soit --user et --password-stdin, soit --recovery-key-file.")
    dmk = read_recovery_key(args.recovery_key_file)
    progress = _progress(LABELS[args.backup_command])
    result: backup.VerifyResult | backup.RestoreResult
    if args.backup_command == "verify":
        result = backup.verify_backup(Path(args.file), dmk, progress=progress)
    elif args.backup_command == "create":
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


HANDLERS = {"backup": cmd_backup}
