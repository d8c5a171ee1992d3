"""Information notices parsed back from the real PDFs (R-8.1): embedded fonts, language tag,
mandatory items, sentence lengths, page limits, a pictogram beside every heading."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.dossiers.service import DossierService
from app.errors import PermissionRefused, ValidationError
from app.journal.events import Action
from app.notices.audiences import RULES, NoticeAudience
from app.notices.readability import count_words, measure, split_sentences
from app.notices.service import NoticeService
from app.notices.texts import available_languages, load_text
from app.organisation import OrganisationProfile, OrganisationService
from app.session import Session
from tests.conftest import WorkspaceHandle
from tests.reports.pdf_inspect import Pdf, Run
from tests.store_access import store_of

ORG = OrganisationProfile(
    name="MECS Les Tilleuls",
    address="12 rue des Lilas, 69003 Lyon",
    controller="la directrice, Claire Martin",
    dpo_contact="dpo@tilleuls.example ou 04 72 00 00 00",
    public_service_body=False,
    recipients=("le service d'aide sociale à l'enfance du département", "le médecin de l'enfant"),
    retention_years=2,
)

# What every notice must say, as a reader would find it in the text, per language.
MANDATORY: dict[str, dict[str, list[str]]] = {
    "fr": {
        "finalites": [r"aide|accompagn"],
        "donnees": [r"santé", r"école|scolarit|formation"],
        "sources": [r"famille", r"juge des enfants", r"aide sociale à l'enfance"],
        "destinataires": [r"juge des enfants"],
        "droits": [r"voir|accéder", r"corrig|rectifi", r"effac", r"limit", r"pas d'accord|opposer|dire non",
                   r"emporter", r"changer d'avis|retirer"],
        "exercice": [r"parle|adressez|écrire|contacter"],
        "reclamation": [r"CNIL", r"plaindre|réclamation"],
        "decision_automatisee": [r"ordinateur|automati"],
        "transfert": [r"Union européenne"],
        "accuse": [r"J'ai reçu et compris"],
        "pages": [r"page 1 sur \d"],
    },
    "en": {
        "finalites": [r"help|support"],
        "donnees": [r"health", r"school|education|training"],
        "sources": [r"family", r"children's judge|youth judge", r"child welfare"],
        "destinataires": [r"children's judge|youth judge"],
        "droits": [r"see|access", r"correct", r"delete|erase", r"limit", r"object|say no|disagree",
                   r"take away|elsewhere|portab", r"change your mind|withdraw"],
        "exercice": [r"talk|speak|write|contact"],
        "reclamation": [r"CNIL", r"complain"],
        "decision_automatisee": [r"computer|automat"],
        "transfert": [r"European Union"],
        "accuse": [r"I have received and understood"],
        "pages": [r"page 1 of \d"],
    },
}
LANG_TAGS = {"fr": "fr-FR", "en": "en-GB"}
EMBEDDED_FONTS = {"DejaVuSans", "DejaVuSans-Bold", "MaterialIcons-Regular"}
VARIANTS = [(a, lang) for lang in ("fr", "en") for a in NoticeAudience]


@pytest.fixture
def session(ws: WorkspaceHandle) -> Iterator[Session]:
    s = ws.login()
    OrganisationService(s).update(ORG)
    yield s
    s.close()


@pytest.fixture
def dossier(session: Session) -> int:
    return DossierService(session).create_dossier(last_name="Morel", first_names="Noé",
                                                  birth_date="2016-05-05", unit_id=1)


def body_sentences(runs: list[Run]) -> list[str]:
    """Sentences of the notice as printed: headings (bold) stand alone, body text (regular, 14 pt
    and more) is split by our French splitter, the footer (small print) and pictograms are left out."""
    segments: list[tuple[str, list[str]]] = []
    for run in runs:
        if run.font.startswith("MaterialIcons") or run.size < 12:
            continue
        kind = "heading" if run.font.endswith("Bold") else "body"
        if segments and segments[-1][0] == kind:
            segments[-1][1].append(run.text)
        else:
            segments.append((kind, [run.text]))
    sentences: list[str] = []
    for kind, texts in segments:
        if kind == "heading":
            sentences += [t for t in texts if t]
        else:
            sentences += split_sentences(" ".join(texts))
    return sentences


@pytest.mark.parametrize(("audience", "lang"), VARIANTS, ids=[f"{a.value}-{lang}" for a, lang in VARIANTS])
def test_r8_1_every_notice_variant_read_back(session: Session, dossier: int, audience: NoticeAudience,
                                             lang: str) -> None:
    """R-8.1: fonts embedded, language and metadata set, mandatory items, limits of the audience."""
    notice = NoticeService(session).generate(dossier, audience, lang)
    pdf = Pdf.parse(notice.pdf)
    rules = RULES[audience]

    fonts = pdf.fonts()
    assert set(fonts) == EMBEDDED_FONTS, fonts  # no Helvetica, no italic face
    assert all(fonts.values()), fonts
    assert pdf.lang == LANG_TAGS[lang]
    assert pdf.metadata["/Author"] == ORG.name
    assert ORG.name in pdf.metadata["/Title"]
    assert 1 <= pdf.pages <= rules.maximum_pages
    assert notice.pages == pdf.pages

    text = re.sub(r"\s+", " ", pdf.text())
    for value in (ORG.name, ORG.address, ORG.dpo_contact, f"{ORG.retention_years} "):
        assert value in text, value
    assert ORG.controller in text or audience is NoticeAudience.ENFANT_6_9 and "Claire Martin" in text
    for recipient in ORG.recipients:
        assert recipient in text, recipient
    for item, patterns in MANDATORY[lang].items():
        for pattern in patterns:
            assert re.search(pattern, text, re.IGNORECASE), f"{item}: {pattern}"
    # Easy-to-read rules: no semicolon, no percentage, no "etc."
    assert ";" not in text and "%" not in text and "etc" not in text.lower()

    runs = pdf.runs()
    body = [r for r in runs if not r.font.startswith("MaterialIcons") and r.y > 40]
    assert min(r.size for r in body) >= 14, "body text is 14 pt at least"

    sentences = body_sentences(runs)
    counts = [count_words(s) for s in sentences]
    average = sum(counts) / len(counts)
    longest = max(sentences, key=count_words)
    assert average <= rules.average_words, (average, audience)
    assert max(counts) <= rules.maximum_words, longest

    # A pictogram to the left of every section heading (the title is not a section).
    headings = [r for r in runs if r.font.endswith("Bold") and r.size < 20]
    icons = [r for r in runs if r.font.startswith("MaterialIcons")]
    assert len(headings) >= 7
    for heading in headings:
        assert any(i.page == heading.page and abs(i.y - heading.y) < 10 and i.x < heading.x for i in icons), \
            heading.text


def test_r8_1_legal_basis_follows_the_organisation_status(session: Session) -> None:
    private = Pdf.parse(NoticeService(session).render(NoticeAudience.JEUNE_MAJEUR).pdf).text()
    OrganisationService(session).update(OrganisationProfile(**{**ORG.__dict__, "public_service_body": True}))
    public = Pdf.parse(NoticeService(session).render(NoticeAudience.JEUNE_MAJEUR).pdf).text()
    flat = [re.sub(r"\s+", " ", t) for t in (private, public)]
    assert "intérêt légitime" in flat[0] and "mission d'intérêt public" not in flat[0]
    assert "mission d'intérêt public" in flat[1] and "intérêt légitime" not in flat[1]


def test_r8_1_notice_print_is_journaled_and_refused_without_the_right(
        ws: WorkspaceHandle, session: Session, dossier: int) -> None:
    before = store_of(session).journal.head()[0]
    NoticeService(session).generate(dossier, "enfant-10-12", "fr")
    entries = [e for e in store_of(session).journal.iter_entries() if e.seq > before]
    assert [(e.action, e.target, e.dossier_id) for e in entries] == [(Action.IMPRESSION.value, "notice", dossier)]
    assert "enfant-10-12" in entries[0].detail

    from app.auth.service import AccountService

    AccountService(session).create_user(login="tech", display_name="Tech", profile="admin_technique",
                                        units=[], password="Bleu-Chat-Orage-91!")
    tech = ws.workspace.login("tech", "Bleu-Chat-Orage-91!")
    with pytest.raises(PermissionRefused):
        NoticeService(tech).generate(dossier, "falc", "fr")
    tech.close()


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("audience", list(NoticeAudience))
def test_r8_1_texts_are_one_sentence_per_line_and_explain_acronyms(audience: NoticeAudience, lang: str) -> None:
    text = load_text(audience, lang)
    lines = [*text.intro, *[line for s in text.sections for line in s[3]], *text.ack_lines]
    for line in lines:
        if line == "{recipients}":
            continue
        assert len(split_sentences(line.lstrip("- "))) == 1, line
    everything = " ".join([text.title, *lines, *(s[2] for s in text.sections)])
    for acronym in set(re.findall(r"\b[A-Z]{2,}\b", everything)):
        assert acronym in text.glossary, acronym
        assert text.glossary[acronym] in everything or f"({text.glossary[acronym]})" in everything, acronym
    assert lang in available_languages()


@pytest.mark.parametrize(("text", "expected"), [
    ("Bonjour M. Dupont. Ça va ? Oui !", ["Bonjour M. Dupont.", "Ça va ?", "Oui !"]),
    ("Écris à dpo@x.fr ou au 04 72. Prix : 2,5 euros.", ["Écris à dpo@x.fr ou au 04 72.", "Prix : 2,5 euros."]),
    ("Tu as le droit de : • voir. • corriger.", ["Tu as le droit de :", "voir.", "corriger."]),
    ("« Oui », dit-il. Puis il part… Fin", ["« Oui », dit-il.", "Puis il part…", "Fin"]),
    ("Date : Signature :", ["Date :", "Signature :"]),
    ("Il a 3 ans. 2 ans plus tard, il part.", ["Il a 3 ans.", "2 ans plus tard, il part."]),
])
def test_r8_1_french_sentence_splitter(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def test_r8_1_word_count_and_measure() -> None:
    assert count_words("C'est l'enfant, c'est-à-dire toi.") == 4
    assert count_words("Écris à dpo@tilleuls.example ou au 04 72 00.") == 8
    r = measure("Un deux trois. Un deux trois quatre cinq.")
    assert (r.average, r.maximum, r.longest) == (4.0, 5, "Un deux trois quatre cinq.")


def test_r8_2_delivery_record_and_flag(session: Session, dossier: int, tmp_path: Path) -> None:
    import datetime as dt

    from app.communications import CommunicationsService
    from app.exports import ExportRequest
    from app.notices.service import PURPOSE

    other = DossierService(session).create_dossier(last_name="Petit", first_names="Lou", birth_date="2010-01-01",
                                                   unit_id=1)
    service = NoticeService(session)
    assert service.without_notice([dossier, other]) == {dossier, other}
    service.save(dossier, "ado-13-15", "fr", tmp_path / "notice.pdf", ExportRequest("Noé Morel", PURPOSE))
    assert service.without_notice([dossier, other]) == {dossier, other}  # printed is not given
    service.record_delivery(dossier, "ado-13-15", "fr", recipient="Noé Morel", delivered_on=dt.date(2026, 11, 20))
    assert service.without_notice([dossier, other]) == {other}
    (delivery,) = service.deliveries(dossier)
    assert (delivery.audience, delivery.text_version, delivery.delivered_on, delivery.recipient, delivery.delivered_by) \
        == (NoticeAudience.ADO_13_15, "2026.1", dt.date(2026, 11, 20), "Noé Morel", "Claire Martin")
    (printed,) = CommunicationsService(session).for_dossier(dossier)
    assert printed.kind_label == "Notice d'information" and printed.recipient == "Noé Morel"
    store_of(session).journal.flush()
    actions = [(e.action, e.target) for e in store_of(session).journal.iter_entries() if e.dossier_id == dossier]
    assert (Action.IMPRESSION.value, "notice") in actions and (Action.CREATION.value, "remise_notice") in actions
    with pytest.raises(ValidationError):
        service.record_delivery(dossier, "falc", "fr", recipient="X", delivered_on=dt.date(2026, 12, 25))
    with pytest.raises(ValidationError):
        service.record_delivery(dossier, "falc", "fr", recipient="  ")
