"""Lead exports that are safe to open (rule 5) and do not grow with the list.

The same writers export the download requests and, with their own ``Columns``, the event
registrations (events.exports).

* No cell can run as a formula: a text starting with ``=``, ``+``, ``-``, ``@``, a tab or a
  carriage return is prefixed with an apostrophe (OWASP's advice on CSV injection), in CSV and
  in XLSX alike.
* CSV for French Excel: UTF-8 with a byte-order mark, ``;`` between columns, dates and times in
  Europe/Paris.
* Rows stream from the database in chunks (``values_list().iterator()``): memory stays flat
  whatever the number of rows; XLSX uses openpyxl's write-only mode into a temporary file.
"""

import csv
import datetime
import tempfile
from dataclasses import dataclass, field

from django.utils import timezone

from .models import ExportLog, OrganisationType

CHUNK_SIZE = 2000
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ORGANISATION_TYPES = dict(OrganisationType.choices)


@dataclass(frozen=True)
class Columns:
    """What one export holds: (heading, queryset path) in order, the display labels of the
    paths that store a choice's value, the sheet's title and the file's name."""

    columns: list
    labels: dict = field(default_factory=dict)
    sheet_title: str = "Demandes"
    file_stem: str = "demandes-livres-blancs"
    ordering: tuple = ("-created_at", "-pk")

    @property
    def headings(self):
        return [heading for heading, _ in self.columns]

    @property
    def paths(self):
        return [path for _, path in self.columns]


# The lead's contact columns, for any export of rows that point to a lead.
LEAD_COLUMNS = [
    ("Prénom", "lead__first_name"),
    ("Nom", "lead__last_name"),
    ("E-mail", "lead__email"),
    ("Organisme", "lead__organisation"),
    ("Type d'organisme", "lead__organisation_type"),
    ("Fonction", "lead__job_title"),
    ("Téléphone", "lead__phone"),
]
# (heading, queryset path) in column order.
COLUMNS = [
    ("Date de la demande", "created_at"),
    ("Livre blanc", "paper_title"),
    *LEAD_COLUMNS,
    ("Actualités acceptées", "news_opt_in"),
    ("Téléchargements", "download_count"),
    ("utm_source", "utm_source"),
    ("utm_medium", "utm_medium"),
    ("utm_campaign", "utm_campaign"),
]
HEADINGS = [heading for heading, _ in COLUMNS]
PATHS = [path for _, path in COLUMNS]
DOWNLOAD_REQUESTS = Columns(COLUMNS, labels={"lead__organisation_type": ORGANISATION_TYPES})


def neutralise(text):
    """A text that a spreadsheet could take for a formula, made plain text."""
    if text and text.startswith(FORMULA_TRIGGERS):
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
    return neutralise(str(value))


def rows(queryset, columns=DOWNLOAD_REQUESTS):
    """The export's rows, read in chunks: one list of cell values a record."""
    paths = columns.paths
    values = queryset.order_by(*columns.ordering).values_list(*paths)
    for record in values.iterator(chunk_size=CHUNK_SIZE):
        yield [
            _cell(path, value, columns.labels) for path, value in zip(paths, record, strict=True)
        ]


class _Echo:
    """A file-like object that hands back what csv.writer writes, for streaming."""

    def write(self, value):
        return value


def csv_lines(queryset, columns=DOWNLOAD_REQUESTS):
    """The CSV as a stream of text lines, the byte-order mark first."""
    writer = csv.writer(_Echo(), delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    yield BOM + writer.writerow(columns.headings)
    for row in rows(queryset, columns):
        yield writer.writerow(
            [
                value.strftime("%d/%m/%Y %H:%M") if isinstance(value, datetime.datetime) else value
                for value in row
            ]
        )


def write_xlsx(queryset, output, columns=DOWNLOAD_REQUESTS):
    """Writes the XLSX to ``output`` (a binary file) with openpyxl's write-only workbook."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=columns.sheet_title)
    bold = Font(bold=True)
    header = []
    for heading in columns.headings:
        cell = WriteOnlyCell(sheet, value=heading)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in rows(queryset, columns):
        # Text cells were neutralised (none starts with "="), so openpyxl stores them as plain
        # strings; only dates need a cell object, for their French display format.
        for index, value in enumerate(row):
            if isinstance(value, datetime.datetime):
                row[index] = cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = "DD/MM/YYYY HH:MM"
        sheet.append(row)
    workbook.save(output)


def xlsx_file(queryset, columns=DOWNLOAD_REQUESTS):
    """The XLSX in a temporary file (on disk past a few MB), rewound, for a streamed response."""
    output = tempfile.SpooledTemporaryFile(max_size=5 * 1024 * 1024)  # noqa: SIM115 - returned
    write_xlsx(queryset, output, columns)
    output.seek(0)
    return output


def record_export(
    *,
    queryset,
    export_format,
    source,
    filters,
    user=None,
    dataset=ExportLog.Dataset.DOWNLOAD_REQUESTS,
):
    """Logs the export (who, when, which list, which filters, how many rows) before it is
    served."""
    return ExportLog.objects.create(
        dataset=dataset,
        user=user if user is not None and user.is_authenticated else None,
        username=user.get_username() if user is not None and user.is_authenticated else "",
        format=export_format,
        source=source,
        filters=filters,
        row_count=queryset.count(),
    )


def filename(export_format, columns=DOWNLOAD_REQUESTS):
    return f"{columns.file_stem}-{timezone.localdate():%Y-%m-%d}.{export_format}"


def spreadsheet_response(queryset, export_format, columns=DOWNLOAD_REQUESTS):
    """The file of an admin export: CSV streamed line by line, XLSX from a temporary file."""
    from django.http import FileResponse, StreamingHttpResponse

    if export_format == ExportLog.Format.CSV:
        response = StreamingHttpResponse(
            csv_lines(queryset, columns), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{filename("csv", columns)}"'
        return response
    return FileResponse(
        xlsx_file(queryset, columns),
        as_attachment=True,
        filename=filename("xlsx", columns),
        content_type=XLSX_CONTENT_TYPE,
    )
