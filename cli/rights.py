"""``sillage export subject --dossier ID --out DIR`` (SPEC §10, R-7.2): the PDF and the JSON file
of everything held about one person, through the same service as the GUI (direction only,
journaled, recorded in the rights register)."""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

from cli.french import Commands, FrenchParser
from cli.session import signed_in


def add_parser(sub: Commands, common: FrenchParser) -> None:
    export = sub.add_parser("export", parents=[common], help="exports des données d'une personne")
    exports = export.add_subparsers(dest="export_command", parser_class=FrenchParser, required=True)
    subject = exports.add_parser(
        "subject", parents=[common],
        help="droit d'accès et portabilité : PDF lisible et fichier JSON de tout ce que le dossier contient "
             "(direction)")
    subject.add_argument("--dossier", type=int, required=True, metavar="ID", help="numéro interne du dossier")
    subject.add_argument("--out", required=True, metavar="DOSSIER",
                         help="dossier existant, hors de l'espace de travail, où écrire le PDF et le JSON")
    subject.add_argument("--force", action="store_true", help="remplacer les fichiers s'ils existent déjà")


def cmd_export(args: argparse.Namespace, stdin: TextIO) -> int:
    from app.rights.subject_export import SubjectExportService

    def progress(done: int, total: int) -> None:
        print(f"\rExport des données : {100 * done // total} %", end="", file=sys.stderr, flush=True)

    with signed_in(args, stdin) as (session, _):
        try:
            done = SubjectExportService(session).export(args.dossier, args.out, force=args.force,
                                                        progress=progress)
        finally:
            print("", file=sys.stderr)
    print(done.pdf)
    print(done.json)
    requests = ", ".join(str(i) for i in done.request_ids)
    print(f"Export écrit : {done.categories} catégories, {done.journal_entries} accès au journal ; "
          f"inscrit au registre des droits (demande n° {requests}, répondue).", file=sys.stderr)
    return 0


HANDLERS = {"export": cmd_export}
