"""What the organisation holds about one person, as the document of the access / portability
export (R-7.2; GDPR art. 15 and 20).

One plain structure, described by ``resources/schemas/export-personne.schema.json``, is built
here; the JSON file is this structure and the PDF is a rendering of it, so both always say the
same thing. Every coded value carries its code *and* its French label. Staff members are named
by their profile only (the person learns who, in function, accessed the dossier and when; the
names of employees are not part of the right of access, CJEU C-579/21).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any
from zoneinfo import ZoneInfo

from app.catalogue import Catalogue
from app.catalogue.display import YESNO, YESNOUNKNOWN, display_value
from app.catalogue.model import Category, Field, FieldType
from app.dossiers.model import IDENTITY_COLUMNS, ConsentState, DossierHeader
from app.journal.events import ACTION_LABELS, Action
from app.rights.model import RequesterRole, RequestKind, RequestStatus
from storage import category_values as values_repo
from storage import documents as documents_repo
from storage import records as records_repo
from storage import retention as retention_repo
from storage import rights as rights_repo
from storage.connection import Connection
from storage.journal import StoredEntry, from_micros

SCHEMA_ID = "urn:sillage:schema:export-personne:1"
FORMAT = "sillage-export-personne"
VERSION = 1
PARIS = ZoneInfo("Europe/Paris")

Coded = dict[str, str]

CONSENT_ROLES = {"jeune": "La personne elle-même", "representant_legal": "Représentant légal"}
CONSENT_FORMS = {"ecrit": "Écrit", "oral": "Oral"}
COMMUNICATION_KINDS = {"rapport_juge": "Rapport au juge", "statistiques": "Statistiques",
                       "notice": "Notice d'information"}


def coded(code: str, label: str) -> Coded:
    return {"code": code, "label": label}


def _codes(catalogue: Catalogue, f: Field, value: Any) -> list[Coded] | None:
    """The code/label pairs of a value from a list (None for the other types)."""
    if f.type.has_vocabulary and f.vocabulary:
        vocabulary = catalogue.vocabulary(f.vocabulary)
        items = value if isinstance(value, list) else [value]
        return [coded(str(c), vocabulary.label(str(c))) for c in items]
    if f.type in (FieldType.YESNO, FieldType.YESNOUNKNOWN):
        labels = dict(YESNO if f.type is FieldType.YESNO else YESNOUNKNOWN)
        return [coded(str(value), labels.get(str(value), str(value)))]
    return None


def field_values(catalogue: Catalogue, category: Category, values: Mapping[str, Any],
                 units: Mapping[int, str]) -> list[dict[str, Any]]:
    """Every stored field of one category or record, in the catalogue's order."""
    out: list[dict[str, Any]] = []
    known = {f.id for f in category.fields}
    for f in category.fields:
        value = values.get(f.id)
        if value is None or value == "" or value == []:
            continue
        item: dict[str, Any] = {"field": f.id, "label": f.label, "type": f.type.value, "value": value,
                                "text": display_value(catalogue, f, value, units)}
        codes = _codes(catalogue, f, value)
        if codes is not None:
            item["codes"] = codes
        out.append(item)
    for field_id in sorted(set(values) - known):  # a value the catalogue no longer describes
        value = values[field_id]
        out.append({"field": field_id, "label": field_id, "type": "inconnu", "value": value, "text": str(value)})
    return out


def used_vocabularies(catalogue: Catalogue, categories: Sequence[Category]) -> dict[str, Any]:
    """The full lists (codes, labels, retired items) behind every list field exported."""
    wanted = sorted({f.vocabulary for c in categories for f in c.fields if f.vocabulary})
    out: dict[str, Any] = {}
    for vid in wanted:
        vocabulary = catalogue.vocabulary(vid)
        out[vid] = {"title": vocabulary.title, "source": vocabulary.source,
                    "items": [{"code": i.code, "label": i.label, "retired": i.retired} for i in vocabulary.items]}
    return out


def _when(ts: int) -> str:
    return from_micros(ts).astimezone(PARIS).isoformat(timespec="seconds")


def _profile(code: str) -> Coded:
    from app.auth.profiles import Profile

    try:
        return coded(code, Profile(code).label)
    except ValueError:
        return coded(code or "", code or "Système")


def journal_entries(entries: Sequence[StoredEntry], target_labels: Mapping[str, str]) -> list[dict[str, Any]]:
    out = []
    for e in entries:
        try:
            action_label = ACTION_LABELS[Action(e.action)]
        except ValueError:
            action_label = e.action
        out.append({"when": _when(e.ts), "action": coded(e.action, action_label),
                    "data": coded(e.target, target_labels.get(e.target, e.target)),
                    "profile": _profile(e.profile), "detail": e.detail})
    return out


def _enum_coded(enum: Any, value: str) -> Coded:
    try:
        return coded(value, enum(value).label)
    except ValueError:
        return coded(value, value)


def collect(conn: Connection, catalogue: Catalogue, header: DossierHeader, *, categories: Sequence[Category],
            identity_columns: Mapping[str, Any], units: Mapping[int, str], consents: Sequence[Any],
            journal: Sequence[StoredEntry], target_labels: Mapping[str, str], organisation: Mapping[str, str],
            generated_at: dt.datetime) -> dict[str, Any]:
    """The export document. ``categories`` are those the caller may read (checked by the service)."""
    held, not_held = held_categories(conn, catalogue, header.id, categories, identity_columns, units)
    return {
        "$schema": SCHEMA_ID,
        "format": FORMAT,
        "version": VERSION,
        "generated_at": generated_at.astimezone(PARIS).isoformat(timespec="seconds"),
        "organisation": dict(organisation),
        "dossier": {
            "number": header.number, "status": coded(header.status.value, header.status.label),
            "unit": header.unit_name, "opened_on": header.opened_on, "closed_on": header.closed_on,
            "last_contact_on": header.last_contact_on,
        },
        "categories": held,
        "categories_not_held": not_held,
        "consents": consent_records(catalogue, consents),
        "documents": documents(conn, header.id),
        "rights_requests": rights_requests(conn, header.id),
        "retention_decisions": [{
            "kind": _decision_kind(d.kind), "reason": d.reason, "until_on": d.until_on,
            "decided_at": d.decided_at, "settled_at": d.settled_at,
        } for d in retention_repo.decisions_of(conn, header.id)],
        "journal": {"kept_months": 6, "entries": journal_entries(journal, target_labels)},
        "vocabularies": used_vocabularies(catalogue, [catalogue.category(block["id"]) for block in held]),
    }


def held_categories(conn: Connection, catalogue: Catalogue, dossier_id: int, categories: Sequence[Category],
                    identity_columns: Mapping[str, Any], units: Mapping[int, str],
                    ) -> tuple[list[dict[str, Any]], list[Coded]]:
    """(a block for each category holding a value or an entry, those holding nothing)."""
    held: list[dict[str, Any]] = []
    not_held: list[Coded] = []
    for category in categories:
        block: dict[str, Any] = {"id": category.id, "label": category.label, "sensitive": category.sensitive,
                                 "repeating": category.repeating}
        if category.repeating:
            records = records_repo.list_records(conn, dossier_id, category.id)
            block["records"] = [{"id": r.id, "date": r.record_date, "deadline": r.deadline,
                                 "recorded_at": r.created_at,
                                 "values": field_values(catalogue, category, r.values, units)} for r in records]
            present = bool(records)
        else:
            values = values_repo.category_values(conn, dossier_id, category.id)
            if category.id == "identite":
                values.update(identity_columns)
            block["values"] = field_values(catalogue, category, values, units)
            present = bool(block["values"])
        if present:
            held.append(block)
        else:
            not_held.append(coded(category.id, category.label))
    return held, not_held


def consent_records(catalogue: Catalogue, consents: Sequence[Any]) -> list[dict[str, Any]]:
    labels = {c.consent: c.label for c in catalogue.categories if c.consent}
    return [{
        "type": coded(c.consent_type, labels.get(c.consent_type, c.consent_type)),
        "given_by": c.given_by,
        "given_by_role": coded(c.given_by_role, CONSENT_ROLES.get(c.given_by_role, c.given_by_role)),
        "form": coded(c.form, CONSENT_FORMS.get(c.form, c.form)), "scope": c.scope,
        "state": coded(c.state.value, ConsentState(c.state).label), "recorded_on": c.recorded_on,
        "withdrawn_on": c.withdrawn_on,
    } for c in consents]


def documents(conn: Connection, dossier_id: int) -> dict[str, Any]:
    """The notices delivered and the communications sent about the dossier."""
    return {
        "notices": [{
            "audience": _audience(d.audience), "lang": d.lang, "text_version": d.text_version,
            "delivered_on": d.delivered_on, "recipient": d.recipient,
        } for d in documents_repo.list_deliveries(conn, dossier_id)],
        "communications": [{
            "kind": coded(c.kind, COMMUNICATION_KINDS.get(c.kind, c.kind)), "recipient": c.recipient,
            "purpose": c.purpose, "sections": list(c.sections), "encrypted": c.encrypted, "sent_at": c.sent_at,
        } for c in documents_repo.list_communications(conn, dossier_id=dossier_id)],
    }


def rights_requests(conn: Connection, dossier_id: int) -> list[dict[str, Any]]:
    """The register entries of the dossier (read again once the export has answered its own)."""
    return [{
        "id": r.id, "kind": _enum_coded(RequestKind, r.kind), "requester": r.requester,
        "requester_role": _enum_coded(RequesterRole, r.requester_role), "received_on": r.received_on,
        "due_on": r.due_on, "extension_reason": r.extension_reason,
        "status": _enum_coded(RequestStatus, r.status), "answered_on": r.answered_on, "answer": r.answer,
    } for r in rights_repo.requests_of(conn, dossier_id)]


def sensitive_reads(catalogue: Catalogue, held: Sequence[Mapping[str, Any]]) -> list[tuple[str, str]]:
    """What the export reads that is masked on screen (R-4.8): every sensitive category it holds,
    and each sensitive field of an ordinary category (the NIR, the IBAN) that has a value —
    as (category id, field id or "") pairs, each to be journaled as a consultation."""
    reads: list[tuple[str, str]] = []
    for block in held:
        category = catalogue.category(block["id"])
        if category.sensitive:
            reads.append((category.id, ""))
            continue
        values = block.get("values") or [v for r in block.get("records", []) for v in r["values"]]
        filled = {v["field"] for v in values}
        reads += [(category.id, f.id) for f in category.fields if f.sensitive and f.id in filled]
    return reads


def identity_columns(header: DossierHeader) -> dict[str, Any]:
    return {IDENTITY_COLUMNS["last_name"]: header.last_name, IDENTITY_COLUMNS["first_names"]: header.first_names,
            IDENTITY_COLUMNS["birth_date"]: header.birth_date}


def _audience(code: str) -> Coded:
    from app.notices.audiences import RULES, NoticeAudience

    try:
        return coded(code, RULES[NoticeAudience(code)].label)
    except (ValueError, KeyError):
        return coded(code, code)


def _decision_kind(code: str) -> Coded:
    from app.retention.model import DecisionKind

    return _enum_coded(DecisionKind, code)
