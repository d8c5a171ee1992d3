"""argparse in French: help, usage and errors are entirely French (SPEC §10) whatever the
language of the system."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Iterator, Sequence
from typing import Any, NoReturn, TypeAlias

from app.errors import UsageError

#: argparse's own texts (it reads them through gettext), in French
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


def french(text: str) -> str:
    return FRENCH.get(text, text)


def _french_plural(singular: str, plural: str, count: int) -> str:
    if singular == "expected %s argument":
        return "%s valeur attendue" if count <= 1 else "%s valeurs attendues"
    return french(singular if count == 1 else plural)


@contextlib.contextmanager
def in_french() -> Iterator[None]:
    """argparse speaks French inside (it looks its texts up through its module's ``_``)."""
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._, argparse.ngettext = french, _french_plural  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


class FrenchParser(argparse.ArgumentParser):
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
        for name, french_name in _TYPES.items():
            message = message.replace(f"({name} attendu)", f"({french_name} attendu)")
        raise UsageError(f"Utilisation incorrecte : {message}. Aide : « {self.prog} --help ».")


#: what every area module adds its commands to
Commands: TypeAlias = "argparse._SubParsersAction[FrenchParser]"


def add_group(sub: Commands, common: FrenchParser, name: str, help: str) -> Commands:
    """A command with subcommands (``user add``, ``journal verify``…), one of them required."""
    group = sub.add_parser(name, parents=[common], help=help)
    return group.add_subparsers(dest=f"{name}_command", parser_class=FrenchParser, required=True,
                                title="commandes", metavar="COMMANDE")
