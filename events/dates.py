"""Event dates in French, as the club writes them: "jeudi 13 octobre 2022, 9 h – 12 h".

Written out here rather than left to Django's date filter: the site is French only, the card's
"13 oct. 2022 → 9 févr. 2023" uses the usual French abbreviations (Django's are "fév."), and
the first of the month is "1er".
"""

import datetime
from zoneinfo import ZoneInfo

# Every event of the club happens in France: session times are wall-clock times in Paris.
EVENT_TIME_ZONE = ZoneInfo("Europe/Paris")
NBSP = "\u00a0"

WEEKDAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
MONTHS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]
MONTHS_SHORT = [
    "janv.",
    "févr.",
    "mars",
    "avr.",
    "mai",
    "juin",
    "juil.",
    "août",
    "sept.",
    "oct.",
    "nov.",
    "déc.",
]


def day_of_month(date):
    return "1er" if date.day == 1 else str(date.day)


def long_date(date, *, weekday=True):
    """ "jeudi 1er décembre 2022", or "1er décembre 2022" without the weekday."""
    text = f"{day_of_month(date)} {MONTHS[date.month - 1]} {date.year}"
    return f"{WEEKDAYS[date.weekday()]} {text}" if weekday else text


def short_date(date):
    """ "13 oct. 2022" """
    return f"{day_of_month(date)} {MONTHS_SHORT[date.month - 1]} {date.year}"


def time_of_day(time):
    """ "9 h", "9 h 30": the hour and "h" never split across lines."""
    if time.minute:
        return f"{time.hour}{NBSP}h{NBSP}{time.minute:02d}"
    return f"{time.hour}{NBSP}h"


def time_range(start, end):
    """ "9 h – 12 h"; empty when the times are not known yet."""
    if start is None:
        return ""
    if end is None:
        return f"à partir de {time_of_day(start)}"
    return f"{time_of_day(start)} – {time_of_day(end)}"


def session_when(date, start, end):
    """ "jeudi 13 octobre 2022, 9 h – 12 h", or the date alone when the times are unknown."""
    times = time_range(start, end)
    return f"{long_date(date)}, {times}" if times else long_date(date)


def date_range(first, last, session_count):
    """A card's dates: "13 oct. 2022 → 9 févr. 2023 · 4 séances", "18 oct. 2018"."""
    if first is None:
        return "Dates à venir"
    text = short_date(first) if first == last else f"{short_date(first)} → {short_date(last)}"
    if session_count > 1:
        text += f" · {session_count} séances"
    return text


def local_datetime(date, time):
    """An aware datetime in Paris, from a session's date and wall-clock time."""
    return datetime.datetime.combine(date, time, tzinfo=EVENT_TIME_ZONE)


def moment(value):
    """An aware datetime as Paris reads it: "jeudi 3 décembre 2026 à 14 h 05"."""
    local = value.astimezone(EVENT_TIME_ZONE)
    return f"{long_date(local.date())} à {time_of_day(local.time())}"
