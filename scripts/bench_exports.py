"""Time and memory of the lead exports (CSV, XLSX with XlsxWriter, XLSX with openpyxl) for
100 000 and 1 000 000 download requests, against the targets of issue #25.

Run by ``make bench`` after the page benchmark, or alone:

    .venv/bin/python scripts/bench_exports.py --rows 100000 1000000

Uses its own database (var/bench-exports.sqlite3, or DATABASE_URL as is), filled with SQL
(a recursive CTE on SQLite, generate_series on PostgreSQL). Each export runs in a fresh
process through the background export's own writing (contacts.export_jobs.write_file, into a
temporary file), or through openpyxl's write-only workbook on the same rows for comparison;
the process reports its wall and CPU seconds, its resident memory once Django is ready (idle)
and its peak after the export (growth = peak - idle). The machine's load is printed with
each line: on a shared machine the CPU seconds are the figure to compare.

Figures of 1 December 2026, SQLite, 2 cores shared with seven other sessions (load 11-14,
so each export had about a seventh of a core; wall seconds are 5-7 times what an idle
machine gives):

    rows       writer                     wall s  CPU s  growth MB  file MB
    100 000    CSV                          21.9    3.1        6.3     15.2
    100 000    XLSX XlsxWriter             136.5   21.4        8.7      4.9
    100 000    XLSX openpyxl write-only    336.8   44.9        6.6      6.1
    1 000 000  CSV                         221.8      -        5.5    155.4
    1 000 000  XLSX XlsxWriter            1242.4      -        8.5     49.3

(openpyxl at a million rows was not run to its end on that machine: about 45 s of CPU a
100 000 rows.)

XlsxWriter's constant-memory mode takes half openpyxl's CPU time for the same file, in the
same bounded memory, so the exports use it. Memory growth stays far under 50 MB. By CPU
time a million rows would take about 31 s in CSV and 214 s in XLSX on one free core: the
targets (CSV < 15 s, XLSX < 60 s) are not met; most of the XLSX time is XlsxWriter's own
per-cell work (XML escaping and its cell bookkeeping), the CSV time Django's row conversion.

Since 2 December 2026 the XLSX is written by contacts.xlsx (the same package, a row at a time).
The requests export of the scale data (1 001 000 rows, PostgreSQL, club_scale; through
contacts.exports, not by this script) on a quiet machine (load 1.1):

    rows       writer                     wall s  CPU s  growth MB  file MB
    1 000 000  CSV                          46.9   24.5        7       243.8
    1 000 000  XLSX contacts.xlsx           41.5   31.6        9        95.6

(XlsxWriter took 4.2 s of CPU per 30 000 rows of the same export, about 140 s a million.)
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
VAR = ROOT / "var"

MEASURE = r"""
import os, resource, sys, tempfile, time
import django
django.setup()
from django.db import connection
from contacts import export_jobs, exports
from publications.exports import DOWNLOAD_REQUESTS
from publications.models import DownloadRequest
sys.path.insert(0, os.path.join(os.getcwd(), "scripts"))
from bench_exports import write_xlsx_openpyxl
connection.ensure_connection()
queryset = DownloadRequest.objects.all()
writer = sys.argv[1]


def rss_kb():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))


idle = rss_kb()
run = exports.ExportRun()
cpu_start = time.process_time()
start = time.perf_counter()
with tempfile.TemporaryFile(dir=sys.argv[2]) as output:
    if writer == "openpyxl":
        write_xlsx_openpyxl(queryset, output, DOWNLOAD_REQUESTS, run)
    else:  # the background export's own writing (contacts.xlsx for xlsx)
        export_jobs.write_file(queryset, DOWNLOAD_REQUESTS, writer, output, run)
    size = output.tell()
elapsed = time.perf_counter() - start
cpu = time.process_time() - cpu_start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(f"{elapsed:.3f} {cpu:.3f} {idle} {peak} {run.written} {size}")
"""

SEED_SQLITE = """
DELETE FROM publications_downloadrequest WHERE paper_title = 'Banc d''essai';
DELETE FROM publications_lead WHERE email LIKE 'banc-%';
WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < {rows})
INSERT INTO publications_lead (public_id, email, first_name, last_name, organisation,
    organisation_type, job_title, phone, news_opt_in, organisation_link, created_at, updated_at)
SELECT lower(hex(randomblob(16))), 'banc-' || n || '@exemple-club-hlm.fr', 'Prénom ' || n,
    CASE n % 7 WHEN 0 THEN '=HYPERLINK("x")' ELSE 'Nom ' || n END,
    'Office n° ' || n, 'oph', 'Directrice', '+33 1 23 45 67 89', n % 2, '',
    datetime('now'), datetime('now')
FROM seq;
INSERT INTO publications_downloadrequest (public_id, lead_id, paper_id, paper_title, created_at,
    consent_text, news_opt_in, page_url, referrer, utm_source, utm_medium, utm_campaign,
    utm_term, utm_content, download_count)
SELECT lower(hex(randomblob(16))), id, NULL, 'Banc d''essai', datetime('now'), 'J''accepte.',
    news_opt_in, 'http://127.0.0.1/', '', 'lettre', '', '', '', '', 1
FROM publications_lead WHERE email LIKE 'banc-%';
"""

SEED_POSTGRESQL = """
DELETE FROM publications_downloadrequest WHERE paper_title = 'Banc d''essai';
DELETE FROM publications_lead WHERE email LIKE 'banc-%';
INSERT INTO publications_lead (public_id, email, first_name, last_name, organisation,
    organisation_type, job_title, phone, news_opt_in, organisation_link, created_at, updated_at)
SELECT gen_random_uuid(), 'banc-' || n || '@exemple-club-hlm.fr', 'Prénom ' || n,
    CASE n % 7 WHEN 0 THEN '=HYPERLINK("x")' ELSE 'Nom ' || n END,
    'Office n° ' || n, 'oph', 'Directrice', '+33 1 23 45 67 89', n % 2 = 1, '', now(), now()
FROM generate_series(1, {rows}) AS n;
INSERT INTO publications_downloadrequest (public_id, lead_id, paper_id, paper_title, created_at,
    consent_text, news_opt_in, page_url, referrer, utm_source, utm_medium, utm_campaign,
    utm_term, utm_content, download_count)
SELECT gen_random_uuid(), id, NULL, 'Banc d''essai', now(), 'J''accepte.', news_opt_in,
    'http://127.0.0.1/', '', 'lettre', '', '', '', '', 1
FROM publications_lead WHERE email LIKE 'banc-%';
"""

SEED = r"""
import sys
import django
django.setup()
from django.db import connection, transaction
with transaction.atomic(), connection.cursor() as cursor:
    for statement in sys.stdin.read().split(";\n"):
        if statement.strip():
            cursor.execute(statement)
"""


def write_xlsx_openpyxl(queryset, output, columns, run):
    """The writer the exports used before XlsxWriter (openpyxl's write-only workbook, same rows,
    same widths, bold frozen header, dates, autofilter), kept here to measure it against."""
    import datetime

    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    from contacts import exports

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=columns.sheet_title)
    for index, (heading, path) in enumerate(columns.columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = columns.width(heading, path)
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for heading in columns.headings:
        cell = WriteOnlyCell(sheet, value=heading)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in run.counted(exports.rows(queryset, columns)):
        for index, value in enumerate(row):
            if isinstance(value, datetime.datetime):
                row[index] = cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = exports.DATETIME_FORMAT
        sheet.append(row)
    last_column = get_column_letter(len(columns.columns))
    sheet.auto_filter.ref = f"A1:{last_column}{run.written + 1}"
    workbook.save(output)


def run(code, *args, env, stdin=None):
    result = subprocess.run(  # noqa: S603 - our own interpreter and code
        [str(PYTHON), "-c", code, *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        sys.exit(f"failed:\n{result.stderr[-3000:]}")
    return result.stdout


# The targets (#25) at 1 000 000 rows: seconds by format, and memory growth.
TARGET_SECONDS = {"csv": 15, "xlsx": 60}
TARGET_GROWTH_MB = 50
TARGET_ROWS = 1_000_000
WRITERS = {"csv": "csv", "xlsx": "xlsx", "openpyxl": "xlsx"}
LABELS = {
    "csv": "CSV",
    "xlsx": "XLSX (contacts.xlsx, streamed)",
    "openpyxl": "XLSX (openpyxl write-only)",
}


def load():
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--writers", nargs="+", default=list(WRITERS), choices=list(WRITERS))
    args = parser.parse_args()

    VAR.mkdir(exist_ok=True)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.dev"}
    env.setdefault("DATABASE_URL", f"sqlite:///{VAR / 'bench-exports.sqlite3'}")
    postgres = env["DATABASE_URL"].startswith(("postgres://", "postgresql://"))
    subprocess.run(  # noqa: S603
        [str(PYTHON), "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )

    print(
        f"\nLead exports ({'PostgreSQL' if postgres else 'SQLite'}; {os.cpu_count()} cores, "
        f"load {load()})"
    )
    print(
        f"{'rows':>10}  {'writer':<36} {'seconds':>8} {'CPU s':>7} {'rows/s':>9} {'idle MB':>8} "
        f"{'peak MB':>8} {'growth MB':>9} {'file MB':>8}  target  load"
    )
    missed = []
    for rows in args.rows:
        started = time.perf_counter()
        seed = (SEED_POSTGRESQL if postgres else SEED_SQLITE).format(rows=rows)
        run(SEED, env=env, stdin=seed)
        print(
            f"{'':>10}  (seeded {rows:,} leads and requests in "
            f"{time.perf_counter() - started:.1f} s)".replace(",", " ")
        )
        for writer in args.writers:
            measured = run(MEASURE, writer, str(VAR), env=env).split()
            elapsed, cpu, idle, peak, written, size = measured
            elapsed, cpu, written = float(elapsed), float(cpu), int(written)
            idle_mb, peak_mb = int(idle) / 1024, int(peak) / 1024
            growth = peak_mb - idle_mb
            verdict = ""
            if rows >= TARGET_ROWS and writer in TARGET_SECONDS:
                met = elapsed < TARGET_SECONDS[writer] and growth < TARGET_GROWTH_MB
                verdict = "met" if met else "MISSED"
                if not met:
                    missed.append(f"{LABELS[writer]} at {rows:,} rows")
            if written != rows:
                sys.exit(f"{writer}: {written} rows written of {rows}")
            print(
                f"{rows:>10,}  {LABELS[writer]:<36} {elapsed:>8.1f} {cpu:>7.1f} "
                f"{rows / elapsed:>9,.0f} {idle_mb:>8.1f} {peak_mb:>8.1f} {growth:>9.1f} "
                f"{int(size) / 2**20:>8.1f}  "
                f"{verdict:<6}  {load()}".replace(",", " ")
            )
    target_rows = f"{TARGET_ROWS:,}".replace(",", " ")
    if max(args.rows) < TARGET_ROWS:
        outcome = f"not measured (--rows {TARGET_ROWS})"
    else:
        outcome = "missed by " + "; ".join(missed) if missed else "met"
    print(
        f"Targets at {target_rows} rows: CSV < {TARGET_SECONDS['csv']} s, XLSX < "
        f"{TARGET_SECONDS['xlsx']} s, memory growth < {TARGET_GROWTH_MB} MB: {outcome}"
    )


if __name__ == "__main__":
    main()
