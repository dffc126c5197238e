"""One-sheet XLSX files written as a stream, for the exports of a million rows (issue #25).

XlsxWriter's constant-memory mode spent about 95 s of a million-row export in its own per-cell
work (a call, a dimension check, a cell reference and an XML escape a cell: two thirds of the
export's time by profile, against a target of 60 s in all); openpyxl's write-only mode twice
that. This writes the same package XlsxWriter writes in that mode (inline strings, a bold
frozen header with an autofilter, column widths, one date format) a row at a time: one string
built per row, each cell's XML from a few concatenations, the sheet deflated into the zip as it
is written. Memory stays that of a batch of rows whatever the file's length.

Cells are ``str`` (made safe already: contacts.exports.safe_text), ``int`` or naive local
``datetime`` values, as contacts.exports.rows gives them; an empty text is an empty cell. The
files are read back by openpyxl in the tests, cell by cell.
"""

import datetime
import zipfile
from xml.sax.saxutils import escape, quoteattr

# Excel's day 0 for serial dates: 30 December 1899 (its 1900 leap-year bug included), valid
# from 1 March 1900.
EPOCH = datetime.datetime(1899, 12, 30)  # noqa: DTZ001 - Excel's dates have no zone
ROWS_PER_WRITE = 1000
# Deflate's fastest level: a million rows compress in about a fifth of the time of the
# default level, for a file about a third larger.
COMPRESS_LEVEL = 1
BOLD, DATE = 1, 2  # the styles' indexes in STYLES
# The most characters a cell holds: Excel "repairs" a file with a longer one (XlsxWriter cut
# them so too).
MAX_CELL_TEXT = 32_767

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
ROOT_RELATIONSHIPS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
WORKBOOK_RELATIONSHIPS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/styles" Target="styles.xml"/>'
    "</Relationships>"
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<bookViews><workbookView xWindow="240" yWindow="15" windowWidth="16095" '
    'windowHeight="9660"/></bookViews>'
    '<sheets><sheet name={name} sheetId="1" r:id="rId1"/></sheets>'
    '<definedNames><definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">'
    "{filter_range}</definedName></definedNames>"
    '<calcPr calcId="124519" fullCalcOnLoad="1"/></workbook>'
)
STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="{date_format}"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    '<dxfs count="0"/><tableStyles count="0" defaultTableStyle="TableStyleMedium9" '
    'defaultPivotStyle="PivotStyleLight16"/></styleSheet>'
)
SHEET_START = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheetViews><sheetView tabSelected="1" workbookViewId="0">'
    '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
    '<selection pane="bottomLeft"/></sheetView></sheetViews>'
    '<sheetFormatPr defaultRowHeight="15"/>'
)
SHEET_END = (
    '</sheetData><autoFilter ref="{filter_ref}"/>'
    '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
    "</worksheet>"
)


def column_letters(count):
    """A, B, … Z, AA, AB, … for ``count`` columns."""
    letters = []
    for index in range(1, count + 1):
        name = ""
        while index:
            index, remainder = divmod(index - 1, 26)
            name = chr(65 + remainder) + name
        letters.append(name)
    return letters


def excel_width(width):
    """A width in characters as Excel stores it (Calibri 11's digit of 7 pixels, 5 of padding),
    as XlsxWriter computes it."""
    return int((int(width * 7 + 0.5) + 5) / 7 * 256) / 256


def serial(moment):
    """A naive datetime as Excel's serial number of days."""
    delta = moment - EPOCH
    return delta.days + (delta.seconds + delta.microseconds / 1e6) / 86400


def _text(reference, value, style=""):
    if "&" in value or "<" in value or ">" in value:
        value = escape(value)
    if value[0].isspace() or value[-1].isspace():
        return (
            f'<c r="{reference}"{style} t="inlineStr"><is><t xml:space="preserve">{value}</t>'
            "</is></c>"
        )
    return f'<c r="{reference}"{style} t="inlineStr"><is><t>{value}</t></is></c>'


def _row(number, letters, values):
    cells = []
    append = cells.append
    for letter, value in zip(letters, values, strict=True):
        kind = value.__class__
        if kind is str:
            if value:
                if "\r" in value:  # a line break in a cell is "\n" (XML reads "\r" so too)
                    value = value.replace("\r\n", "\n").replace("\r", "\n")
                if len(value) > MAX_CELL_TEXT:
                    value = value[:MAX_CELL_TEXT]
                append(_text(f"{letter}{number}", value))
        elif kind is int:
            append(f'<c r="{letter}{number}"><v>{value}</v></c>')
        elif kind is datetime.datetime:
            append(f'<c r="{letter}{number}" s="{DATE}"><v>{serial(value)!r}</v></c>')
        elif value is not None:  # a subclass of int (never a bool: the exports write oui/non)
            append(f'<c r="{letter}{number}"><v>{int(value)}</v></c>')
    return f'<row r="{number}">{"".join(cells)}</row>'


def write_sheet(output, *, title, headings, widths, rows, date_format):
    """Writes the workbook of one sheet to ``output`` (a path or a binary file): ``headings``
    in bold, frozen, with an autofilter over every row; ``widths`` in characters, one a
    column; then ``rows``, each a sequence of cells. Returns the number of rows written."""
    letters = column_letters(len(headings))
    written = 0
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED, compresslevel=COMPRESS_LEVEL) as book:
        book.writestr("[Content_Types].xml", CONTENT_TYPES)
        book.writestr("_rels/.rels", ROOT_RELATIONSHIPS)
        book.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELATIONSHIPS)
        book.writestr("xl/styles.xml", STYLES.format(date_format=escape(date_format)))
        with book.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            columns = "".join(
                f'<col min="{index}" max="{index}" width="{excel_width(width)!r}" customWidth="1"/>'
                for index, width in enumerate(widths, start=1)
            )
            header = "".join(
                _text(f"{letter}1", heading, f' s="{BOLD}"')
                for letter, heading in zip(letters, headings, strict=True)
            )
            sheet.write(
                f'{SHEET_START}<cols>{columns}</cols><sheetData><row r="1">{header}</row>'.encode()
            )
            batch = []
            for written, values in enumerate(rows, start=1):
                batch.append(_row(written + 1, letters, values))
                if len(batch) == ROWS_PER_WRITE:
                    sheet.write("".join(batch).encode())
                    batch.clear()
            sheet.write("".join(batch).encode())
            last = f"{letters[-1]}{written + 1}"
            sheet.write(SHEET_END.format(filter_ref=f"A1:{last}").encode())
        quoted = "'" + title.replace("'", "''") + "'"
        filter_range = f"{quoted}!$A$1:${letters[-1]}${written + 1}"
        book.writestr(
            "xl/workbook.xml",
            WORKBOOK.format(name=quoteattr(title), filter_range=escape(filter_range)),
        )
    return written
