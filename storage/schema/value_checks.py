"""The stored form of each catalogue field type, checked by the database itself (R-4.2).

One SQL condition per field type over the JSON text ``NEW.value``; the triggers of
``field_values`` and ``record_values`` are generated from them, so a type is declared here
once, beside the Python validator's registry (``app/catalogue/field_types.py``; a test checks
that both name the same types). The NIR structure below is read by that validator too, so
that the application and the database accept and refuse the same numbers.
"""

from __future__ import annotations

from storage.connection import Connection

#: the first digit of a NIR: 1 man, 2 woman; 7 and 8 for a temporary number (NIA)
NIR_SEX_DIGITS = "1278"
#: the department codes of Corsica in a NIR, and the digits they stand for in its key
NIR_CORSICA = (("2A", "19"), ("2B", "18"))
#: 13 characters and a key of 2 digits
NIR_LENGTH = 15

_VALUE = "json_extract(NEW.value, '$')"
_IS_TEXT = "json_type(NEW.value) = 'text'"
#: the types whose form the database leaves to the application's validator
_ANY_JSON = "json_type(NEW.value) IN ('text', 'integer', 'array')"


def _in_vocabulary(code: str) -> str:
    return (
        "SELECT 1 FROM catalogue_fields f JOIN vocabulary_items v ON v.vocabulary_id = f.vocabulary "
        f"WHERE f.category_id = NEW.category_id AND f.field_id = NEW.field_id AND v.code = {code}"
    )


def _text_glob(pattern: str) -> str:
    return f"{_IS_TEXT} AND {_VALUE} GLOB '{pattern}'"


def _nir() -> str:
    """Sex digit, year, month, department (two digits, or 2A / 2B), commune, order number,
    and the key: 97 - (the 13 first characters, Corsica's letters read as digits) mod 97."""
    department = f"substr({_VALUE}, 6, 2)"
    number = f"substr({_VALUE}, 1, 13)"
    for letters, digits in NIR_CORSICA:
        number = f"replace({number}, '{letters}', '{digits}')"
    corsica = ", ".join(f"'{letters}'" for letters, _ in NIR_CORSICA)
    shape = f"[{NIR_SEX_DIGITS}]" + "[0-9]" * 4 + "??" + "[0-9]" * (NIR_LENGTH - 7)
    return (
        f"{_text_glob(shape)} AND ({department} GLOB '[0-9][0-9]' OR {department} IN ({corsica})) "
        f"AND CAST(substr({_VALUE}, 14, 2) AS INTEGER) = 97 - CAST({number} AS INTEGER) % 97"
    )


#: field type -> the condition its stored JSON value must meet
CHECKS: dict[str, str] = {
    "choice": f"{_IS_TEXT} AND EXISTS ({_in_vocabulary(_VALUE)})",
    "multi": (f"json_type(NEW.value) = 'array' AND NOT EXISTS (SELECT 1 FROM json_each(NEW.value) j "
              f"WHERE NOT EXISTS ({_in_vocabulary('j.value')}))"),
    "yesno": f"{_IS_TEXT} AND {_VALUE} IN ('oui', 'non')",
    "yesnounknown": f"{_IS_TEXT} AND {_VALUE} IN ('oui', 'non', 'inconnu')",
    "number": "json_type(NEW.value) = 'integer'",
    "date": _text_glob("[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]"),
    "month": _text_glob("[0-9][0-9][0-9][0-9]-[0-9][0-9]"),
    "nir": _nir(),
    "text": _ANY_JSON,
    "note": _ANY_JSON,
    "iban": _ANY_JSON,
    "email": _ANY_JSON,
    "phone": _ANY_JSON,
    "ref_contact": _ANY_JSON,
    "ref_unit": _ANY_JSON,
}

VALUE_TABLES = ("field_values", "record_values")
REFUSAL = "Sillage: valeur refusée par le catalogue"


def trigger_sql(table: str, event: str) -> str:
    """The trigger that refuses, on ``event`` (INSERT or UPDATE), a value of ``table`` that
    does not have the stored form of its field's type."""
    cases = "\n".join(f"    WHEN '{ftype}' THEN {check}" for ftype, check in CHECKS.items())
    return (
        f"CREATE TRIGGER {table}_check_{event.lower()} BEFORE {event} ON {table}\n"
        "WHEN NOT (\n"
        "    CASE (SELECT type FROM catalogue_fields "
        "WHERE category_id = NEW.category_id AND field_id = NEW.field_id)\n"
        f"{cases}\n"
        f"    ELSE {_ANY_JSON}\n"
        "    END)\n"
        "BEGIN\n"
        f"    SELECT RAISE(ABORT, '{REFUSAL}');\n"
        "END"
    )


def install_value_checks(conn: Connection) -> None:
    """(Re)create the four triggers, inside the caller's transaction."""
    for table in VALUE_TABLES:
        for event in ("INSERT", "UPDATE"):
            conn.execute(f"DROP TRIGGER IF EXISTS {table}_check_{event.lower()}")
            conn.execute(trigger_sql(table, event))
