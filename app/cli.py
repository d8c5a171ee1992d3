"""The ``sillage`` command (SPEC §10). Exit codes: 0 success, 1 refused or failed, 2 bad usage."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, NoReturn, TextIO

from app.errors import KnownError, UsageError, os_reason

VERSION = "0.1.0"


#: argparse's own texts (it reads them through gettext), in French: help and usage messages are
#: entirely French (SPEC §10) whatever the language of the system.
FRENCH = {
    "usage: ": "utilisation : ",
    "positional arguments": "arguments",
    "optional arguments": "options",
    "options": "options",
    "show this help message and exit": "afficher cette aide et quitter",
    "show program's version number and exit": "afficher la version et quitter",
    "unrecognized arguments: %s": "arguments non reconnus : %s",
    "the following arguments are required: %s": "arguments obligatoires manquants : %s",
    "one of the arguments %s is required": "l'un de ces arguments est obligatoire : %s",
    "invalid choice: %(value)r (choose from %(choices)s)":
        "choix invalide : %(value)r (valeurs possibles : %(choices)s)",
    "invalid %(type)s value: %(value)r": "valeur invalide : %(value)r (%(type)s attendu)",
    "argument %(argument_name)s: %(message)s": "argument %(argument_name)s : %(message)s",
    "expected one argument": "une valeur est attendue",
    "expected at most one argument": "une valeur au plus est attendue",
    "expected at least one argument": "au moins une valeur est attendue",
    "ambiguous option: %(option)s could match %(matches)s":
        "option ambiguë : %(option)s peut désigner %(matches)s",
    "not allowed with argument %s": "incompatible avec l'argument %s",
    "ignored explicit argument %r": "valeur ignorée : %r",
    "unexpected option string: %s": "option inattendue : %s",
    "can't open '%(filename)s': %(error)s": "impossible d'ouvrir « %(filename)s » : %(error)s",
    "%(prog)s: error: %(message)s\n": "%(prog)s : erreur : %(message)s\n",
    "subcommands": "commandes",
}
#: type names in "invalid %(type)s value"
_TYPES = {"int": "nombre entier", "float": "nombre"}


def _french(text: str) -> str:
    return FRENCH.get(text, text)


def _french_plural(singular: str, plural: str, count: int) -> str:
    if singular == "expected %s argument":
        return "%s valeur attendue" if count <= 1 else "%s valeurs attendues"
    return _french(singular if count == 1 else plural)


@contextlib.contextmanager
def in_french() -> Iterator[None]:
    """argparse speaks French inside (it looks its texts up through its module's ``_``)."""
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._, argparse.ngettext = _french, _french_plural  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose help, usage and errors are French."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        with in_french():
            super().__init__(*args, **kwargs)

    def parse_known_args(self, args: Sequence[str] | None = None,  # type: ignore[override]
                         namespace: argparse.Namespace | None = None) -> tuple[argparse.Namespace, list[str]]:
        with in_french():
            return super().parse_known_args(args, namespace)

    def parse_args(self, args: Sequence[str] | None = None,  # type: ignore[override]
                   namespace: argparse.Namespace | None = None) -> argparse.Namespace:
        with in_french():
            return super().parse_args(args, namespace)

    def format_usage(self) -> str:
        with in_french():
            return super().format_usage()

    def format_help(self) -> str:
        with in_french():
            return super().format_help()

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        for name, french in _TYPES.items():
            message = message.replace(f"({name} attendu)", f"({french} attendu)")
        raise UsageError(f"Utilisation incorrecte : {message}. Aide : « {self.prog} --help ».")


def _global_options(parser: argparse.ArgumentParser, suppress: bool) -> None:
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument("--workspace", metavar="DOSSIER", default=default,
                        help="dossier de l'espace de travail")
    parser.add_argument("--user", metavar="IDENTIFIANT", default=default, help="identifiant du compte")
    parser.add_argument("--password-stdin", action="store_true",
                        default=argparse.SUPPRESS if suppress else False,
                        help="lire le mot de passe sur la première ligne de l'entrée standard")


#: commands of SPEC §10 that this version does not have yet: they all answer the same way
#: (exit 1, ``not_yet_message``) until their issue lands
LATER: tuple[str, ...] = ()


def not_yet_message(command: str) -> str:
    return (f"La commande « {command} » n'est pas encore disponible dans cette version de Sillage : "
            "rien n'a été fait. Consultez « sillage --help » pour les commandes disponibles.")


def build_parser() -> argparse.ArgumentParser:
    from app.auth.profiles import Profile

    parser = _Parser(prog="sillage", description="Sillage — dossiers de suivi chiffrés.")
    parser.add_argument("--version", action="version", version=f"Sillage {VERSION}",
                        help="afficher la version et quitter")
    _global_options(parser, suppress=False)
    common = _Parser(add_help=False)
    _global_options(common, suppress=True)
    sub = parser.add_subparsers(dest="command", parser_class=_Parser, title="commandes", metavar="COMMANDE")

    sub.add_parser("gui", parents=[common], help="ouvrir l'application (par défaut)")

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

    recovery = sub.add_parser("recovery", parents=[common], help="clé de secours")
    rsub = recovery.add_subparsers(dest="recovery_command", parser_class=_Parser, required=True,
                                   title="commandes", metavar="COMMANDE")
    rsub.add_parser("hex", parents=[common], help="clé de secours (entrée standard) -> clé brute hexadécimale")
    rdir = rsub.add_parser("new-director", parents=[common],
                           help="recréer un compte de direction avec la clé de secours "
                                "(clé sur la 1re ligne, nouveau mot de passe sur la 2e)")
    rdir.add_argument("--login", required=True, metavar="IDENTIFIANT", help="identifiant du compte à créer")
    rdir.add_argument("--name", required=True, metavar="NOM", help="nom de la personne")

    user = sub.add_parser("user", parents=[common], help="comptes")
    usub = user.add_subparsers(dest="user_command", parser_class=_Parser, required=True,
                               title="commandes", metavar="COMMANDE")
    uadd = usub.add_parser("add", parents=[common],
                           help="créer un compte (nouveau mot de passe sur la 2e ligne de l'entrée standard)")
    uadd.add_argument("--login", required=True, metavar="IDENTIFIANT", help="identifiant du nouveau compte")
    uadd.add_argument("--name", required=True, metavar="NOM", help="nom de la personne")
    uadd.add_argument("--profile", required=True, metavar="PROFIL",
                      help="profil : " + ", ".join(p.value for p in Profile))
    uadd.add_argument("--unit", action="append", default=[], metavar="UNITÉ", help="unité (répétable)")
    ulist = usub.add_parser("list", parents=[common], help="comptes : identifiant, nom, profil, unités, "
                                                        "actif, verrouillé")
    ulist.add_argument("--format", choices=["csv"], required=True, help="format de sortie")
    udeact = usub.add_parser("deactivate", parents=[common],
                             help="désactiver un compte : sa clé et ses accès sont retirés aussitôt")
    udeact.add_argument("--login", required=True, metavar="IDENTIFIANT", help="identifiant du compte")

    rekey = sub.add_parser("rekey", parents=[common],
                           help="renouveler la clé de l'espace (direction) : nouvelle clé de secours "
                                "écrite dans FICHIER")
    rekey.add_argument("--recovery-key-file", required=True, metavar="FICHIER",
                       help="fichier où écrire la nouvelle clé de secours")
    rekey.add_argument("--force", action="store_true", help="remplacer le fichier s'il existe déjà")

    dossier = sub.add_parser("dossier", parents=[common], help="dossiers")
    dsub = dossier.add_subparsers(dest="dossier_command", parser_class=_Parser, required=True,
                                  title="commandes", metavar="COMMANDE")
    dlist = dsub.add_parser("list", parents=[common],
                            help="liste des dossiers : id, numéro, unité, statut, dernier contact")
    dlist.add_argument("--format", choices=["csv", "text"], default="text",
                       help="format de sortie (text par défaut)")

    journal = sub.add_parser("journal", parents=[common], help="journal des accès")
    jsub = journal.add_subparsers(dest="journal_command", parser_class=_Parser, required=True,
                                  title="commandes", metavar="COMMANDE")
    jsub.add_parser("verify", parents=[common], help="vérifier l'intégrité du journal")
    jrot = jsub.add_parser("rotate", parents=[common],
                           help="détruire les entrées de plus de six mois")
    jrot.add_argument("--confirm-date", metavar="AAAA-MM-JJ",
                      help="confirmer la date du jour indiquée par l'horloge (direction)")
    jexp = jsub.add_parser("export", parents=[common], help="exporter le journal en CSV")
    jexp.add_argument("--from", dest="date_from", metavar="AAAA-MM-JJ", help="à partir de cette date")
    jexp.add_argument("--to", dest="date_to", metavar="AAAA-MM-JJ", help="jusqu'à cette date")
    jexp.add_argument("--format", choices=["csv"], required=True, help="format de sortie")
    jexp.add_argument("--out", metavar="FICHIER", help="fichier de sortie (sinon la sortie standard)")
    jexp.add_argument("--force", action="store_true", help="remplacer le fichier s'il existe déjà")

    from app.backup_cli import add_parser as add_backup_parser

    add_backup_parser(sub, common, _Parser)
    _retention_parser(sub, common)

    charter = sub.add_parser("charter", parents=[common],
                             help="lire la charte informatique, et l'accepter avec --accept (R-3.7)")
    charter.add_argument("--accept", action="store_true",
                         help="enregistrer que vous avez lu et acceptez la charte")

    from app.documents_cli import add_parsers as add_document_parsers

    add_document_parsers(sub, common, _Parser)
    from app.rights_cli import add_parser as add_export_parser

    add_export_parser(sub, common, _Parser)
    for name in LATER:
        later = sub.add_parser(name, parents=[common], help="(à venir : pas encore disponible)")
        later.add_argument("rest", nargs=argparse.REMAINDER, metavar="…",
                           help="arguments de la commande à venir")
    return parser


def _retention_parser(sub: argparse._SubParsersAction[_Parser],
                      common: _Parser) -> None:
    retention = sub.add_parser("retention", parents=[common], help="conservation des dossiers")
    rsub = retention.add_subparsers(dest="retention_command", parser_class=_Parser, required=True,
                                    title="commandes", metavar="COMMANDE")
    rdue = rsub.add_parser("due", parents=[common], help="dossiers à échéance ou dépassés")
    rdue.add_argument("--as-of", metavar="AAAA-MM-JJ", help="date de référence (aujourd'hui par défaut)")
    rdue.add_argument("--format", choices=["csv"], required=True, help="format de sortie")
    rpurge = rsub.add_parser("purge", parents=[common], help="purger un dossier échu")
    rpurge.add_argument("--dossier", type=int, required=True, metavar="ID", help="numéro interne du dossier")
    rpurge.add_argument("--reason", required=True, metavar="TEXTE", help="motif de la purge (inscrit au journal)")
    rpurge.add_argument("--yes", action="store_true", help="confirmer la suppression définitive")


def _read_stdin_lines(count: int, stdin: TextIO) -> list[str]:
    lines = []
    for _ in range(count):
        line = stdin.readline()
        if not line:
            raise UsageError("Entrée standard incomplète : une ligne de mot de passe est attendue.")
        lines.append(line.rstrip("\r\n"))
    return lines


GuiRunner = Callable[[str | None], int]


def main(argv: Sequence[str] | None = None, stdin: TextIO | None = None,
         gui: GuiRunner | None = None) -> int:
    """Run one command. ``gui`` opens the application (given by ``ui.main``: app/ has no Qt)."""
    stdin = stdin or sys.stdin
    try:
        parser = build_parser()
        args, extras = parser.parse_known_args(argv)
        command = args.command or "gui"
        if command in LATER:  # whatever follows, the same answer
            raise KnownError(not_yet_message(command))
        if extras:
            parser.error(_french("unrecognized arguments: %s") % " ".join(extras))
        if command == "gui":
            if gui is None:
                raise KnownError("L'interface graphique se lance avec la commande « sillage ».")
            return gui(args.workspace)
        handler = _HANDLERS.get(command)
        if handler is None:
            raise KnownError(not_yet_message(command))
        code = handler(args, stdin)
        sys.stdout.flush()  # a reader that stopped early is seen here, not at exit
        return code
    except KnownError as exc:
        print(exc.message, file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("Interrompu : rien n'a été laissé à moitié écrit.", file=sys.stderr)
        return 1
    except BrokenPipeError:
        _stdout_to_devnull()
        print(BROKEN_PIPE, file=sys.stderr)
        return 1
    except Exception as exc:  # noqa: BLE001 - the CLI's one boundary: a bug becomes a report (R-9.4)
        from app.bug_report import report_and_describe

        print(report_and_describe(exc)[1], file=sys.stderr)
        return 1


BROKEN_PIPE = (
    "La sortie a été coupée avant la fin : le programme qui la lisait (par exemple « head ») "
    "s'est arrêté. Ce qui a été affiché est incomplet ; rien n'a été modifié. Pour tout obtenir, "
    "enregistrez la sortie dans un fichier (« > fichier.csv ») puis ouvrez ce fichier."
)


def _stdout_to_devnull() -> None:
    """After a broken pipe, the rest of the output (and Python's flush at exit) goes nowhere."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # a stdout without a file (tests)
        return


# -- handlers -------------------------------------------------------------------------------
def _workspace(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from app.workspace import Workspace, resolve_workspace

    return Workspace(resolve_workspace(args.workspace))


def _session(args: argparse.Namespace, stdin: TextIO, extra_lines: int = 0):  # type: ignore[no-untyped-def]
    if not args.user or not args.password_stdin:
        raise UsageError("Cette commande demande --user LOGIN et --password-stdin.")
    lines = _read_stdin_lines(1 + extra_lines, stdin)
    workspace = _workspace(args)
    if not workspace.exists():
        raise KnownError(f"Aucun espace de travail dans « {workspace.root} ».")
    session = workspace.login(args.user, lines[0])
    return session, lines[1:]


def _cmd_demo(args: argparse.Namespace, stdin: TextIO) -> int:
    from app.demo import DemoOptions, create_demo
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
        from app.files import check_output

        key_file = check_output(Path(args.recovery_key_file), workspace_root=root, force=args.force)
    workspace = Workspace(root)
    workspace.context.progress = progress
    result = create_demo(
        workspace,
        DemoOptions(youths=args.youths, journal_rows=args.journal_rows, seed=args.seed),
    )
    print("", file=sys.stderr)
    if key_file is not None and not _deliver_recovery_key(key_file, result.recovery_key):
        return 1
    for account in result.accounts:
        print(f"{account.login}\t{account.password}\t{account.profile}")
    print(f"Espace de démonstration prêt : {root}", file=sys.stderr)
    return 0


def _cmd_init(args: argparse.Namespace, stdin: TextIO) -> int:
    from app.workspace import Workspace

    if not args.workspace or not args.password_stdin:
        raise UsageError("sillage init demande --workspace DIR et --password-stdin.")
    (password,) = _read_stdin_lines(1, stdin)
    from app.files import check_output

    workspace = Workspace(Path(args.workspace).expanduser().resolve())
    # where the key goes is checked before anything is created
    key_file = check_output(Path(args.recovery_key_file), workspace_root=workspace.root,
                            force=args.force)
    recovery = workspace.create(
        org_name=args.org_name,
        admin_login=args.admin,
        admin_name=args.admin_name or args.admin,
        password=password,
        units=args.unit,
    )
    workspace.release()
    if not _deliver_recovery_key(key_file, recovery):
        return 1
    print(f"Espace de travail créé dans « {workspace.root} ». Clé de secours écrite dans "
          f"« {key_file} » : imprimez-la, rangez-la en lieu sûr, puis supprimez le fichier.",
          file=sys.stderr)
    return 0


def _deliver_recovery_key(key_file: Path, recovery: str) -> bool:
    """Write the recovery key atomically and read it back; if that fails, print it on stdout so
    that it is never lost (R-2.9). Returns whether the file holds the key."""
    from storage.files import atomic_write
    from storage.recovery_key import decode

    try:
        atomic_write(key_file, (recovery + "\n").encode("ascii"))
        if decode(key_file.read_text(encoding="ascii")) == decode(recovery):
            return True
        problem = "le fichier relu ne contient pas la clé"
    except KnownError as exc:
        problem = exc.message
    except OSError as exc:
        problem = os_reason(exc)
    except UnicodeDecodeError:
        problem = "le fichier relu est illisible"
    print(recovery)
    print(f"La clé de secours n'a pas pu être écrite dans « {key_file} » ({problem}). Elle est "
          "affichée ci-dessus, une seule fois : recopiez-la ou imprimez-la maintenant et rangez-la "
          "en lieu sûr. L'espace de travail a bien été créé.", file=sys.stderr)
    return False


def _cmd_recovery(args: argparse.Namespace, stdin: TextIO) -> int:
    from storage.recovery_key import decode

    if args.recovery_command == "new-director":
        key, password = _read_stdin_lines(2, stdin)
        workspace = _workspace(args)
        if not workspace.exists():
            raise KnownError(f"Aucun espace de travail dans « {workspace.root} ».")
        try:
            workspace.recover(key, login=args.login, name=args.name, password=password)
        finally:
            workspace.release()
        print(f"Compte de direction « {args.login} » créé avec la clé de secours.", file=sys.stderr)
        return 0
    text = stdin.read()
    print(decode(text).hex())
    return 0


def _cmd_user(args: argparse.Namespace, stdin: TextIO) -> int:
    from app.auth.service import AccountService

    if args.user_command == "list":
        return _cmd_user_list(args, stdin)
    if args.user_command == "deactivate":
        return _cmd_user_deactivate(args, stdin)
    session, (new_password,) = _session(args, stdin, extra_lines=1)
    try:
        AccountService(session).create_user(
            login=args.login, display_name=args.name, profile=args.profile,
            units=args.unit, password=new_password,
        )
    finally:
        session.close()
        session.workspace.release()
    print(f"Compte « {args.login} » créé.", file=sys.stderr)
    return 0


def _cmd_dossier(args: argparse.Namespace, stdin: TextIO) -> int:
    from app.csvsafe import SafeWriter
    from app.dossiers.service import DossierService

    session, _ = _session(args, stdin)
    try:
        rows = DossierService(session).list_dossiers()
    finally:
        session.close()
        session.workspace.release()
    if args.format == "csv":
        writer = SafeWriter(sys.stdout)
        writer.writerow(["id", "number", "unit", "status", "last_contact"])
        for r in rows:
            writer.writerow([r.id, r.number, r.unit_name, r.status, r.last_contact_on or ""])
    else:
        for r in rows:
            print(f"{r.id}\t{r.number}\t{r.unit_name}\t{r.status}\t{r.last_contact_on or ''}")
    return 0


def _cmd_journal(args: argparse.Namespace, stdin: TextIO) -> int:
    from app.journal.service import JournalService

    session, _ = _session(args, stdin)
    try:
        service = JournalService(session)
        if args.journal_command == "verify":
            report = service.verify()
            if not report.ok:
                print(report.message, file=sys.stderr)
                return 1
            print(report.message)
            return 0
        if args.journal_command == "rotate":
            from app.journal.service import parse_day

            confirm = parse_day(args.confirm_date) if args.confirm_date else None
            result = service.rotate(confirm_date=confirm)
            if not result.done:
                print(result.message, file=sys.stderr)
                if result.needs_confirmation:
                    print("Pour confirmer : sillage journal rotate --confirm-date AAAA-MM-JJ "
                          "(la date du jour).", file=sys.stderr)
                return 1
            print(result.message)
            return 0
        if args.out:
            import io

            from app.files import check_output
            from storage.files import atomic_write

            out = check_output(Path(args.out), workspace_root=session.workspace.root,
                               force=args.force)
            buffer = io.StringIO()
            count = service.export_csv(buffer, date_from=args.date_from, date_to=args.date_to)
            atomic_write(out, buffer.getvalue().encode("utf-8"))  # 0600, fsync, rename
        else:
            count = service.export_csv(sys.stdout, date_from=args.date_from, date_to=args.date_to)
        print(f"{count} entrées exportées.", file=sys.stderr)
        return 0
    finally:
        session.close()
        session.workspace.release()


def _cmd_backup(args: argparse.Namespace, stdin: TextIO) -> int:
    from app.backup_cli import run

    return run(args, stdin)


def _cmd_retention(args: argparse.Namespace, stdin: TextIO) -> int:
    import datetime as dt

    from app.csvsafe import SafeWriter
    from app.retention.service import RetentionService

    as_of = None
    if args.retention_command == "due" and args.as_of:
        try:
            as_of = dt.date.fromisoformat(args.as_of)
        except ValueError:
            raise UsageError("--as-of attend une date AAAA-MM-JJ.") from None
    if args.retention_command == "purge" and not args.yes:
        raise UsageError("La purge est définitive : ajoutez --yes pour la confirmer.")
    session, _ = _session(args, stdin)
    try:
        if args.retention_command == "purge":
            from app.retention.purge import PurgeService

            result = PurgeService(session).purge_one(args.dossier, args.reason, confirmed=True)
            print(f"Dossier {args.dossier} purgé ({result.rows_deleted} lignes supprimées).",
                  file=sys.stderr)
            return 0
        rows = RetentionService(session).due(as_of)
    finally:
        session.close()
        session.workspace.release()
    writer = SafeWriter(sys.stdout)
    writer.writerow(["id", "number", "last_contact", "limit_date", "state"])
    for r in rows:
        writer.writerow([r.dossier_id, r.number, r.last_contact_on or "", r.limit_date.isoformat(),
                         r.state.value])
    return 0


def _documents(name: str, args: argparse.Namespace, stdin: TextIO) -> int:
    import app.documents_cli as documents

    handler: Callable[..., int] = getattr(documents, name)
    return handler(args, stdin, _session)


def _export(args: argparse.Namespace, stdin: TextIO) -> int:
    from app.rights_cli import cmd_export

    return cmd_export(args, stdin, _session)


def _cmd_charter(args: argparse.Namespace, stdin: TextIO) -> int:
    """Until a user accepts the charter, no service answers them (R-3.5, R-3.7): the same step
    as at the first login in the application, for accounts that use the command line."""
    from app.auth.service import AccountService
    from app.resources import resource_path

    session, _ = _session(args, stdin)
    try:
        if not args.accept:
            print(resource_path("charter", "charte_fr.txt").read_text(encoding="utf-8"))
            state = ("Vous avez déjà accepté cette charte." if session.user.charter_accepted else
                     "Pour l'accepter : sillage --user LOGIN --password-stdin charter --accept")
            print(state, file=sys.stderr)
            return 0
        if session.user.charter_accepted:
            print("Vous avez déjà accepté la charte.", file=sys.stderr)
            return 0
        AccountService(session).accept_charter()
    finally:
        session.close()
        session.workspace.release()
    print("Charte acceptée : c'est enregistré, et les accès aux données sensibles sont "
          "inscrits au journal.", file=sys.stderr)
    return 0


def _cmd_user_list(args: argparse.Namespace, stdin: TextIO) -> int:
    """§10 ``user list --format csv``: login, name, profile, units, active, locked."""
    from app.auth.service import AccountService
    from app.csvsafe import SafeWriter

    session, _ = _session(args, stdin)
    try:
        accounts = AccountService(session).list_accounts()
    finally:
        session.close()
        session.workspace.release()
    writer = SafeWriter(sys.stdout)
    writer.writerow(["login", "name", "profile", "units", "active", "locked"])
    for a in accounts:
        writer.writerow([a.login, a.display_name, a.profile.value, ", ".join(a.units),
                         "1" if a.active else "0", "1" if a.locked else "0"])
    return 0


def _cmd_user_deactivate(args: argparse.Namespace, stdin: TextIO) -> int:
    """§10 ``user deactivate --login L``: the account's key slot and grants go at once (R-2.8)."""
    from app.auth.service import AccountService

    session, _ = _session(args, stdin)
    try:
        service = AccountService(session)
        wanted = args.login.strip().casefold()
        match = [a for a in service.list_accounts() if a.login.casefold() == wanted]
        if not match:
            raise KnownError(f"Aucun compte « {args.login[:40]} ».")
        if not match[0].active:
            print(f"Le compte « {match[0].login} » était déjà désactivé.", file=sys.stderr)
            return 0
        service.deactivate(match[0].id)
    finally:
        session.close()
        session.workspace.release()
    print(f"Compte « {match[0].login} » désactivé : sa clé et ses accès sont retirés. Si cette "
          "personne a pu garder une copie de la clé de secours, renouvelez la clé de l'espace "
          "(sillage rekey).", file=sys.stderr)
    return 0


def _cmd_rekey(args: argparse.Namespace, stdin: TextIO) -> int:
    """§10 ``rekey --recovery-key-file FILE`` (R-2.8)."""
    from app.files import check_output
    from app.rekey import RekeyService
    from storage.files import atomic_write
    from storage.recovery_key import decode

    session, _ = _session(args, stdin)
    try:
        key_file = check_output(Path(args.recovery_key_file), workspace_root=session.workspace.root,
                                force=args.force)

        def deliver(recovery: str) -> None:
            # Written and read back before anything changes: if it fails, nothing is renewed.
            try:
                atomic_write(key_file, (recovery + "\n").encode("ascii"))
                ok = decode(key_file.read_text(encoding="ascii")) == decode(recovery)
            except (OSError, UnicodeDecodeError):
                ok = False
            if not ok:
                raise KnownError(f"La nouvelle clé de secours n'a pas pu être écrite dans « {key_file} » : "
                                 "la clé de l'espace n'a pas été renouvelée, rien n'a changé.")

        def progress(done: int, total: int) -> bool:
            print(f"\rRenouvellement de la clé : {done}/{total} fichiers rechiffrés", end="",
                  file=sys.stderr, flush=True)
            return True

        result = RekeyService(session).rekey(deliver, progress)
    finally:
        session.close()
        session.workspace.release()
    print("", file=sys.stderr)
    print(f"Clé de l'espace renouvelée en {result.seconds:.1f} s : {result.files} fichiers rechiffrés, "
          f"{result.accounts} comptes actifs gardent l'accès avec leur mot de passe. Nouvelle clé de "
          f"secours écrite dans « {key_file} » : imprimez-la, rangez-la en lieu sûr, détruisez "
          "l'ancienne, puis supprimez le fichier. Les sauvegardes faites avant gardent l'ancienne clé.",
          file=sys.stderr)
    return 0


_HANDLERS: dict[str, Callable[[argparse.Namespace, TextIO], int]] = {
    "rekey": _cmd_rekey,
    "backup": _cmd_backup,
    "demo": _cmd_demo,
    "init": _cmd_init,
    "recovery": _cmd_recovery,
    "user": _cmd_user,
    "charter": _cmd_charter,
    "dossier": _cmd_dossier,
    "journal": _cmd_journal,
    "retention": _cmd_retention,
    "notice": lambda a, i: _documents("cmd_notice", a, i),
    "report": lambda a, i: _documents("cmd_report", a, i),
    "stats": lambda a, i: _documents("cmd_stats", a, i),
    "export": lambda a, i: _export(a, i),
}


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
