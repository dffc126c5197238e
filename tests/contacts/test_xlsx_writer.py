"""The streamed XLSX writer (contacts.xlsx) read back by openpyxl, on what a list never holds
but a file must survive: a text past Excel's 32 767 characters a cell, spaces at the ends,
markup, line breaks, an empty file."""

import datetime
import io

from openpyxl import load_workbook

from contacts import xlsx


def read(**sheet):
    output = io.BytesIO()
    written = xlsx.write_sheet(output, date_format="DD/MM/YYYY HH:MM", **sheet)
    output.seek(0)
    return written, load_workbook(output).active


def test_cells_come_back_as_written():
    moment = datetime.datetime(2026, 12, 2, 9, 30)  # noqa: DTZ001 - a local time, as exported
    written, sheet = read(
        title="Demandes d'été",
        headings=["Texte", "Nombre", "Date"],
        widths=[20, 10, 17],
        rows=[[" <b>&</b> ", 7, moment], ["ligne\r\nsuivante", 0, ""], ["x" * 40_000, 1, ""]],
    )

    assert written == 3
    assert sheet.title == "Demandes d'été"
    assert [cell.value for cell in sheet[1]] == ["Texte", "Nombre", "Date"]
    assert [cell.value for cell in sheet[2]] == [" <b>&</b> ", 7, moment]
    assert sheet["C2"].number_format == "DD/MM/YYYY HH:MM"
    assert sheet["A3"].value == "ligne\nsuivante" and sheet["C3"].value is None
    assert len(sheet["A4"].value) == xlsx.MAX_CELL_TEXT  # Excel's limit, not a file to repair
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:C4"
    assert sheet.column_dimensions["B"].width == xlsx.excel_width(10)


def test_a_file_without_rows_has_its_header():
    written, sheet = read(title="Leads", headings=["Nom"], widths=[10], rows=[])

    assert written == 0
    assert [[cell.value for cell in row] for row in sheet.iter_rows()] == [["Nom"]]
    assert sheet.auto_filter.ref == "A1:A1"
