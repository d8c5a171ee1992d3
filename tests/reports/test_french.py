"""reports/french.py: the one place dates, ages, counts and deadlines are written in French
(issue 9)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from reports.french import age_on, count, date_time, days, deadline, month_year, read_date, short_date, years


def test_short_date_from_dates_datetimes_and_the_iso_text_the_database_keeps() -> None:
    assert short_date(dt.date(2026, 11, 24)) == "24/11/2026"
    assert short_date(dt.datetime(2026, 1, 2, 23, 59, tzinfo=dt.UTC)) == "02/01/2026"
    assert short_date("2026-11-24") == "24/11/2026"
    assert short_date("2026-11-24T14:05:00+00:00") == "24/11/2026"
    assert short_date(dt.date(1, 1, 1)) == "01/01/0001"  # odd dates keep their four-digit year
    assert short_date(dt.date(9999, 12, 31)) == "31/12/9999"
    assert short_date("2024-02-29") == "29/02/2024"


def test_no_date_gives_the_empty_text_asked_and_a_non_date_text_shows_as_it_is() -> None:
    assert short_date(None) == ""
    assert short_date("") == ""
    assert short_date(None, empty="jamais") == "jamais"
    assert short_date("", "—") == "—"
    assert short_date("bientôt") == "bientôt"
    assert short_date("2026-02-30") == "2026-02-30"  # not a day: shown, not hidden


@given(st.dates())
def test_short_date_reads_back_as_the_same_day(day: dt.date) -> None:
    text = short_date(day)
    d, m, y = text.split("/")
    assert (len(d), len(m), len(y)) == (2, 2, 4)
    assert dt.date(int(y), int(m), int(d)) == day
    assert short_date(day.isoformat()) == text


def test_date_and_time() -> None:
    moment = dt.datetime(2026, 11, 24, 9, 5, 7)
    assert date_time(moment) == "24/11/2026 09:05"
    assert date_time(moment, at=True) == "24/11/2026 à 09:05"
    assert date_time(moment, seconds=True) == "24/11/2026 09:05:07"
    assert date_time("2026-11-24T14:05:00+00:00") == "24/11/2026 14:05"
    assert date_time(None) == "" and date_time("", empty="—") == "—"
    assert date_time("hier soir") == "hier soir"


def test_age_counts_the_birthday_itself() -> None:
    born = dt.date(2014, 11, 24)
    assert age_on(born, dt.date(2026, 11, 23)) == 11
    assert age_on(born, dt.date(2026, 11, 24)) == 12
    assert age_on("2014-11-24", dt.date(2026, 11, 25)) == 12
    assert age_on(born, born) == 0
    assert age_on(None, born) is None and age_on("", born) is None and age_on("inconnue", born) is None


def test_age_of_someone_born_on_29_february() -> None:
    born = "2008-02-29"
    assert age_on(born, dt.date(2026, 2, 28)) == 17  # common year: not yet on 28 February
    assert age_on(born, dt.date(2026, 3, 1)) == 18
    assert age_on(born, dt.date(2028, 2, 28)) == 19
    assert age_on(born, dt.date(2028, 2, 29)) == 20  # leap year: on the day


def test_singular_and_plural() -> None:
    assert years(0) == "0 an" and years(1) == "1 an" and years(2) == "2 ans" and years(12) == "12 ans"
    assert years(None) == "" and years(None, "âge inconnu") == "âge inconnu"
    assert days(0) == "0 jour" and days(1) == "1 jour" and days(2) == "2 jours"
    assert count(3, "dossier") == "3 dossiers"
    assert count(1, "travail", "travaux") == "1 travail" and count(5, "travail", "travaux") == "5 travaux"


def test_deadlines() -> None:
    assert deadline(3) == "Échéance dans 3 jours"
    assert deadline(1) == "Échéance dans 1 jour"
    assert deadline(0) == "Échéance aujourd'hui"
    assert deadline(-1) == "Dépassée (1 jour)"
    assert deadline(-35) == "Dépassée (35 jours)"


def test_dates_typed_in_french_or_iso_are_read_and_impossible_days_refused() -> None:
    assert read_date("24/11/2026") == dt.date(2026, 11, 24)
    assert read_date(" 2026-11-24 ") == dt.date(2026, 11, 24)
    assert read_date("29/02/2024") == dt.date(2024, 2, 29)
    assert read_date("29/02/2026") is None  # not a leap year
    assert read_date("31/04/2026") is None and read_date("") is None and read_date("demain") is None


@given(st.dates())
def test_what_is_written_reads_back(day: dt.date) -> None:
    assert read_date(short_date(day)) == day


def test_month_and_year() -> None:
    assert month_year("2026-11") == "11/2026"
    assert month_year("2026-01") == "01/2026"
    assert month_year("novembre") == "novembre" and month_year("") == ""
