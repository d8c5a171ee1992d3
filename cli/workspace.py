"""``sillage demo``, ``init``, ``recovery`` and ``rekey``: making a workspace and its keys
(SPEC §10, R-2.3, R-2.8, R-2.9)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from app.errors import KnownError, UsageError
from cli.french import Commands, FrenchParser, add_group
from cli.session import existing_workspace, read_stdin_lines, signed_in


def add_setup_parsers(sub: Commands, common: FrenchParser) -> None:
    """``demo``, ``init`` and ``recovery``."""
    demo = sub.add_parser("demo", parents=[common], help="créer un espace de démonstration")
    demo.add_argument("--youths", type=int, default=60, metavar="N",
                      help="nombre de jeunes fictifs (60 par défaut)")
    demo.add_argument("--journal-rows", type=int, default=5000, metavar="N",
                      help="nombre d'entrées fictives du journal (5000 par défaut)")
    demo.add_argument("--seed", type=int, default=2026, metavar="N",
                      help="graine du tirage : la même graine donne les mêmes données")
    demo.add_argument("--recovery-key-file", metavar="FICHIER", help="écrire la clé de secours dans FICHIER")
    demo.add_argument("--force", action="store_true",
                      help="remplacer le fichier de la clé de secours s'il existe déjà")

    init = sub.add_parser("init", parents=[common], help="créer un espace de travail")
    init.add_argument("--org-name", required=True, metavar="NOM", help="nom de l'organisme")
    init.add_argument("--admin", required=True, metavar="IDENTIFIANT",
                      help="identifiant du premier compte (direction)")
    init.add_argument("--admin-name", default=None, metavar="NOM", help="nom de la personne (direction)")
    init.add_argument("--recovery-key-file", required=True, metavar="FICHIER",
                      help="fichier où écrire la clé de secours (hors de l'espace de travail)")
    init.add_argument("--unit", action="append", default=[], metavar="UNITÉ", help="unité (répétable)")
    init.add_argument("--force", action="store_true",
                      help="remplacer le fichier de la clé de secours s'il existe déjà")

    recovery = add_group(sub, common, "recovery", "clé de secours")
    recovery.add_parser("hex", parents=[common], help="clé de secours (entrée standard) -> clé brute hexadécimale")
    director = recovery.add_parser("new-director", parents=[common],
                                   help="recréer un compte de direction avec la clé de secours "
                                        "(clé sur la 1re ligne, nouveau mot de passe sur la 2e)")
    director.add_argument("--login", required=True, metavar="IDENTIFIANT", help="identifiant du compte à créer")
    director.add_argument("--name", required=True, metavar="NOM", help="nom de la personne")


def add_rekey_parser(sub: Commands, common: FrenchParser) -> None:
    rekey = sub.add_parser("rekey", parents=[common],
                           help="renouveler la clé de l'espace (direction) : nouvelle clé de secours "
                                "écrite dans FICHIER")
    rekey.add_argument("--recovery-key-file", required=True, metavar="FICHIER",
                       help="fichier où écrire la nouvelle clé de secours")
    rekey.add_argument("--force", action="store_true", help="remplacer le fichier s'il existe déjà")


def cmd_demo(args: argparse.Namespace, stdin: TextIO) -> int:
    from app.demo import DemoOptions, create_demo
    from app.output_files import check_output
    from app.workspace import Workspace, default_demo_workspace

    root = Path(args.workspace).expanduser().resolve() if args.workspace else default_demo_workspace()
    if args.youths < 0 or args.journal_rows < 0:
        raise UsageError("--youths et --journal-rows doivent être positifs.")

    def progress(done: int, total: int) -> bool:
        if total:
            print(f"\rGénération des données fictives : {100 * done // total} %", end="",
                  file=sys.stderr, flush=True)
        return True

    key_file = None
    if args.recovery_key_file:
        key_file = check_output(Path(args.recovery_key_file), workspace_root=root, force=args.force)
    workspace = Workspace(root)
    workspace.context.progress = progress
    result = create_demo(workspace, DemoOptions(youths=args.youths, journal_rows=args.journal_rows,
                                                seed=args.seed))
    print("", file=sys.stderr)
    if key_file is not None and not deliver_recovery_key(key_file, result.recovery_key):
        return 1
    for account in result.accounts:
        print(f"{account.login}\t{account.password}\t{account.profile}")
    print(f"Espace de démonstration prêt : {root}", file=sys.stderr)
    return 0


def cmd_init(args: argparse.Namespace, stdin: TextIO) -> int:
    from app.output_files import check_output
    from app.workspace import Workspace

    if not args.workspace or not args.password_stdin:
        raise UsageError("sillage init demande --workspace DIR et --password-stdin.")
    (password,) = read_stdin_lines(1, stdin)
    workspace = Workspace(Path(args.workspace).expanduser().resolve())
    # where the key goes is checked before anything is created
    key_file = check_output(Path(args.recovery_key_file), workspace_root=workspace.root,
                            force=args.force)
    recovery = workspace.create(org_name=args.org_name, admin_login=args.admin,
                                admin_name=args.admin_name or args.admin, password=password,
                                units=args.unit)
    workspace.release()
    if not deliver_recovery_key(key_file, recovery):
        return 1
    print(f"Espace de travail créé dans « {workspace.root} ». Clé de secours écrite dans "
          f"« {key_file} » : imprimez-la, rangez-la en lieu sûr, puis supprimez le fichier.",
          file=sys.stderr)
    return 0


def deliver_recovery_key(key_file: Path, recovery: str) -> bool:
    """Write the recovery key and read it back; if that fails, print it on stdout so that it is
    never lost (R-2.9). Returns whether the file holds the key."""
    from app.recovery_key_file import write_recovery_key

    problem = write_recovery_key(key_file, recovery)
    if problem is None:
        return True
    print(recovery)
    print(f"La clé de secours n'a pas pu être écrite dans « {key_file} » ({problem}). Elle est "
          "affichée ci-dessus, une seule fois : recopiez-la ou imprimez-la maintenant et rangez-la "
          "en lieu sûr. L'espace de travail a bien été créé.", file=sys.stderr)
    return False


def cmd_recovery(args: argparse.Namespace, stdin: TextIO) -> int:
    from app.recovery_key_file import raw_key_hex

    if args.recovery_command == "new-director":
        key, password = read_stdin_lines(2, stdin)
        workspace = existing_workspace(args)
        try:
            workspace.recover(key, login=args.login, name=args.name, password=password)
        finally:
            workspace.release()
        print(f"Compte de direction « {args.login} » créé avec la clé de secours.", file=sys.stderr)
        return 0
    print(raw_key_hex(stdin.read()))
    return 0


def cmd_rekey(args: argparse.Namespace, stdin: TextIO) -> int:
    """§10 ``rekey --recovery-key-file FILE`` (R-2.8)."""
    from app.output_files import check_output
    from app.recovery_key_file import write_recovery_key
    from app.rekey import RekeyService

    with signed_in(args, stdin) as (session, _):
        key_file = check_output(Path(args.recovery_key_file), workspace_root=session.workspace.root,
                                force=args.force)

        def deliver(recovery: str) -> None:
            # Written and read back before anything changes: if it fails, nothing is renewed.
            if write_recovery_key(key_file, recovery) is not None:
                raise KnownError(f"La nouvelle clé de secours n'a pas pu être écrite dans « {key_file} » : "
                                 "la clé de l'espace n'a pas été renouvelée, rien n'a changé.")

        def progress(done: int, total: int) -> bool:
            print(f"\rRenouvellement de la clé : {done}/{total} fichiers rechiffrés", end="",
                  file=sys.stderr, flush=True)
            return True

        result = RekeyService(session).rekey(deliver, progress)
    print("", file=sys.stderr)
    print(f"Clé de l'espace renouvelée en {result.seconds:.1f} s : {result.files} fichiers rechiffrés, "
          f"{result.accounts} comptes actifs gardent l'accès avec leur mot de passe. Nouvelle clé de "
          f"secours écrite dans « {key_file} » : imprimez-la, rangez-la en lieu sûr, détruisez "
          "l'ancienne, puis supprimez le fichier. Les sauvegardes faites avant gardent l'ancienne clé.",
          file=sys.stderr)
    return 0


HANDLERS = {"demo": cmd_demo, "init": cmd_init, "recovery": cmd_recovery, "rekey": cmd_rekey}
