import datetime

import pytest

from events.dates import date_range, long_date, session_when, short_date, time_range


def plain(text):
    return text.replace("\u00a0", " ")


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        (datetime.date(2022, 10, 13), "jeudi 13 octobre 2022"),
        (datetime.date(2022, 12, 1), "jeudi 1er décembre 2022"),
        (datetime.date(2023, 2, 9), "jeudi 9 février 2023"),
    ],
)
def test_long_dates_are_french(date, expected):
    assert long_date(date) == expected


def test_short_dates_use_the_usual_abbreviations():
    assert short_date(datetime.date(2023, 2, 9)) == "9 févr. 2023"
    assert short_date(datetime.date(2022, 7, 1)) == "1er juil. 2022"


def test_a_session_reads_as_the_club_writes_it():
    when = session_when(datetime.date(2022, 10, 13), datetime.time(9), datetime.time(12))
    assert plain(when) == "jeudi 13 octobre 2022, 9 h – 12 h"
    when = session_when(datetime.date(2022, 3, 22), datetime.time(9, 30), datetime.time(16, 30))
    assert plain(when) == "mardi 22 mars 2022, 9 h 30 – 16 h 30"
    assert session_when(datetime.date(2018, 10, 18), None, None) == "jeudi 18 octobre 2018"


def test_hour_and_h_never_split_across_lines():
    assert time_range(datetime.time(9), datetime.time(12)) == "9\u00a0h – 12\u00a0h"


def test_a_card_shows_the_range_and_the_number_of_sessions():
    first, last = datetime.date(2022, 10, 13), datetime.date(2023, 2, 9)
    assert date_range(first, last, 4) == "13 oct. 2022 → 9 févr. 2023 · 4 séances"
    assert date_range(first, first, 1) == "13 oct. 2022"
    assert date_range(first, first, 2) == "13 oct. 2022 · 2 séances"
