"""Time and peak memory of lead exports (CSV and XLSX) for 100 000 and 1 000 000 requests.

Run by ``make bench`` after the page benchmark, or alone:

    .venv/bin/python scripts/bench_exports.py --rows 100000 1000000

Uses its own database (var/bench-exports.sqlite3, or DATABASE_URL as is), filled with SQL
(a recursive CTE on SQLite, generate_series on PostgreSQL: a million rows in seconds). Each
export runs ``manage.py export_leads`` in a fresh process that reports its resident memory once
Django is ready (idle) and its peak after the export: the export code is the admin's.
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
import os, resource, sys, time
import django
django.setup()
from django.core.management import call_command
from django.db import connection
connection.ensure_connection()
idle = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
call_command("export_leads", format=sys.argv[1], output=os.devnull, stderr=open(os.devnull, "w"))
elapsed = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(f"{elapsed:.3f} {idle} {peak}")
"""

SEED_SQLITE = """
DELETE FROM publications_downloadrequest WHERE paper_title = 'Banc d''essai';
DELETE FROM publications_lead WHERE email LIKE 'banc-%';
WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < {rows})
INSERT INTO publications_lead (public_id, email, first_name, last_name, organisation,
    organisation_type, job_title, phone, news_opt_in, created_at, updated_at)
SELECT lower(hex(randomblob(16))), 'banc-' || n || '@exemple-club-hlm.fr', 'Prénom ' || n,
    CASE n % 7 WHEN 0 THEN '=HYPERLINK("x")' ELSE 'Nom ' || n END,
    'Office n° ' || n, 'oph', 'Directrice', '+33 1 23 45 67 89', n % 2,
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
    organisation_type, job_title, phone, news_opt_in, created_at, updated_at)
SELECT gen_random_uuid(), 'banc-' || n || '@exemple-club-hlm.fr', 'Prénom ' || n,
    CASE n % 7 WHEN 0 THEN '=HYPERLINK("x")' ELSE 'Nom ' || n END,
    'Office n° ' || n, 'oph', 'Directrice', '+33 1 23 45 67 89', n % 2 = 1, now(), now()
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


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--formats", nargs="+", default=["csv", "xlsx"])
    args = parser.parse_args()

    VAR.mkdir(exist_ok=True)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.dev"}
    env.setdefault("DATABASE_URL", f"sqlite:///{VAR / 'bench-exports.sqlite3'}")
    postgres = env["DATABASE_URL"].startswith(("postgres://", "postgresql://"))
    subprocess.run(  # noqa: S603
        [str(PYTHON), "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )

    print(f"\nLead exports ({'PostgreSQL' if postgres else 'SQLite'})")
    print(
        f"{'rows':>10}  {'format':<6} {'seconds':>8} {'rows/s':>9} {'idle MB':>8} "
        f"{'peak MB':>8} {'growth MB':>9}"
    )
    for rows in args.rows:
        started = time.perf_counter()
        seed = (SEED_POSTGRESQL if postgres else SEED_SQLITE).format(rows=rows)
        run(SEED, env=env, stdin=seed)
        print(
            f"{'':>10}  (seeded {rows:,} leads and requests in "
            f"{time.perf_counter() - started:.1f} s)".replace(",", " ")
        )
        for export_format in args.formats:
            elapsed, idle, peak = run(MEASURE, export_format, env=env).split()
            idle_mb, peak_mb = int(idle) / 1024, int(peak) / 1024
            print(
                f"{rows:>10,}  {export_format:<6} {float(elapsed):>8.1f} "
                f"{rows / float(elapsed):>9,.0f} {idle_mb:>8.1f} {peak_mb:>8.1f} "
                f"{peak_mb - idle_mb:>9.1f}".replace(",", " ")
            )


if __name__ == "__main__":
    main()
