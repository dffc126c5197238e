"""The download requests' export: its columns, and the safe writers (contacts.exports) with
them as the default."""

from contacts import exports
from contacts.exports import LEAD_COLUMNS, ORGANISATION_TYPES, Columns, ExportRun

__all__ = ["DOWNLOAD_REQUESTS", "ExportRun", "csv_lines", "spreadsheet_response", "write_xlsx"]

# (heading, queryset path) in column order.
COLUMNS = [
    ("Date de la demande", "created_at"),
    ("Livre blanc", "paper_title"),
    *LEAD_COLUMNS,
    ("Actualités acceptées", "lead__news_opt_in"),  # the confirmed consent, today
    ("Téléchargements", "download_count"),
    ("Source de la campagne (utm_source)", "utm_source"),
    ("Support de la campagne (utm_medium)", "utm_medium"),
    ("Nom de la campagne (utm_campaign)", "utm_campaign"),
]
HEADINGS = [heading for heading, _ in COLUMNS]
PATHS = [path for _, path in COLUMNS]
# Widths in Excel characters for the columns whose values outgrow their heading.
WIDTHS = {
    "created_at": 17,
    "paper_title": 45,
    "lead__email": 32,
    "lead__organisation": 32,
    "lead__job_title": 28,
    "lead__phone": 16,
}
DOWNLOAD_REQUESTS = Columns(
    COLUMNS, labels={"lead__organisation_type": ORGANISATION_TYPES}, widths=WIDTHS
)


def rows(queryset, columns=DOWNLOAD_REQUESTS):
    return exports.rows(queryset, columns)


def csv_lines(queryset, columns=DOWNLOAD_REQUESTS, run=None):
    return exports.csv_lines(queryset, columns, run)


def write_xlsx(queryset, output, columns=DOWNLOAD_REQUESTS, run=None):
    return exports.write_xlsx(queryset, output, columns, run)


def spreadsheet_response(queryset, export_format, columns=DOWNLOAD_REQUESTS, run=None):
    return exports.spreadsheet_response(queryset, export_format, columns, run)
