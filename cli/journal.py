"""``sillage journal verify | rotate | export`` (SPEC §10, R-5.x)."""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path
from typing import TextIO

from app.journal.service import JournalService
from app.session import Session
from cli.french import Commands, FrenchParser, add_group
from cli.session import signed_in


def add_parser(sub: Commands, common: FrenchParser) -> None:
    journal = add_group(sub, common, "journal", "journal des accès")
    journal.add_parser("verify", parents=[common], help="vérifier l'intégrité du journal")
    rotate = journal.add_parser("rotate", parents=[common],
                                help="détruire les entrées de plus de six mois")
    rotate.add_argument("--confirm-date", metavar="AAAA-MM-JJ",
                        help="confirmer la date du jour indiquée par l'horloge (direction)")
    export = journal.add_parser("export", parents=[common], help="exporter le journal en CSV")
    export.add_argument("--from", dest="date_from", metavar="AAAA-MM-JJ", help="à partir de cette date")
    export.add_argument("--to", dest="date_to", metavar="AAAA-MM-JJ", help="jusqu'à cette date")
    export.add_argument("--format", choices=["csv"], required=True, help="format de sortie")
    export.add_argument("--out", metavar="FICHIER", help="fichier de sortie (sinon la sortie standard)")
    export.add_argument("--force", action="store_true", help="remplacer le fichier s'il existe déjà")


def cmd_journal(args: argparse.Namespace, stdin: TextIO) -> int:
    with signed_in(args, stdin) as (session, _):
        service = JournalService(session)
        if args.journal_command == "verify":
            report = service.verify()
            print(report.message, file=sys.stdout if report.ok else sys.stderr)
            return 0 if report.ok else 1
        if args.journal_command == "rotate":
            return _rotate(service, args)
        return _export(service, session, args)


def _rotate(service: JournalService, args: argparse.Namespace) -> int:
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


def _export(service: JournalService, session: Session, args: argparse.Namespace) -> int:
    if args.out:
        from app.output_files import check_output, save_document

        root = session.workspace.root
        out = check_output(Path(args.out), workspace_root=root, force=args.force)
        buffer = io.StringIO()
        count = service.export_csv(buffer, date_from=args.date_from, date_to=args.date_to)
        save_document(out, buffer.getvalue().encode("utf-8"), workspace_root=root)  # 0600, fsync, rename
    else:
        count = service.export_csv(sys.stdout, date_from=args.date_from, date_to=args.date_to)
    print(f"{count} entrées exportées.", file=sys.stderr)
    return 0


HANDLERS = {"journal": cmd_journal}
