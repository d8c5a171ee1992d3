"""``sillage dossier list`` and ``sillage retention due | purge`` (SPEC §10, R-6.x)."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from typing import TextIO

from app.csvsafe import SafeWriter
from app.errors import UsageError
from cli.french import Commands, FrenchParser, add_group
from cli.session import signed_in

#: the columns of ``dossier list``: non-sensitive only (SPEC §10)
DOSSIER_COLUMNS = ["id", "number", "unit", "status", "last_contact"]


def add_dossier_parser(sub: Commands, common: FrenchParser) -> None:
    dossier = add_group(sub, common, "dossier", "dossiers")
    listing = dossier.add_parser("list", parents=[common],
                                 help="liste des dossiers : id, numéro, unité, statut, dernier contact")
    listing.add_argument("--format", choices=["csv", "text"], default="text",
                         help="format de sortie (text par défaut)")


def add_retention_parser(sub: Commands, common: FrenchParser) -> None:
    retention = add_group(sub, common, "retention", "conservation des dossiers")
    due = retention.add_parser("due", parents=[common], help="dossiers à échéance ou dépassés")
    due.add_argument("--as-of", metavar="AAAA-MM-JJ", help="date de référence (aujourd'hui par défaut)")
    due.add_argument("--format", choices=["csv"], required=True, help="format de sortie")
    purge = retention.add_parser("purge", parents=[common], help="purger un dossier échu")
    purge.add_argument("--dossier", type=int, required=True, metavar="ID", help="numéro interne du dossier")
    purge.add_argument("--reason", required=True, metavar="TEXTE", help="motif de la purge (inscrit au journal)")
    purge.add_argument("--yes", action="store_true", help="confirmer la suppression définitive")


def cmd_dossier(args: argparse.Namespace, stdin: TextIO) -> int:
    from app.dossiers.service import DossierService

    with signed_in(args, stdin) as (session, _):
        rows = DossierService(session).list_dossiers()
    lines = [[r.id, r.number, r.unit_name, r.status, r.last_contact_on or ""] for r in rows]
    if args.format == "csv":
        writer = SafeWriter(sys.stdout)
        writer.writerow(DOSSIER_COLUMNS)
        for line in lines:
            writer.writerow(line)
    else:
        for line in lines:
            print("\t".join(str(cell) for cell in line))
    return 0


def cmd_retention(args: argparse.Namespace, stdin: TextIO) -> int:
    if args.retention_command == "purge":
        return _purge(args, stdin)
    from app.retention.service import RetentionService

    as_of = None
    if args.as_of:
        try:
            as_of = dt.date.fromisoformat(args.as_of)
        except ValueError:
            raise UsageError("--as-of attend une date AAAA-MM-JJ.") from None
    with signed_in(args, stdin) as (session, _):
        rows = RetentionService(session).due(as_of)
    writer = SafeWriter(sys.stdout)
    writer.writerow(["id", "number", "last_contact", "limit_date", "state"])
    for r in rows:
        writer.writerow([r.dossier_id, r.number, r.last_contact_on or "", r.limit_date.isoformat(),
                         r.state.value])
    return 0


def _purge(args: argparse.Namespace, stdin: TextIO) -> int:
    from app.retention.purge import PurgeService

    if not args.yes:
        raise UsageError("La purge est définitive : ajoutez --yes pour la confirmer.")
    with signed_in(args, stdin) as (session, _):
        result = PurgeService(session).purge_one(args.dossier, args.reason, confirmed=True)
    print(f"Dossier {args.dossier} purgé ({result.rows_deleted} lignes supprimées).", file=sys.stderr)
    return 0


HANDLERS = {"dossier": cmd_dossier, "retention": cmd_retention}
