"""Lead exports that are safe to open (rule 5) and do not grow with the list.

Each list names its ``Columns``: the leads here, the download requests (publications.exports),
the event registrations (events.exports), the export log (contacts.export_log).

* No stored value can make a file fail: the characters XML cannot hold (NUL and the other
  control characters but tab, line feed and carriage return, lone surrogates, U+FFFE/U+FFFF)
  are dropped from every text cell, in CSV and XLSX alike.
* No cell can run as a formula: a text starting with ``=``, ``+``, ``-``, ``@``, a tab or a
  carriage return (once those characters are dropped) is prefixed with an apostrophe (OWASP's
  advice on CSV injection), in CSV and in XLSX alike.
* CSV for French Excel: UTF-8 with a byte-order mark, ``;`` between columns, dates and times in
  Europe/Paris.
* Rows stream from the database in chunks (``values_list().iterator()``): memory stays flat
  whatever the number of rows; XLSX is written as a stream by contacts.xlsx (a million rows in
  29-32 s of CPU, where XlsxWriter's constant-memory mode took 4.2 s per 30 000 rows, about 140 s
  a million, and openpyxl's write-only mode twice that: scripts/bench_exports.py keeps the
  figures), with column widths, a bold frozen header row and an autofilter for French Excel.
* Every export is logged by an ``ExportRun``: "en cours" when it starts, "réussi" with the rows
  actually written once the file is complete, "échoué" if writing it raised or was cut off.
"""

import csv
import datetime
import itertools
import logging
import re
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import DatabaseError
from django.utils import timezone

from . import organisations, xlsx
from .models import ExportLog, OrganisationType

logger = logging.getLogger(__name__)

CHUNK_SIZE = 2000
PROGRESS_ROWS = 5000
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# What XML 1.0 cannot hold (openpyxl refuses it, Excel cannot open it): C0 controls but tab, line
# feed and carriage return, lone surrogates, and the two non-characters U+FFFE and U+FFFF.
UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
DATETIME_FORMAT = "DD/MM/YYYY HH:MM"
CSV_DATETIME_FORMAT = "%d/%m/%Y %H:%M"
AMOUNT_FORMAT = "#,##0.00"
MIN_WIDTH, MAX_WIDTH = 10, 60
FILTER_BUTTON_WIDTH = 3
BOM = "\ufeff"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ORGANISATION_TYPES = dict(OrganisationType.choices)


def _member_this_year(organisation_path):
    """Whether the organisation at ``organisation_path`` is a member this year (read when the
    export runs), as a subquery of the export's own query."""

    def expression():
        return organisations.member_in(timezone.localdate().year, organisation_path)

    return expression


# Columns that are not stored but computed in the export's query: path → expression factory.
COMPUTED = {
    "member_this_year": _member_this_year("linked_organisation"),
    "lead_member_this_year": _member_this_year("lead__linked_organisation"),
}
# The display labels of the register's choices, whichever export shows them.
SHARED_LABELS = {
    "linked_organisation__organisation_type": ORGANISATION_TYPES,
    "lead__linked_organisation__organisation_type": ORGANISATION_TYPES,
}
SHARED_WIDTHS = {"linked_organisation__name": 32, "lead__linked_organisation__name": 32}


@dataclass(frozen=True)
class Columns:
    """What one export holds: (heading, queryset path) in order, the display labels of the
    paths that store a choice's value, the sheet's title and the file's name.

    ``widths`` gives a column's width in Excel characters by path (the heading's length
    otherwise); ``prepare``, when set, rewrites a chunk of rows (dicts by path) in place before
    they are written, e.g. to put into words what a single query per chunk can look up."""

    columns: list
    labels: dict = field(default_factory=dict)
    sheet_title: str = "Demandes"
    file_stem: str = "demandes-livres-blancs"
    ordering: tuple = ("-created_at", "-pk")
    widths: dict = field(default_factory=dict)
    prepare: object = None

    def __post_init__(self):
        object.__setattr__(self, "labels", {**SHARED_LABELS, **self.labels})
        object.__setattr__(self, "widths", {**SHARED_WIDTHS, **self.widths})

    @property
    def headings(self):
        return [heading for heading, _ in self.columns]

    @property
    def paths(self):
        return [path for _, path in self.columns]

    def width(self, heading, path):
        """Never narrower than the heading and its filter button."""
        width = max(self.widths.get(path, 0), len(heading) + FILTER_BUTTON_WIDTH)
        return max(MIN_WIDTH, min(MAX_WIDTH, width))


# The lead's contact columns, for any export of rows that point to a lead.
LEAD_COLUMNS = [
    ("Prénom", "lead__first_name"),
    ("Nom", "lead__last_name"),
    ("E-mail", "lead__email"),
    ("Organisme", "lead__organisation"),
    ("Type d'organisme", "lead__organisation_type"),
    ("Fonction", "lead__job_title"),
    ("Téléphone", "lead__phone"),
    # The register's organisation the person is attached to (contacts.organisations).
    ("Organisme rattaché", "lead__linked_organisation__name"),
    ("Type (registre)", "lead__linked_organisation__organisation_type"),
    ("Adhérent cette année", "lead_member_this_year"),
]
# The leads list: one row a person, with how many requests they made and when they last did.
LEADS = Columns(
    [
        ("Prénom", "first_name"),
        ("Nom", "last_name"),
        ("E-mail", "email"),
        ("Organisme", "organisation"),
        ("Type d'organisme", "organisation_type"),
        ("Fonction", "job_title"),
        ("Téléphone", "phone"),
        ("Organisme rattaché", "linked_organisation__name"),
        ("Type (registre)", "linked_organisation__organisation_type"),
        ("Adhérent cette année", "member_this_year"),
        ("Actualités acceptées", "news_opt_in"),  # confirmed (double opt-in), not withdrawn
        ("Actualités demandées le", "news_asked_at"),
        ("Actualités confirmées le", "news_confirmed_at"),
        ("Actualités retirées le", "news_withdrawn_at"),
        ("Demandes", "request_count"),
        ("Dernière demande", "last_request_at"),
        ("Premier contact", "created_at"),
    ],
    labels={"organisation_type": ORGANISATION_TYPES},
    sheet_title="Leads",
    file_stem="leads",
    ordering=("-last_request_at", "-pk"),
    widths={
        "email": 32,
        "organisation": 32,
        "job_title": 28,
        "phone": 16,
        "linked_organisation__name": 32,
        "news_asked_at": 17,
        "news_confirmed_at": 17,
        "news_withdrawn_at": 17,
        "last_request_at": 17,
        "created_at": 17,
    },
)


FORMULA_FIRST = frozenset(FORMULA_TRIGGERS)  # each trigger is one character


def neutralise(text):
    """A text that a spreadsheet could take for a formula, made plain text."""
    if text and text[0] in FORMULA_FIRST:
        return "'" + text
    return text


def safe_text(text):
    """A text any spreadsheet can hold and none can run: unwritable characters dropped, then
    formula triggers neutralised (a value may start with one only once the others are gone)."""
    # A printable text holds none of UNWRITABLE (all are controls, surrogates or unassigned):
    # most cells skip the regular expression.
    if not text.isprintable():
        text = UNWRITABLE.sub("", text)
    if text and text[0] in FORMULA_FIRST:
        return "'" + text
    return text


def _cell(path, value, labels):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).replace(tzinfo=None)
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, int):
        return value
    if path in labels:
        value = labels[path].get(value, value)
    return safe_text(str(value))


def _converters(columns, datetimes_as_text):
    """One function a column, from a stored value to its cell (what ``_cell`` gives, dates as
    CSV text when asked), chosen by the value's exact type: a million rows of twenty columns
    are twenty million calls, so the common cases take no detour."""
    zone = timezone.get_current_timezone()

    if datetimes_as_text:

        def moment(value):
            value = value.astimezone(zone)
            return (
                f"{value.day:02d}/{value.month:02d}/{value.year} "
                f"{value.hour:02d}:{value.minute:02d}"
            )
    else:

        def moment(value):
            return value.astimezone(zone).replace(tzinfo=None)

    by_type = {
        type(None): lambda value: "",
        bool: lambda value: "oui" if value else "non",
        int: lambda value: value,
        str: safe_text,
        datetime.datetime: moment,
        datetime.date: lambda value: value.strftime("%d/%m/%Y"),
    }

    def converter(path):
        labels = columns.labels.get(path)

        def general(value):  # a Decimal, a UUID, a subclass: the general rule
            value = _cell(path, value, columns.labels)
            if datetimes_as_text and isinstance(value, datetime.datetime):
                return value.strftime(CSV_DATETIME_FORMAT)
            return value

        handlers = dict(by_type)
        if labels is not None:
            handlers[str] = lambda value: safe_text(str(labels.get(value, value)))
            find = handlers.get
            return lambda value: find(value.__class__, general)(value)
        find = handlers.get

        def convert(value):
            # Most cells are texts: safe_text inlined, one call a cell.
            if value.__class__ is str:
                if not value:
                    return value
                if not value.isprintable():
                    value = UNWRITABLE.sub("", value)
                    if not value:
                        return value
                return "'" + value if value[0] in FORMULA_FIRST else value
            return find(value.__class__, general)(value)

        return convert

    return [converter(path) for path in columns.paths]


def rows(queryset, columns, *, datetimes_as_text=False):
    """The export's rows, read in chunks: one list of cell values a record."""
    paths = columns.paths
    converters = _converters(columns, datetimes_as_text)
    queryset = queryset.order_by(*columns.ordering)
    if columns.prepare is None:
        # Tuples in column order: no dict a row.
        records = queryset.values_list(
            *(COMPUTED[path]() if path in COMPUTED else path for path in paths)
        ).iterator(chunk_size=CHUNK_SIZE)
        for record in records:
            yield [convert(value) for convert, value in zip(converters, record, strict=True)]
        return
    stored = [path for path in paths if path not in COMPUTED]
    computed = {path: COMPUTED[path]() for path in paths if path in COMPUTED}
    records = queryset.values(*stored, **computed).iterator(chunk_size=CHUNK_SIZE)
    cells = list(zip(paths, converters, strict=True))
    while chunk := list(itertools.islice(records, CHUNK_SIZE)):
        columns.prepare(chunk)
        for record in chunk:
            yield [convert(record[path]) for path, convert in cells]


class ExportRun:
    """One export as the log records it (rule 4): "en cours" when it starts, then "réussi" with
    the rows actually written once the file is complete, or "échoué" with the rows written so
    far when writing raised or the reader went away (a closed stream).

    Used as a context manager around the writing; ``counted`` wraps the rows so that a row
    counts once the writer has asked for the next one, i.e. once it was written (a CSV stream
    counts each line as it hands it out). Without a log (``ExportRun()``) it only counts."""

    def __init__(self, log=None, progress=None):
        self.log = log
        self.written = 0
        # Called with the rows written so far every PROGRESS_ROWS rows (a background export
        # shows them to the member of staff who asked for it: contacts.export_jobs).
        self.progress = progress

    @classmethod
    def start(
        cls,
        *,
        export_format,
        source,
        filters,
        user=None,
        dataset=ExportLog.Dataset.DOWNLOAD_REQUESTS,
    ):
        signed_in = user is not None and user.is_authenticated
        return cls(
            ExportLog.objects.create(
                dataset=dataset,
                user=user if signed_in else None,
                username=user.get_username() if signed_in else "",
                format=export_format,
                source=source,
                filters=filters,
                status=ExportLog.Status.RUNNING,
            )
        )

    def counted(self, rows):
        for row in rows:
            yield row
            self.advance()

    def advance(self):
        """One more row written."""
        self.written += 1
        if self.progress is not None and not self.written % PROGRESS_ROWS:
            self.progress(self.written)

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, traceback):
        # GeneratorExit too: a stream closed before its end did not deliver the whole file.
        self.finish(failed=exc_type is not None)
        return False

    def finish(self, *, failed=False):
        """Records the outcome; a later failure (the file's last write) overrides a success."""
        if self.log is None:
            return
        status = ExportLog.Status.FAILED if failed else ExportLog.Status.DONE
        self.log.status, self.log.row_count = status, self.written
        try:
            ExportLog.objects.filter(pk=self.log.pk).update(status=status, row_count=self.written)
        except DatabaseError:  # the database went away mid-export: the row stays "en cours"
            logger.exception("Export %s: outcome not recorded", self.log.pk)


class _Echo:
    """A file-like object that hands back what csv.writer writes, for streaming."""

    def write(self, value):
        return value


def csv_lines(queryset, columns, run=None):
    """The CSV as a stream of text lines, the byte-order mark first; the run is complete when
    the stream ends, failed if it raised or was closed before its end."""
    run = run or ExportRun()
    writer = csv.writer(_Echo(), delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    with run:
        yield BOM + writer.writerow(columns.headings)
        for row in rows(queryset, columns, datetimes_as_text=True):
            line = writer.writerow(row)
            run.advance()  # a line handed to the stream is written
            yield line


def write_xlsx(queryset, output, columns, run=None):
    """Writes the XLSX to ``output`` (a binary file or a path) as a stream (contacts.xlsx):
    bold frozen header with an autofilter, a width per column, French date format."""
    run = run or ExportRun()
    with run:
        xlsx.write_sheet(
            output,
            title=columns.sheet_title,
            headings=columns.headings,
            widths=[columns.width(heading, path) for heading, path in columns.columns],
            rows=run.counted(rows(queryset, columns)),
            date_format=DATETIME_FORMAT,
        )


@dataclass(frozen=True)
class Sheet:
    """A sheet of already computed rows (a report, not a list of records): the title, the
    headings, the rows (lists of str, int, Decimal, date, datetime or None) and widths by
    column index."""

    title: str
    headings: list
    rows: list
    widths: dict = field(default_factory=dict)


def _report_cell(sheet, value):
    from openpyxl.cell import WriteOnlyCell

    if isinstance(value, Decimal):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = AMOUNT_FORMAT
        return cell
    value = _cell(None, value, {})
    if isinstance(value, datetime.datetime):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATETIME_FORMAT
        return cell
    return value


def write_report_xlsx(sheets, output, run=None):
    """Writes report sheets to ``output`` with the same rules as the lists: every text cell
    made safe (no formula, nothing XML cannot hold), bold frozen headings, French formats."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    run = run or ExportRun()
    with run:
        workbook = Workbook(write_only=True)
        bold = Font(bold=True)
        for report in sheets:
            # A sheet's title cannot hold []:*?/\ and is at most 31 characters.
            sheet = workbook.create_sheet(title=re.sub(r"[\[\]:*?/\\]", " ", report.title)[:31])
            for index, heading in enumerate(report.headings):
                width = max(report.widths.get(index, 0), len(heading) + FILTER_BUTTON_WIDTH)
                sheet.column_dimensions[get_column_letter(index + 1)].width = max(
                    MIN_WIDTH, min(MAX_WIDTH, width)
                )
            sheet.freeze_panes = "A2"
            header = []
            for heading in report.headings:
                cell = WriteOnlyCell(sheet, value=safe_text(heading))
                cell.font = bold
                header.append(cell)
            sheet.append(header)
            for row in run.counted(report.rows):
                sheet.append([_report_cell(sheet, value) for value in row])
        workbook.save(output)


def report_response(sheets, stem, run=None):
    """A report's XLSX as a download."""
    from django.http import FileResponse

    output = tempfile.SpooledTemporaryFile(max_size=5 * 1024 * 1024)  # noqa: SIM115 - returned
    write_report_xlsx(sheets, output, run)
    output.seek(0)
    return FileResponse(
        output,
        as_attachment=True,
        filename=f"{stem}.xlsx",
        content_type=XLSX_CONTENT_TYPE,
    )


def xlsx_file(queryset, columns, run=None):
    """The XLSX in a temporary file (on disk past a few MB), rewound, for a streamed response."""
    output = tempfile.SpooledTemporaryFile(max_size=5 * 1024 * 1024)  # noqa: SIM115 - returned
    write_xlsx(queryset, output, columns, run)
    output.seek(0)
    return output


def filename(export_format, columns):
    return f"{columns.file_stem}-{timezone.localdate():%Y-%m-%d}.{export_format}"


def spreadsheet_response(queryset, export_format, columns, run=None):
    """The file of an admin export: CSV streamed line by line, XLSX from a temporary file."""
    from django.http import FileResponse, StreamingHttpResponse

    if export_format == ExportLog.Format.CSV:
        response = StreamingHttpResponse(
            csv_lines(queryset, columns, run), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{filename("csv", columns)}"'
        return response
    return FileResponse(
        xlsx_file(queryset, columns, run),
        as_attachment=True,
        filename=filename("xlsx", columns),
        content_type=XLSX_CONTENT_TYPE,
    )
