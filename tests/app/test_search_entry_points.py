"""No search, filter, sort, list or export accepts a sensitive field (R-4.7)."""

from __future__ import annotations

import dataclasses
import inspect

from app.catalogue import load_catalogue
from app.dossiers import search
from app.dossiers.listing import YouthListing
from app.dossiers.model import DossierHeader, DossierStatus
from app.dossiers.search import FILTER_FIELDS, SEARCH_FIELDS, SORT_FIELDS, YouthIndex, YouthListRow
from storage.dossiers import DossierRow
from ui.models.youth_model import COLUMNS

#: every column of a list row comes from these non-sensitive sources
ALLOWED_SOURCES = {
    "id", "number", "last_name", "first_names", "age", "unit_id", "unit", "measure",
    "next_deadline", "last_contact_on", "status", "status_label", "deadline_state", "key",
    "number_key",
    "birth_date", "unit_name", "referent_id", "status_reason", "opened_on", "closed_on",
    "measure_type",
}


def sensitive_field_ids() -> set[str]:
    catalogue = load_catalogue()
    ids = set()
    for category in catalogue.categories:
        for field in category.fields:
            if category.sensitive or field.sensitive:
                ids.add(field.id)
                ids.add(f"{category.id}.{field.id}")
        if category.sensitive:
            ids.add(category.id)
    return ids


def test_search_filter_and_sort_criteria_are_not_sensitive() -> None:
    sensitive = sensitive_field_ids()
    assert sensitive, "the catalogue declares sensitive data"
    for criterion in (*SEARCH_FIELDS, *FILTER_FIELDS, *SORT_FIELDS):
        assert criterion not in sensitive
        assert criterion in ALLOWED_SOURCES or criterion == "deadline_within_days"
    assert set(SEARCH_FIELDS) == {"last_name", "first_names", "number"}


def test_list_rows_and_list_columns_hold_no_sensitive_value() -> None:
    for cls in (YouthListRow, DossierHeader, DossierRow):
        names = {f.name for f in dataclasses.fields(cls)}
        assert names <= ALLOWED_SOURCES, names - ALLOWED_SOURCES
    assert {key for key, _ in COLUMNS} <= ALLOWED_SOURCES


def test_filter_entry_point_accepts_only_the_declared_criteria() -> None:
    params = set(inspect.signature(YouthIndex.filter).parameters) - {"self", "query", "today"}
    assert params == set(FILTER_FIELDS)
    params = set(inspect.signature(YouthListing.filter).parameters) - {"self", "query"}
    assert params == set(FILTER_FIELDS)


def test_search_matches_only_name_first_name_and_number() -> None:
    row = search.to_list_rows([DossierHeader(
        id=1, number="D26-00042", last_name="Lefèvre", first_names="Éloïse", birth_date="2011-02-14",
        unit_id=1, unit_name="Les Lilas", referent_id=None, status=DossierStatus.ACTIVE,
        opened_on="2026-01-01", closed_on=None, last_contact_on=None, next_deadline=None,
        measure_type="aemo")], __import__("datetime").date(2026, 11, 23), {"aemo": "AEMO"})
    index = YouthIndex(row)
    assert index.filter("lefevre eloise")
    assert index.filter("d26-00042")
    assert not index.filter("aemo")      # the measure is shown, not searchable
    assert not index.filter("lilas")     # units are a filter, not a search term
    assert not index.filter("2011")      # nor the birth date
    assert index.filter("00042") and index.filter("26-00")
    assert not index.filter("d")         # a letter of the number is not a name (issue 16)


def test_cli_dossier_list_columns_are_the_contract() -> None:
    from cli import dossiers

    assert dossiers.DOSSIER_COLUMNS == ["id", "number", "unit", "status", "last_contact"]
    assert "DOSSIER_COLUMNS" in inspect.getsource(dossiers.cmd_dossier)


def test_a_closed_or_archived_dossier_is_never_shown_overdue() -> None:
    """Issue 15: red « dépassée » only where someone has to act — not on a closed dossier."""
    import datetime as dt

    def row(status: str) -> DossierHeader:
        return DossierHeader(
            id=1, number="D26-00042", last_name="Lefèvre", first_names="Éloïse", birth_date="2011-02-14",
            unit_id=1, unit_name="Les Lilas", referent_id=None, status=DossierStatus(status),
            opened_on="2024-01-01", closed_on=None, last_contact_on=None, next_deadline="2025-06-30",
            measure_type="aemo")

    today = dt.date(2026, 11, 23)
    states = {s: search.to_list_rows([row(s)], today, {})[0].deadline_state
              for s in ("active", "restricted", "closed", "archive", "legal_hold")}
    assert states == {"active": "overdue", "restricted": "overdue", "closed": "", "archive": "", "legal_hold": ""}
