"""``sillage notice``, ``sillage report judge`` and ``sillage stats`` (SPEC §10, R-8.1 to R-8.5).

Every command goes through the same services as the GUI: rights, register of communications,
journal entry with the recipient and the purpose."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from app.errors import UsageError
from app.exports import ExportRequest
from cli.french import Commands, FrenchParser
from cli.session import signed_in


def add_parsers(sub: Commands, common: FrenchParser) -> None:
    _add_notice_parser(sub, common)
    _add_report_parser(sub, common)
    stats = sub.add_parser("stats", parents=[common], help="statistiques anonymisées (CSV ou PDF)")
    stats.add_argument("--year", type=int, required=True, metavar="AAAA", help="année des statistiques")
    stats.add_argument("--out", required=True, metavar="FICHIER.csv|FICHIER.pdf",
                       help="fichier à écrire (CSV ou PDF selon l'extension)")
    stats.add_argument("--recipient", default="Financeurs et rapport d'activité", metavar="DESTINATAIRE",
                       help="destinataire")
    stats.add_argument("--purpose", default="Rapport d'activité annuel", metavar="MOTIF", help="motif")


def _add_notice_parser(sub: Commands, common: FrenchParser) -> None:
    from app.notices.audiences import NoticeAudience

    notice = sub.add_parser("notice", parents=[common], help="notice d'information (PDF) pour un dossier")
    notice.add_argument("--dossier", type=int, required=True, metavar="ID", help="numéro interne du dossier")
    notice.add_argument("--audience", required=True, choices=[a.value for a in NoticeAudience], metavar="PUBLIC",
                        help="public : " + ", ".join(a.value for a in NoticeAudience))
    notice.add_argument("--lang", default="fr", metavar="LANGUE", help="langue du texte (fr par défaut)")
    notice.add_argument("--out", required=True, metavar="FICHIER.pdf", help="fichier PDF à écrire")
    notice.add_argument("--recipient", default="la personne accompagnée", metavar="DESTINATAIRE",
                        help="à qui la notice est remise (enregistré au dossier, R-8.2)")
    notice.add_argument("--no-delivery", action="store_true",
                        help="imprimer seulement, sans enregistrer de remise")


def _add_report_parser(sub: Commands, common: FrenchParser) -> None:
    from app.judge_sections import SECTIONS

    report = sub.add_parser("report", parents=[common], help="rapports")
    reports = report.add_subparsers(dest="report_command", parser_class=FrenchParser, required=True)
    judge = reports.add_parser("judge", parents=[common], help="rapport au juge des enfants (PDF)")
    judge.add_argument("--dossier", type=int, required=True, metavar="ID", help="numéro interne du dossier")
    judge.add_argument("--sections", metavar="a,b,c",
                       help="sections : " + ", ".join(s.id for s in SECTIONS)
                       + " (par défaut toutes sauf les sections sensibles)")
    judge.add_argument("--out", required=True, metavar="FICHIER.pdf", help="fichier PDF à écrire")
    judge.add_argument("--encrypt", action="store_true",
                       help="chiffrer le PDF (AES-256) ; mot de passe sur la 2e ligne de l'entrée standard")
    judge.add_argument("--court", default="Juge des enfants", metavar="TRIBUNAL", help="tribunal destinataire")
    judge.add_argument("--purpose", metavar="MOTIF", help="motif de la communication")
    judge.add_argument("--observations", default="", metavar="TEXTE", help="observations de l'auteur")
    judge.add_argument("--proposals", default="", metavar="TEXTE", help="propositions de l'auteur")


def cmd_notice(args: argparse.Namespace, stdin: TextIO) -> int:
    from app.notices.service import PURPOSE, NoticeService

    with signed_in(args, stdin) as (session, _):
        service = NoticeService(session)
        notice = service.save(args.dossier, args.audience, args.lang, Path(args.out),
                              ExportRequest(args.recipient, PURPOSE))
        if not args.no_delivery:
            service.record_delivery(args.dossier, args.audience, args.lang, recipient=args.recipient)
    done = "" if args.no_delivery else f" ; remise à « {args.recipient} » enregistrée"
    print(f"Notice « {notice.audience.value} » ({notice.pages} page(s)) écrite dans « {args.out} »{done}.",
          file=sys.stderr)
    return 0


def cmd_report(args: argparse.Namespace, stdin: TextIO) -> int:
    from app.judge_report import JudgeReportService
    from app.judge_sections import DEFAULT_PURPOSE, DEFAULT_SECTIONS

    with signed_in(args, stdin, 1 if args.encrypt else 0) as (session, extra):
        password = extra[0] if args.encrypt else None
        if args.encrypt and not password:
            raise UsageError("--encrypt demande le mot de passe du PDF sur la 2e ligne de l'entrée standard.")
        sent = JudgeReportService(session).send(
            args.dossier, args.sections or DEFAULT_SECTIONS, court=args.court, out=Path(args.out),
            request=ExportRequest(args.court, args.purpose or DEFAULT_PURPOSE),
            observations=args.observations, proposals=args.proposals, password=password)
    note = (" Chiffré (AES-256) : envoyez le mot de passe par un autre canal que le fichier."
            if sent.encrypted else "")
    print(f"Rapport écrit dans « {args.out} » et inscrit au registre des communications.{note}", file=sys.stderr)
    return 0


def cmd_stats(args: argparse.Namespace, stdin: TextIO) -> int:
    from app.statistics import StatisticsService

    with signed_in(args, stdin) as (session, _):
        stats = StatisticsService(session).export(args.year, Path(args.out),
                                                  ExportRequest(args.recipient, args.purpose))
    print(f"Statistiques {stats.year} ({stats.population} personnes) écrites dans « {args.out} ».", file=sys.stderr)
    return 0


HANDLERS = {"notice": cmd_notice, "report": cmd_report, "stats": cmd_stats}
