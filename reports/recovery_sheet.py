"""« Feuille de secours »: the recovery key on paper, with where to keep it and how to use it (R-2.3)."""

from __future__ import annotations

import datetime as dt
import io

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from reports.fonts import register_fonts
from reports.french import short_date
from reports.pages import admin_canvas, esc


def render_recovery_sheet(key: str, *, org_name: str, created: dt.date) -> bytes:
    regular, bold = register_fonts()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm,
                            topMargin=20 * mm, bottomMargin=20 * mm, title="Feuille de secours Sillage",
                            author=org_name, lang="fr-FR")
    title = ParagraphStyle("t", fontName=bold, fontSize=18, leading=23)
    body = ParagraphStyle("b", fontName=regular, fontSize=12, leading=17)
    keystyle = ParagraphStyle("k", fontName=bold, fontSize=17, leading=26)
    groups = key.split("-")
    lines = [" ".join(groups[i:i + 4]) for i in range(0, len(groups), 4)]
    story = [
        Paragraph(f"Feuille de secours — {esc(org_name)}", title),
        Spacer(1, 4 * mm),
        Paragraph(f"Clé de secours de l'espace de travail Sillage, créée le {short_date(created)}.", body),
        Spacer(1, 6 * mm),
        *[Paragraph(esc(line), keystyle) for line in lines],
        Spacer(1, 8 * mm),
        Paragraph("<b>À quoi sert-elle ?</b> Elle ouvre toutes les données de l'organisme, même si "
                  "tous les mots de passe sont perdus, et même sans Sillage (avec un outil SQLCipher "
                  "standard : « sillage recovery hex » donne la clé brute).", body),
        Spacer(1, 3 * mm),
        Paragraph("<b>Où la ranger ?</b> Dans un coffre ou une armoire fermée à clé, hors du poste "
                  "informatique, connue de la direction seulement. Ne la photographiez pas, ne "
                  "l'envoyez pas par courriel.", body),
        Spacer(1, 3 * mm),
        Paragraph("<b>Comment s'en servir ?</b> Si tous les mots de passe de la direction sont perdus, "
                  "la commande « sillage recovery new-director » recrée un compte de direction avec "
                  "cette clé. Les caractères O et 0, I, L et 1 sont équivalents ; les tirets et "
                  "espaces sont ignorés.", body),
    ]
    doc.build(story, canvasmaker=admin_canvas("Sillage — feuille de secours — CONFIDENTIEL"))
    return buffer.getvalue()
