"""The readable PDF of the access / portability export (R-7.2): a rendering of the same document
as the JSON file (``resources/schemas/export-personne.schema.json``), so both say the same thing."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table

from reports.french import date_time, short_date
from reports.pages import esc, numbered_canvas
from reports.styles import DocumentStyles, document_styles, grid_style

TITLE = "Vos données personnelles"
EMPTY = "—"


def _day(value: str | None) -> str:
    return short_date(value, EMPTY)


def _label(item: Mapping[str, str] | None) -> str:
    return item["label"] if item else EMPTY


def render_subject_export(doc: Mapping[str, Any]) -> bytes:
    story = _Story(document_styles(body=(10, 13.5), small=(9, 11.5), h3=(10, 13), body_after=3,
                                   h2_before=9, h3_before=4), A4[0] - 36 * mm)
    _front_page(story, doc)
    _categories(story, doc["categories"])
    _consents(story, doc["consents"])
    _documents(story, doc["documents"])
    _requests(story, doc["rights_requests"])
    _retention_decisions(story, doc["retention_decisions"])
    _journal(story, doc["journal"]["entries"])
    if doc["categories_not_held"]:
        story.section("Catégories sans information vous concernant")
        story.text(", ".join(c["label"] for c in doc["categories_not_held"]) + ".")
    org, number = doc["organisation"], doc["dossier"]["number"]
    buffer = io.BytesIO()
    pdf = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=18 * mm, bottomMargin=18 * mm,
        title=f"{TITLE} — dossier {number}", author=org["name"] or "Sillage",
        subject="Droit d'accès et portabilité (RGPD art. 15 et 20)", lang="fr-FR", creator="Sillage",
    )
    pdf.build(story.flow, canvasmaker=numbered_canvas(f"Confidentiel — {org['name'] or 'Sillage'} — dossier {number}",
                                                        header_right="CONFIDENTIEL"))
    return buffer.getvalue()


class _Story:
    """The flowables of the document, its numbered sections and its tables drawn one way."""

    def __init__(self, styles: DocumentStyles, width: float) -> None:
        self.styles = styles
        self.width = width
        self.flow: list[Any] = []
        self.number = 0

    def heading(self, text: str) -> Paragraph:
        self.number += 1
        return Paragraph(esc(f"{self.number}. {text}"), self.styles.h2)

    def section(self, text: str) -> None:
        self.flow.append(self.heading(text))

    def text(self, text: str) -> None:
        self.flow.append(Paragraph(esc(text), self.styles.body))

    def table(self, rows: Sequence[Sequence[str]], widths: Sequence[float], header: Sequence[str] = ()) -> Table:
        cells = [[Paragraph(esc(h), self.styles.label) for h in header]] if header else []
        cells += [[Paragraph(esc(str(v)), self.styles.small) for v in row] for row in rows]
        table = Table(cells, colWidths=list(widths), repeatRows=1 if header else 0)
        table.setStyle(grid_style(self.styles.regular, 9, header_row=bool(header)))
        return table

    def tabled(self, title: str, rows: Sequence[Sequence[str]], widths: Sequence[float], header: Sequence[str],
               *, intro: str = "", empty: str = "") -> None:
        """A numbered section holding one table, or the sentence that says it is empty."""
        self.section(title)
        if intro:
            self.text(intro)
        if rows:
            self.flow.append(self.table(rows, widths, header))
        elif empty:
            self.text(empty)

    def pairs(self, values: Sequence[Mapping[str, Any]]) -> Table:
        return self.table([(v["label"], v["text"]) for v in values], (62 * mm, self.width - 62 * mm))


def _front_page(story: _Story, doc: Mapping[str, Any]) -> None:
    org, dossier = doc["organisation"], doc["dossier"]
    story.flow += [
        Paragraph(TITLE, story.styles.title),
        story.table([("Personne", _identity(doc)),
                     ("Dossier", f"{dossier['number']} — {dossier['status']['label']} — {dossier['unit']}"),
                     ("Organisme", ", ".join(x for x in (org["name"], org.get("address", "")) if x)),
                     ("Délégué à la protection des données", org.get("dpo_contact") or EMPTY),
                     ("Document établi le", date_time(doc["generated_at"]))], (62 * mm, story.width - 62 * mm)),
        Spacer(1, 3 * mm),
    ]
    story.text(
        "Ce document contient toutes les informations que l'organisme détient sur vous dans Sillage, "
        "catégorie par catégorie, ainsi que la liste des consultations et modifications de votre dossier "
        "enregistrées dans le journal des accès (conservé six mois). Le fichier JSON remis avec ce document "
        "contient les mêmes informations dans un format lisible par un ordinateur (droit à la portabilité) ; "
        "chaque valeur choisie dans une liste y figure avec son code et son libellé.")
    story.text(
        "Vous pouvez demander la rectification d'une information inexacte, l'effacement, la limitation, "
        "ou vous opposer au traitement en vous adressant à l'organisme ou à son délégué à la protection "
        "des données. Vous pouvez aussi adresser une réclamation à la CNIL (www.cnil.fr).")


def _categories(story: _Story, categories: Sequence[Mapping[str, Any]]) -> None:
    for category in categories:
        head = story.heading(category["label"])
        if not category["repeating"]:
            story.flow.append(KeepTogether([head, story.pairs(category["values"])]))
            continue
        flow: list[Any] = [head]
        for k, record in enumerate(reversed(category["records"]), start=1):
            caption = _day(record["date"]) if record.get("date") else f"n° {k}"
            block = [Paragraph(esc(f"{category['label']} — {caption}"), story.styles.h3)]
            block.append(story.pairs(record["values"]) if record["values"]
                         else Paragraph("Sans détail.", story.styles.small))
            flow.append(KeepTogether(block))
        story.flow.append(KeepTogether(flow[:2]))
        story.flow += flow[2:]


def _consents(story: _Story, consents: Sequence[Mapping[str, Any]]) -> None:
    story.tabled(
        "Consentements",
        [(c["type"]["label"], f"{c['given_by']} ({c['given_by_role']['label']})", c["form"]["label"],
          c["state"]["label"], _day(c["recorded_on"]), _day(c.get("withdrawn_on"))) for c in consents],
        (36 * mm, 44 * mm, 16 * mm, 18 * mm, 24 * mm, story.width - 138 * mm),
        ("Pour", "Donné par", "Forme", "État", "Date", "Retrait"), empty="Aucun consentement enregistré.")


def _documents(story: _Story, documents: Mapping[str, Any]) -> None:
    rows = [(_day(d["delivered_on"]), f"Notice d'information remise ({d['audience']['label']})",
             d["recipient"]) for d in documents["notices"]]
    rows += [(_day(c["sent_at"]), f"{c['kind']['label']} — {c['purpose']}", c["recipient"])
             for c in documents["communications"]]
    story.tabled("Documents remis et envoyés", rows, (24 * mm, story.width - 84 * mm, 60 * mm),
                 ("Date", "Document", "Destinataire"), empty="Aucun document remis ni envoyé.")


def _requests(story: _Story, requests: Sequence[Mapping[str, Any]]) -> None:
    story.tabled(
        "Vos demandes (registre des droits)",
        [(r["kind"]["label"], f"{r['requester']} ({r['requester_role']['label']})", _day(r["received_on"]),
          _day(r["due_on"]), r["status"]["label"], r.get("answer") or EMPTY) for r in requests],
        (24 * mm, 36 * mm, 24 * mm, 24 * mm, 22 * mm, story.width - 130 * mm),
        ("Demande", "Demandeur", "Reçue le", "Échéance", "État", "Réponse"),
        empty="Aucune demande enregistrée avant celle-ci.")


def _retention_decisions(story: _Story, decisions: Sequence[Mapping[str, Any]]) -> None:
    if decisions:  # the section only where there are some
        story.tabled(
            "Décisions sur la durée de conservation",
            [(_day(d["decided_at"]), d["kind"]["label"], d["reason"], _day(d.get("until_on"))) for d in decisions],
            (24 * mm, 40 * mm, story.width - 88 * mm, 24 * mm), ("Date", "Décision", "Motif", "Jusqu'au"))


def _journal(story: _Story, entries: Sequence[Mapping[str, Any]]) -> None:
    story.tabled(
        "Accès à votre dossier (journal des six derniers mois)",
        [(date_time(e["when"]), e["action"]["label"], e["data"]["label"], e["profile"]["label"]) for e in entries],
        (34 * mm, 36 * mm, story.width - 110 * mm, 40 * mm), ("Date", "Action", "Donnée", "Fonction"),
        intro="Chaque ligne est une consultation, une création, une modification ou un autre accès enregistré. "
              "Les personnes sont désignées par leur fonction.",
        empty="Aucun accès enregistré.")


def _identity(doc: Mapping[str, Any]) -> str:
    for category in doc["categories"]:
        if category["id"] == "identite":
            values = {v["field"]: v["text"] for v in category["values"]}
            name = " ".join(x for x in (values.get("prenoms"), values.get("nom")) if x)
            born = values.get("date_naissance")
            return f"{name}, né(e) le {born}" if born else name
    return EMPTY
