"""One row per dossier followed during a year, with only the coded values the anonymised
statistics count (R-8.4). Names and free text are never selected."""

from __future__ import annotations

from dataclasses import dataclass

from storage.connection import Connection


@dataclass(frozen=True)
class StatRow:
    birth_date: str | None
    sex: str | None
    measure_type: str | None
    opened_on: str
    closed_on: str | None
    school_level: str | None
    exit_reason: str | None


def rows_for_year(conn: Connection, year: int) -> list[StatRow]:
    start, end = f"{year:04d}-01-01", f"{year:04d}-12-31"
    sql = (
        "SELECT d.birth_date, "
        " (SELECT json_extract(v.value, '$') FROM field_values v WHERE v.dossier_id = d.id "
        "   AND v.category_id = 'identite' AND v.field_id = 'sexe'), "
        " (SELECT json_extract(rv.value, '$') FROM records r JOIN record_values rv ON rv.record_id = r.id "
        "   WHERE r.dossier_id = d.id AND r.category_id = 'mesures' AND rv.field_id = 'type_mesure' "
        "   AND (r.record_date IS NULL OR r.record_date <= ?) ORDER BY r.record_date DESC, r.id DESC LIMIT 1), "
        " d.opened_on, d.closed_on, "
        " (SELECT json_extract(v.value, '$') FROM field_values v WHERE v.dossier_id = d.id "
        "   AND v.category_id = 'scolarite' AND v.field_id = 'niveau'), "
        " CASE WHEN d.closed_on BETWEEN ? AND ? THEN d.status_reason END "
        "FROM dossiers d WHERE d.opened_on <= ? AND (d.closed_on IS NULL OR d.closed_on >= ?) "
        "AND d.status <> 'archive'"
    )
    return [StatRow(*r) for r in conn.execute(sql, (end, start, end, end, start))]
