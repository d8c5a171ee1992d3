"""The parser of every ``sillage`` command; each area adds its own (SPEC §10)."""

from __future__ import annotations

import argparse

from app.version import VERSION
from cli import accounts, backup, documents, dossiers, journal, rights, workspace
from cli.french import FrenchParser

#: commands of SPEC §10 that this version does not have yet: they all answer the same way
#: (exit 1, ``not_yet_message``) until their issue lands
LATER: tuple[str, ...] = ()


def not_yet_message(command: str) -> str:
    return (f"La commande « {command} » n'est pas encore disponible dans cette version de Sillage : "
            "rien n'a été fait. Consultez « sillage --help » pour les commandes disponibles.")


def _global_options(parser: argparse.ArgumentParser, suppress: bool) -> None:
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument("--workspace", metavar="DOSSIER", default=default,
                        help="dossier de l'espace de travail")
    parser.add_argument("--user", metavar="IDENTIFIANT", default=default, help="identifiant du compte")
    parser.add_argument("--password-stdin", action="store_true",
                        default=argparse.SUPPRESS if suppress else False,
                        help="lire le mot de passe sur la première ligne de l'entrée standard")


def build_parser() -> argparse.ArgumentParser:
    parser = FrenchParser(prog="sillage", description="Sillage — dossiers de suivi chiffrés.")
    parser.add_argument("--version", action="version", version=f"Sillage {VERSION}",
                        help="afficher la version et quitter")
    _global_options(parser, suppress=False)
    common = FrenchParser(add_help=False)  # the global options, accepted after the command too
    _global_options(common, suppress=True)
    sub = parser.add_subparsers(dest="command", parser_class=FrenchParser, title="commandes", metavar="COMMANDE")
    sub.add_parser("gui", parents=[common], help="ouvrir l'application (par défaut)")
    workspace.add_setup_parsers(sub, common)
    accounts.add_user_parser(sub, common)
    workspace.add_rekey_parser(sub, common)
    dossiers.add_dossier_parser(sub, common)
    journal.add_parser(sub, common)
    backup.add_parser(sub, common)
    dossiers.add_retention_parser(sub, common)
    accounts.add_charter_parser(sub, common)
    documents.add_parsers(sub, common)
    rights.add_parser(sub, common)
    for name in LATER:
        later = sub.add_parser(name, parents=[common], help="(à venir : pas encore disponible)")
        later.add_argument("rest", nargs=argparse.REMAINDER, metavar="…",
                           help="arguments de la commande à venir")
    return parser
