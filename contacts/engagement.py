"""What an organisation's people did, as figures and tables, declared by the apps that hold it
(contacts imports none of them): the organisation's admin page and its yearly bilan
d'adhésion read them.

``register_engagement(key, figures, tables)``, from an app's ``ready()``:

* ``figures(organisation, period)`` → a list of ``Figure`` over the period (registrations,
  séances attended, papers requested, the saving against the non-member price…), a fixed
  number of queries whatever the organisation's size;
* ``tables(organisation, period, limit)`` → a list of ``Table``: the rows behind the figures,
  newest first, at most ``limit`` of them (``None``: all, for the XLSX), with their count.

``period`` is a ``Period`` (dates, both included) or ``None`` for all time. The people are
contacts' own: the leads attached to the organisation (``Lead.linked_organisation``).
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from .activity import activity_dates
from .models import Lead


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date  # included

    @classmethod
    def year(cls, year):
        return cls(datetime.date(year, 1, 1), datetime.date(year, 12, 31))

    @classmethod
    def last_twelve_months(cls, today):
        return cls(today - datetime.timedelta(days=365) + datetime.timedelta(days=1), today)

    @property
    def label(self):
        return f"du {self.start:%d/%m/%Y} au {self.end:%d/%m/%Y}"

    def datetime_q(self, lookup):
        """A datetime field within the period, in the current time zone's days."""
        return Q(**{f"{lookup}__date__gte": self.start, f"{lookup}__date__lte": self.end})


NNBSP = "\u202f"  # between thousands
NBSP = "\u00a0"  # before the euro sign


def display(value):
    """A cell or a figure as the page shows it, in French: 1 500, 1 000,00 €, 05/03/2027."""
    if value is None or value == "":
        return "—"
    if isinstance(value, Decimal):
        text = f"{value:,.2f}".replace(",", NNBSP).replace(".", ",")
        return f"{text}{NBSP}€"
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, int):
        return f"{value:,}".replace(",", NNBSP)
    if isinstance(value, datetime.datetime):
        return f"{timezone.localtime(value):%d/%m/%Y %H:%M}"
    if isinstance(value, datetime.date):
        return f"{value:%d/%m/%Y}"
    return str(value)


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    value: object  # int or Decimal
    unit: str = ""  # "€" for an amount
    note: str = ""  # how it is counted, shown under the figure

    @property
    def display(self):
        return display(self.value)


@dataclass
class Table:
    key: str
    title: str
    headings: list
    rows: list  # lists of cell values (str, int, Decimal, date, datetime, None)
    count: int  # every row, whatever ``limit`` kept
    note: str = ""
    widths: dict = field(default_factory=dict)  # column index → Excel width

    @property
    def capped(self):
        return self.count > len(self.rows)

    @property
    def display_rows(self):
        return [[display(value) for value in row] for row in self.rows]


@dataclass(frozen=True)
class Contribution:
    key: str
    figures: object
    tables: object


_contributions = []


def register_engagement(key, figures, tables):
    if all(contribution.key != key for contribution in _contributions):
        _contributions.append(Contribution(key, figures, tables))


def contributions():
    return list(_contributions)


# --- contacts' own: the people -----------------------------------------------------------------


def people(organisation):
    return Lead.objects.filter(linked_organisation=organisation)


def people_figures(organisation, period):
    """The people attached, and those who did something in the period (a date any app
    registered with ``activity.register_activity_date`` falls in it)."""
    attached = people(organisation)
    figures = [
        Figure(
            "people",
            "Personnes rattachées",
            attached.count(),
            note="aujourd'hui, quelle que soit la période",
        )
    ]
    if period is not None and (lookups := activity_dates()):
        active = Q()
        for lookup in lookups:
            active |= period.datetime_q(lookup)
        figures.append(
            Figure(
                "people_involved",
                "Personnes impliquées",
                attached.filter(active).distinct().count(),
                note="personnes rattachées ayant fait une demande ou une inscription "
                "sur la période",
            )
        )
    return figures


def figures(organisation, period):
    """Every app's figures for the organisation over the period, contacts' first."""
    result = people_figures(organisation, period)
    for contribution in contributions():
        result.extend(contribution.figures(organisation, period))
    return result


def tables(organisation, period, limit):
    result = []
    for contribution in contributions():
        result.extend(contribution.tables(organisation, period, limit))
    return result
