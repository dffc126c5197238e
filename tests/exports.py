"""Reading an admin export as staff would (csv, openpyxl) and the hostile values it must hold."""

import csv
import io

from django.db import connection

from openpyxl import load_workbook

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
FORMULAS = ['=HYPERLINK("http://evil.example","clic")', "+1", "@x", "-2"]


def hostile_texts():
    """Stored text an export must survive: control characters (NUL too where the database can
    store it: PostgreSQL cannot), a formula hidden behind a control character, odd Unicode."""
    texts = [
        *FORMULAS,
        '\x01=HYPERLINK("http://evil.example","clic")',
        "ok\x0bvertical\x0cform\x1bescape\x7f",
        "\ufffe\uffff non-caractères",
        "e\u0301 \u202eRTL \U0001f600 " + "é" * 90,
    ]
    if connection.vendor == "sqlite":
        texts.append("nul\x00=1")
    return texts


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def csv_rows(response):
    data = body(response)
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 byte-order mark for French Excel"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


def workbook(response):
    """The XLSX read back with openpyxl's ordinary (not write-only) reader."""
    return load_workbook(io.BytesIO(body(response)))


def xlsx_rows(response):
    return [list(row) for row in workbook(response).active.values]


def rows_of(response, export_format):
    return csv_rows(response) if export_format == "csv" else xlsx_rows(response)


def formula_cells(rows):
    """Cells a spreadsheet could run: text starting with a trigger (openpyxl reads a formula
    cell's value as its text, starting with "=")."""
    return [
        cell
        for row in rows
        for cell in row
        if isinstance(cell, str) and cell.startswith(FORMULA_TRIGGERS)
    ]
