"""Property-based tests: whatever is typed or passed in, validation either normalises the value
or refuses it with a ValidationError — never another exception (R-4.2, R-4.3)."""

from __future__ import annotations

import datetime as dt
import string
import unicodedata

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from app.catalogue import Category, Field, FieldType, iban_is_valid, load_catalogue
from app.catalogue.validation import strip_invisible
from app.errors import ValidationError

CAT = load_catalogue()
ALL_FIELDS = [(c, f) for c in CAT.categories for f in c.fields]
TEXT_FIELDS = [(c, f) for c, f in ALL_FIELDS if f.is_free_text]
LIST_FIELDS = [(c, f) for c, f in ALL_FIELDS if f.type in (FieldType.CHOICE, FieldType.MULTI)]
CLOSED_FIELDS = [(c, f) for c, f in ALL_FIELDS if not f.is_free_text]

ODD_TEXT = st.one_of(
    st.text(max_size=600),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=50),
    st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x3F), max_size=30),
    st.sampled_from([
        "\x00", "a\x00b", "مرحبا", "مرحبا بالعالم", "שלום עולם", "😀" * 120, "👩‍👧‍👦 famille",
        "'; DROP TABLE x;--", "Robert'); DROP TABLE dossiers;--", "ligne 1\nligne 2",
        "x" * 10_000, "\u202eRTL override", "\ud800", "e\u0301" * 60, "\ufeffBOM", "\x1b[31m",
        "tab\there", "nel\x85", "\u2028", " ", "",
    ]),
)
ANY_OBJECT = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=40),
    st.binary(max_size=20), st.dates(), st.datetimes(),
    st.lists(st.one_of(st.text(max_size=8), st.integers(), st.none()), max_size=5),
    st.sets(st.text(max_size=5), max_size=3), st.tuples(st.integers()),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    st.builds(object),
)


def allowed_controls(field: Field) -> set[str]:
    return {"\n", "\t"} if field.type is FieldType.NOTE else set()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=ODD_TEXT, index=st.integers(min_value=0, max_value=len(TEXT_FIELDS) - 1))
@example(value="'; DROP TABLE x;--", index=0)
@example(value="مرحبا", index=0)
def test_any_text_in_any_free_text_field(value: str, index: int) -> None:
    category, field = TEXT_FIELDS[index]
    try:
        out = CAT.validate_value(category.id, field.id, value)
    except ValidationError as exc:
        assert exc.field_id == field.id
        assert exc.message.startswith(f"{field.label} : ")
        assert "\x00" not in exc.message
        return
    if out is None:
        # blank: spaces, or invisible characters only (a lone soft hyphen, R-4.3)
        assert not field.required and strip_invisible(value).strip() == ""
        return
    assert isinstance(out, str)
    assert "\x00" not in out
    assert out == out.strip() and out
    assert field.length_limit is not None and len(out) <= field.length_limit
    assert all(unicodedata.category(ch) not in ("Cc", "Cs") or ch in allowed_controls(field)
               for ch in out)
    out.encode("utf-8")  # what SQLite will store
    # idempotent: a stored value validates to itself when edited later
    assert CAT.validate_value(category.id, field.id, out, new_entry=False) == out


@pytest.mark.parametrize(("category_id", "field_id"), [(c.id, f.id) for c, f in TEXT_FIELDS])
@pytest.mark.parametrize("value", ["مرحبا", "Zoé 🦊", "'; DROP TABLE x;--", "Ａｂｃ"])
def test_ordinary_odd_text_is_just_text(category_id: str, field_id: str, value: str) -> None:
    limit = CAT.category(category_id).field(field_id).length_limit
    assert limit is not None
    if len(value) <= limit:
        assert CAT.validate_value(category_id, field_id, value) == value
    else:
        with pytest.raises(ValidationError, match="Raccourcissez"):
            CAT.validate_value(category_id, field_id, value)


@pytest.mark.parametrize(("category_id", "field_id"), [(c.id, f.id) for c, f in TEXT_FIELDS])
def test_nul_and_overlong_text_are_refused(category_id: str, field_id: str) -> None:
    limit = CAT.category(category_id).field(field_id).length_limit
    assert limit is not None
    for value in ("a\x00b", "x" * (limit + 1), "😀" * (limit + 1)):
        with pytest.raises(ValidationError):
            CAT.validate_value(category_id, field_id, value)
    assert CAT.validate_value(category_id, field_id, "😀" * limit) == "😀" * limit


@settings(max_examples=300, deadline=None)
@given(value=ANY_OBJECT, index=st.integers(min_value=0, max_value=len(LIST_FIELDS) - 1),
       new_entry=st.booleans())
def test_any_object_in_a_list_field(value: object, index: int, new_entry: bool) -> None:
    category, field = LIST_FIELDS[index]
    vocabulary = CAT.vocabulary(field.vocabulary or "")
    try:
        out = CAT.validate_value(category.id, field.id, value, new_entry=new_entry)
    except ValidationError as exc:
        assert exc.message.startswith(f"{field.label} : ")
        return
    offered = {i.code for i in (vocabulary.active_items if new_entry else vocabulary.items)}
    if out is None:
        return
    if field.type is FieldType.CHOICE:
        assert out in offered
    else:
        assert isinstance(out, list) and out == sorted(set(out)) and set(out) <= offered


@settings(max_examples=300, deadline=None)
@given(data=st.data(), index=st.integers(min_value=0, max_value=len(LIST_FIELDS) - 1))
def test_codes_drawn_from_the_vocabulary(data: st.DataObject, index: int) -> None:
    category, field = LIST_FIELDS[index]
    vocabulary = CAT.vocabulary(field.vocabulary or "")
    item = data.draw(st.sampled_from(vocabulary.items))
    value: object = item.code if field.type is FieldType.CHOICE else [item.code, item.code]
    expected: object = item.code if field.type is FieldType.CHOICE else [item.code]
    assert CAT.validate_value(category.id, field.id, value, new_entry=False) == expected
    if item.retired:
        with pytest.raises(ValidationError, match="n'est plus proposé"):
            CAT.validate_value(category.id, field.id, value)
    else:
        assert CAT.validate_value(category.id, field.id, value) == expected


@settings(max_examples=400, deadline=None)
@given(value=ANY_OBJECT, index=st.integers(min_value=0, max_value=len(CLOSED_FIELDS) - 1))
def test_any_object_in_any_closed_field(value: object, index: int) -> None:
    category, field = CLOSED_FIELDS[index]
    try:
        out = CAT.validate_value(category.id, field.id, value)
    except ValidationError:
        return
    assert out is None or isinstance(out, str | int | list)
    assert not isinstance(out, bool)


@settings(max_examples=300, deadline=None)
@given(sex=st.sampled_from("1278"), rest=st.text(alphabet=string.digits, min_size=12,
                                                   max_size=12),
       corsica=st.sampled_from(["", "2A", "2B"]), wrong=st.integers(min_value=1, max_value=96))
def test_nir_keys(sex: str, rest: str, corsica: str, wrong: int) -> None:
    first13 = sex + rest if not corsica else sex + rest[:4] + corsica + rest[6:]
    digits = first13.replace("2A", "19").replace("2B", "18")
    key = 97 - int(digits) % 97
    valid = f"{first13}{key:02d}"
    assert CAT.validate_value("couverture_sociale", "nir", valid) == valid
    other = (key - 1 + wrong) % 97 + 1  # another key in 1..97
    with pytest.raises(ValidationError):
        CAT.validate_value("couverture_sociale", "nir", f"{first13}{other:02d}")


@settings(max_examples=300, deadline=None)
@given(bban=st.text(alphabet=string.digits, min_size=23, max_size=23),
       position=st.integers(min_value=0, max_value=22), delta=st.integers(min_value=1, max_value=9))
def test_iban_keys(bban: str, position: int, delta: int) -> None:
    check = 98 - int(bban + "152700") % 97  # F=15, R=27, key 00
    iban = f"FR{check:02d}{bban}"
    assert iban_is_valid(iban)
    assert CAT.validate_value("coordonnees_bancaires", "iban", iban.lower()) == iban
    typo = bban[:position] + str((int(bban[position]) + delta) % 10) + bban[position + 1:]
    with pytest.raises(ValidationError):
        CAT.validate_value("coordonnees_bancaires", "iban", f"FR{check:02d}{typo}")


@settings(max_examples=200, deadline=None)
@given(day=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_dates_round_trip(day: dt.date) -> None:
    iso = day.isoformat()
    for value in (day, iso, day.strftime("%d/%m/%Y")):
        assert CAT.validate_value("suivi", "date", value) == iso
    assert CAT.validate_value("suivi", "date", iso, new_entry=False) == iso


def records(category: Category) -> st.SearchStrategy[dict[str, object]]:
    return st.fixed_dictionaries({}, optional={f.id: ANY_OBJECT for f in category.fields})


@settings(max_examples=200, deadline=None)
@given(data=st.data(), index=st.integers(min_value=0, max_value=len(CAT.categories) - 1))
def test_any_record(data: st.DataObject, index: int) -> None:
    category = CAT.categories[index]
    values = data.draw(records(category))
    try:
        out = CAT.validate_record(category.id, values)
    except ValidationError as exc:
        assert exc.message
        return
    assert set(out) == set(values)
    assert all(f.id in out for f in category.fields if f.required)
