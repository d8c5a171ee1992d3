"""The readable PDF of the access / portability export (R-7.2): a rendering of the same document
as the JSON file (``resources/schemas/export-personne.schema.json``), so both say the same thing."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping, Sequence
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from reports.fonts import register_fonts
from reports.pages import esc, numbered_canvas

ACCENT = colors.HexColor("#1f5f8b")
TITLE = "Vos données personnelles"
EMPTY = "—"


def _day(value: str | None) -> str:
    if not value:
        return EMPTY
    try:
        return dt.date.fromisoformat(value[:10]).strftime("%d/%m/%Y")
    except ValueError:
        return value


def _moment(value: str) -> str:
    try:
        return dt.datetime.fromisoformat(value).strftime("%d/%m/%Y %H:%M")
    except ValueError:
        return value


def _label(item: Mapping[str, str] | None) -> str:
    return item["label"] if item else EMPTY


def render_subject_export(doc: Mapping[str, Any]) -> bytes:
    regular, bold = register_fonts()
    body = ParagraphStyle("b", fontName=regular, fontSize=10, leading=13.5, spaceAfter=3)
    small = ParagraphStyle("s", fontName=regular, fontSize=9, leading=11.5)
    label = ParagraphStyle("l", fontName=bold, fontSize=9, leading=11.5)
    title = ParagraphStyle("t", fontName=bold, fontSize=17, leading=22, spaceAfter=4)
    h2 = ParagraphStyle("h", fontName=bold, fontSize=12.5, leading=16, textColor=ACCENT, spaceBefore=9,
                        spaceAfter=4)
    h3 = ParagraphStyle("h3", fontName=bold, fontSize=10, leading=13, spaceBefore=4, spaceAfter=2)
    width = A4[0] - 36 * mm
    org = doc["organisation"]
    dossier = doc["dossier"]
    identity = _identity(doc)

    def table(rows: Sequence[Sequence[str]], widths: Sequence[float], header: Sequence[str] = ()) -> Table:
        cells = [[Paragraph(esc(h), label) for h in header]] if header else []
        cells += [[Paragraph(esc(str(v)), small) for v in row] for row in rows]
        t = Table(cells, colWidths=list(widths), repeatRows=1 if header else 0)
        style = [("FONT", (0, 0), (-1, -1), regular, 9), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                 ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#b0b8c0"))]
        if header:
            style.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e6edf3")))
        else:
            style.append(("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#f1f4f7")))
        t.setStyle(TableStyle(style))
        return t

    def pairs(values: Sequence[Mapping[str, Any]]) -> Table:
        return table([(v["label"], v["text"]) for v in values], (62 * mm, width - 62 * mm))

    buffer = io.BytesIO()
    number = dossier["number"]
    pdf = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=18 * mm, bottomMargin=18 * mm,
        title=f"{TITLE} — dossier {number}", author=org["name"] or "Sillage",
        subject="Droit d'accès et portabilité (RGPD art. 15 et 20)", lang="fr-FR", creator="Sillage",
    )
    story: list[Any] = [
        Paragraph(TITLE, title),
        table([("Personne", identity), ("Dossier", f"{number} — {dossier['status']['label']} — {dossier['unit']}"),
               ("Organisme", ", ".join(x for x in (org["name"], org.get("address", "")) if x)),
               ("Délégué à la protection des données", org.get("dpo_contact") or EMPTY),
               ("Document établi le", _moment(doc["generated_at"]))], (62 * mm, width - 62 * mm)),
        Spacer(1, 3 * mm),
        Paragraph(esc(
            "Ce document contient toutes les informations que l'organisme détient sur vous dans Sillage, "
            "catégorie par catégorie, ainsi que la liste des consultations et modifications de votre dossier "
            "enregistrées dans le journal des accès (conservé six mois). Le fichier JSON remis avec ce document "
            "contient les mêmes informations dans un format lisible par un ordinateur (droit à la portabilité) ; "
            "chaque valeur choisie dans une liste y figure avec son code et son libellé."), body),
        Paragraph(esc(
            "Vous pouvez demander la rectification d'une information inexacte, l'effacement, la limitation, "
            "ou vous opposer au traitement en vous adressant à l'organisme ou à son délégué à la protection "
            "des données. Vous pouvez aussi adresser une réclamation à la CNIL (www.cnil.fr)."), body),
    ]

    def section(text: str) -> None:
        story.append(Paragraph(esc(text), h2))

    n = 0
    for category in doc["categories"]:
        n += 1
        head = Paragraph(esc(f"{n}. {category['label']}"), h2)
        if category["repeating"]:
            flow: list[Any] = [head]
            for k, record in enumerate(reversed(category["records"]), start=1):
                caption = _day(record["date"]) if record.get("date") else f"n° {k}"
                block = [Paragraph(esc(f"{category['label']} — {caption}"), h3)]
                block.append(pairs(record["values"]) if record["values"] else Paragraph("Sans détail.", small))
                flow.append(KeepTogether(block))
            story.append(KeepTogether(flow[:2]))
            story += flow[2:]
        else:
            story.append(KeepTogether([head, pairs(category["values"])]))

    consents = doc["consents"]
    n += 1
    section(f"{n}. Consentements")
    if consents:
        story.append(table(
            [(c["type"]["label"], f"{c['given_by']} ({c['given_by_role']['label']})", c["form"]["label"],
              c["state"]["label"], _day(c["recorded_on"]), _day(c.get("withdrawn_on"))) for c in consents],
            (36 * mm, 44 * mm, 16 * mm, 18 * mm, 24 * mm, width - 138 * mm),
            ("Pour", "Donné par", "Forme", "État", "Date", "Retrait")))
    else:
        story.append(Paragraph("Aucun consentement enregistré.", body))

    documents = doc["documents"]
    n += 1
    section(f"{n}. Documents remis et envoyés")
    if documents["notices"] or documents["communications"]:
        rows = [(_day(d["delivered_on"]), f"Notice d'information remise ({d['audience']['label']})",
                 d["recipient"]) for d in documents["notices"]]
        rows += [(_day(c["sent_at"]), f"{c['kind']['label']} — {c['purpose']}", c["recipient"])
                 for c in documents["communications"]]
        story.append(table(rows, (24 * mm, width - 84 * mm, 60 * mm), ("Date", "Document", "Destinataire")))
    else:
        story.append(Paragraph("Aucun document remis ni envoyé.", body))

    n += 1
    section(f"{n}. Vos demandes (registre des droits)")
    if doc["rights_requests"]:
        story.append(table(
            [(r["kind"]["label"], f"{r['requester']} ({r['requester_role']['label']})", _day(r["received_on"]),
              _day(r["due_on"]), r["status"]["label"], r.get("answer") or EMPTY) for r in doc["rights_requests"]],
            (24 * mm, 36 * mm, 24 * mm, 24 * mm, 22 * mm, width - 130 * mm),
            ("Demande", "Demandeur", "Reçue le", "Échéance", "État", "Réponse")))
    else:
        story.append(Paragraph("Aucune demande enregistrée avant celle-ci.", body))

    if doc["retention_decisions"]:
        n += 1
        section(f"{n}. Décisions sur la durée de conservation")
        story.append(table(
            [(_day(d["decided_at"]), d["kind"]["label"], d["reason"], _day(d.get("until_on")))
             for d in doc["retention_decisions"]],
            (24 * mm, 40 * mm, width - 88 * mm, 24 * mm), ("Date", "Décision", "Motif", "Jusqu'au")))

    entries = doc["journal"]["entries"]
    n += 1
    section(f"{n}. Accès à votre dossier (journal des six derniers mois)")
    story.append(Paragraph(esc(
        "Chaque ligne est une consultation, une création, une modification ou un autre accès enregistré. "
        "Les personnes sont désignées par leur fonction."), body))
    if entries:
        story.append(table([(_moment(e["when"]), e["action"]["label"], e["data"]["label"], e["profile"]["label"])
                            for e in entries],
                           (34 * mm, 36 * mm, width - 110 * mm, 40 * mm), ("Date", "Action", "Donnée", "Fonction")))
    else:
        story.append(Paragraph("Aucun accès enregistré.", body))

    if doc["categories_not_held"]:
        n += 1
        section(f"{n}. Catégories sans information vous concernant")
        story.append(Paragraph(esc(", ".join(c["label"] for c in doc["categories_not_held"]) + "."), body))

    pdf.build(story, canvasmaker=numbered_canvas(f"Confidentiel — {org['name'] or 'Sillage'} — dossier {number}",
                                                   header_right="CONFIDENTIEL"))
    return buffer.getvalue()


def _identity(doc: Mapping[str, Any]) -> str:
    for category in doc["categories"]:
        if category["id"] == "identite":
            values = {v["field"]: v["text"] for v in category["values"]}
            name = " ".join(x for x in (values.get("prenoms"), values.get("nom")) if x)
            born = values.get("date_naissance")
            return f"{name}, né(e) le {born}" if born else name
    return EMPTY
