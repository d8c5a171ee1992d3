"""``sillage user add | list | deactivate`` and ``sillage charter`` (SPEC §10, R-2.8, R-3.7)."""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

from app.errors import KnownError
from cli.french import Commands, FrenchParser, add_group
from cli.session import signed_in


def add_user_parser(sub: Commands, common: FrenchParser) -> None:
    from app.auth.profiles import Profile

    user = add_group(sub, common, "user", "comptes")
    add = user.add_parser("add", parents=[common],
                          help="créer un compte (nouveau mot de passe sur la 2e ligne de l'entrée standard)")
    add.add_argument("--login", required=True, metavar="IDENTIFIANT", help="identifiant du nouveau compte")
    add.add_argument("--name", required=True, metavar="NOM", help="nom de la personne")
    add.add_argument("--profile", required=True, metavar="PROFIL",
                     help="profil : " + ", ".join(p.value for p in Profile))
    add.add_argument("--unit", action="append", default=[], metavar="UNITÉ", help="unité (répétable)")
    listing = user.add_parser("list", parents=[common], help="comptes : identifiant, nom, profil, unités, "
                                                              "actif, verrouillé")
    listing.add_argument("--format", choices=["csv"], required=True, help="format de sortie")
    deactivate = user.add_parser("deactivate", parents=[common],
                                 help="désactiver un compte : sa clé et ses accès sont retirés aussitôt")
    deactivate.add_argument("--login", required=True, metavar="IDENTIFIANT", help="identifiant du compte")


def add_charter_parser(sub: Commands, common: FrenchParser) -> None:
    charter = sub.add_parser("charter", parents=[common],
                             help="lire la charte informatique, et l'accepter avec --accept (R-3.7)")
    charter.add_argument("--accept", action="store_true",
                         help="enregistrer que vous avez lu et acceptez la charte")


def cmd_user(args: argparse.Namespace, stdin: TextIO) -> int:
    if args.user_command == "list":
        return cmd_user_list(args, stdin)
    if args.user_command == "deactivate":
        return cmd_user_deactivate(args, stdin)
    return cmd_user_add(args, stdin)


def cmd_user_add(args: argparse.Namespace, stdin: TextIO) -> int:
    """§10 ``user add``: the new account's password on the second line of stdin."""
    from app.auth.service import AccountService

    with signed_in(args, stdin, extra_lines=1) as (session, (new_password,)):
        AccountService(session).create_user(
            login=args.login, display_name=args.name, profile=args.profile,
            units=args.unit, password=new_password,
        )
    print(f"Compte « {args.login} » créé.", file=sys.stderr)
    return 0


def cmd_user_list(args: argparse.Namespace, stdin: TextIO) -> int:
    """§10 ``user list --format csv``: login, name, profile, units, active, locked."""
    from app.auth.service import AccountService
    from app.csvsafe import SafeWriter

    with signed_in(args, stdin) as (session, _):
        accounts = AccountService(session).list_accounts()
    writer = SafeWriter(sys.stdout)
    writer.writerow(["login", "name", "profile", "units", "active", "locked"])
    for a in accounts:
        writer.writerow([a.login, a.display_name, a.profile.value, ", ".join(a.units),
                         "1" if a.active else "0", "1" if a.locked else "0"])
    return 0


def cmd_user_deactivate(args: argparse.Namespace, stdin: TextIO) -> int:
    """§10 ``user deactivate --login L``: the account's key slot and grants go at once (R-2.8)."""
    from app.auth.service import AccountService

    with signed_in(args, stdin) as (session, _):
        service = AccountService(session)
        wanted = args.login.strip().casefold()
        match = [a for a in service.list_accounts() if a.login.casefold() == wanted]
        if not match:
            raise KnownError(f"Aucun compte « {args.login[:40]} ».")
        if not match[0].active:
            print(f"Le compte « {match[0].login} » était déjà désactivé.", file=sys.stderr)
            return 0
        service.deactivate(match[0].id)
    print(f"Compte « {match[0].login} » désactivé : sa clé et ses accès sont retirés. Si cette "
          "personne a pu garder une copie de la clé de secours, renouvelez la clé de l'espace "
          "(sillage rekey).", file=sys.stderr)
    return 0


def cmd_charter(args: argparse.Namespace, stdin: TextIO) -> int:
    """Until a user accepts the charter, no service answers them (R-3.5, R-3.7): the same step
    as at the first login in the application, for accounts that use the command line."""
    from app.auth.service import AccountService
    from app.resources import resource_path

    with signed_in(args, stdin) as (session, _):
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
    print("Charte acceptée : c'est enregistré, et les accès aux données sensibles sont "
          "inscrits au journal.", file=sys.stderr)
    return 0


HANDLERS = {"user": cmd_user, "charter": cmd_charter}
