"""The club's size after a few years, on PostgreSQL, built once and reused (issue #25).

``make scale-data`` builds the database club_scale (``--database``): the demo content and
generated pages up to 10 000 live pages (scripts/bench_search.py's generation, the search index
included), then, in SQL (``generate_series``: the database writes the rows itself, no Python
loop, no ORM), the register's ~2 000 organisations with their domains and membership years,
200 000 leads (half attached to an organisation by their address's domain), 1 000 000 download
requests over three years (a few papers much asked for, most rarely), each paper's daily page
views, 50 000 registrations and 5 000 export log lines. The rows are numbered, so a build
stopped half-way is finished by the next one; when it is done, a marker table records the
counts and the build's seconds, and the next run only prints them.

    .venv/bin/python scripts/scale_data.py            # build or reuse
    .venv/bin/python scripts/scale_data.py --rebuild  # drop the generated rows, build again
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench import answers, child_env, ensure_database  # noqa: E402 - one directory
from bench_search import fill  # noqa: E402 - the 10 000 pages (its owner keeps it)

SCALE_DATABASE = "postgresql://postgres@127.0.0.1:5432/club_scale"
MARKER = "scale_data_marker"
COUNTS = {
    "pages": 10_000,
    "organisations": 2_000,
    "leads": 200_000,
    "requests": 1_000_000,
    "registrations": 50_000,
    "export_logs": 5_000,
}

# Every generated row's name, e-mail or note holds « echelle »; the requests span three years.
# Each statement inserts what is missing of its rows (numbered 1..n by a name or e-mail):
# rerunning the script after an interruption finishes the build.
ORGANISATIONS = """
INSERT INTO home_organisation (name, short_name, website, address, organisation_type, siren)
SELECT 'Organisme echelle ' || n, '', 'https://echelle-' || n || '.exemple-hlm.fr',
       n || ' rue de l''Échelle' || chr(10) || '75012 Paris',
       (ARRAY['oph','esh','coop','sem','collectivite','etat'])[1 + n %% 6], ''
FROM generate_series(1, %(organisations)s) AS n
WHERE NOT EXISTS (SELECT 1 FROM home_organisation WHERE name = 'Organisme echelle ' || n);

INSERT INTO contacts_organisationdomain (organisation_id, domain, sort_order)
SELECT o.id, 'echelle-' || split_part(o.name, ' ', 3) || '.exemple-hlm.fr', 0
FROM home_organisation o
WHERE o.name LIKE 'Organisme echelle %%'
ON CONFLICT (domain) DO NOTHING;

-- Two in three organisations are members, most of them for each of the last years.
INSERT INTO contacts_membership (organisation_id, year, sort_order)
SELECT o.id, y, 0
FROM home_organisation o, generate_series(
    extract(year FROM now())::int - 3, extract(year FROM now())::int) AS y
WHERE o.name LIKE 'Organisme echelle %%' AND o.id %% 3 <> 0 AND (o.id + y) %% 7 <> 0
ON CONFLICT DO NOTHING;
"""

# A lead n has the address lead-n@echelle-(n mod orgs).exemple-hlm.fr when n is even (attached
# by its domain), a public provider's otherwise; created over the three years.
LEADS = """
INSERT INTO publications_lead (public_id, email, first_name, last_name, organisation,
    organisation_type, job_title, phone, news_opt_in, created_at, updated_at, news_asked_at,
    news_confirmed_at, linked_organisation_id, organisation_link)
SELECT gen_random_uuid(),
       CASE WHEN n %% 2 = 0
            THEN 'lead-' || n || '@echelle-' || (1 + n %% %(organisations)s) || '.exemple-hlm.fr'
            ELSE 'lead-' || n || '@echelle.exemple-courriel.fr' END,
       (ARRAY['Camille','Dominique','Claude','Sacha','Maxime','Alix','Noé','Hélène'])[1 + n %% 8],
       'Échelle-' || n,
       'Organisme echelle ' || (1 + n %% %(organisations)s),
       (ARRAY['oph','esh','coop','sem','collectivite','etat','association','conseil',
               'autre'])[1 + n %% 9],
       (ARRAY['Directrice générale','Responsable de proximité','Chargé de mission'])[1 + n %% 3],
       '', n %% 4 = 0, at, at,
       CASE WHEN n %% 4 = 0 THEN at END, CASE WHEN n %% 4 = 0 THEN at END,
       CASE WHEN n %% 2 = 0 THEN o.id END,
       CASE WHEN n %% 2 = 0 THEN 'domain' ELSE '' END
FROM generate_series(
        (SELECT count(*) FROM publications_lead WHERE email LIKE 'lead-%%@echelle%%') + 1,
        %(leads)s) AS n
CROSS JOIN LATERAL (SELECT now() - interval '3 years' * (1 - n::float / %(leads)s)
                    AS at) AS dates
LEFT JOIN home_organisation o ON o.name = 'Organisme echelle ' || (1 + n %% %(organisations)s);
"""

# The requests: n-th over three years in order of time; its lead is any of the 200 000, its
# paper one of the live papers, the first ones far more often (a power law: a few papers are
# the club's best known); a third downloaded.
REQUESTS = """
CREATE TEMPORARY TABLE scale_papers AS
SELECT row_number() OVER (ORDER BY p.page_ptr_id) AS rank, p.page_ptr_id AS id, w.title, w.url_path
FROM publications_whitepaperpage p JOIN wagtailcore_page w ON w.id = p.page_ptr_id
WHERE w.live;

CREATE TEMPORARY TABLE scale_leads AS
SELECT row_number() OVER (ORDER BY id) AS rank, id FROM publications_lead
WHERE email LIKE 'lead-%%@echelle%%';

ANALYZE scale_papers;

ANALYZE scale_leads;

INSERT INTO publications_downloadrequest (public_id, paper_title, created_at, consent_text,
    news_opt_in, page_url, referrer, utm_source, utm_medium, utm_campaign, utm_term,
    utm_content, download_count, last_downloaded_at, lead_id, paper_id)
SELECT gen_random_uuid(), p.title, at,
       'J''accepte que le club conserve mes coordonnées (échelle).', n %% 5 = 0,
       'https://club.exemple.fr' || regexp_replace(p.url_path, '^/[^/]+', ''),
       '', CASE WHEN n %% 3 = 0 THEN 'lettre' ELSE '' END,
       CASE WHEN n %% 3 = 0 THEN 'email' ELSE '' END, '', '', 'echelle-' || n,
       CASE WHEN n %% 3 = 0 THEN 1 + n %% 2 ELSE 0 END,
       CASE WHEN n %% 3 = 0 THEN at + interval '1 hour' END, l.id, p.id
FROM generate_series(
        (SELECT count(*) FROM publications_downloadrequest WHERE utm_content LIKE 'echelle-%%')
        + 1, %(requests)s) AS n
CROSS JOIN LATERAL (SELECT now() - interval '3 years' * (1 - n::float / %(requests)s)
                    AS at) AS dates
JOIN scale_papers p
  ON p.rank = 1 + floor((SELECT count(*) FROM scale_papers)
                        * power(((n * 7919) %% 1000003)::float / 1000003, 3))::int
JOIN scale_leads l ON l.rank = 1 + (n * 104729) %% (SELECT count(*) FROM scale_leads);
"""

# Each lead's stored request count and last request (contacts.Lead), as capture_request keeps
# them for requests made on the site.
LEAD_COUNTS = """
UPDATE publications_lead l
SET request_count = r.n, last_request_at = r.last
FROM (SELECT lead_id, count(*) AS n, max(created_at) AS last
      FROM publications_downloadrequest WHERE lead_id IS NOT NULL GROUP BY lead_id) AS r
WHERE l.id = r.lead_id AND (l.request_count, l.last_request_at) IS DISTINCT FROM (r.n, r.last);
"""

# The report's totals (publications.PaperTotals), which the site keeps as requests and downloads
# happen: counted here once, as recount_paper_totals does, for the rows written in bulk.
TOTALS = """
INSERT INTO publications_papertotals (paper_id, requests, downloads, downloaded_requests)
SELECT paper_id, count(*), coalesce(sum(download_count), 0),
       count(*) FILTER (WHERE download_count > 0)
FROM publications_downloadrequest WHERE paper_id IS NOT NULL GROUP BY paper_id
ON CONFLICT (paper_id) DO UPDATE SET requests = EXCLUDED.requests,
    downloads = EXCLUDED.downloads, downloaded_requests = EXCLUDED.downloaded_requests;

INSERT INTO publications_papertotals (paper_id, requests, downloads, downloaded_requests)
SELECT DISTINCT paper_id, 0, 0, 0 FROM publications_paperdailyviews
ON CONFLICT (paper_id) DO NOTHING;
"""

# A paper's page views: eight per request on the days it was asked for.
VIEWS = """
INSERT INTO publications_paperdailyviews (paper_id, day, views)
SELECT paper_id, (created_at AT TIME ZONE 'Europe/Paris')::date, 8 * count(*)
FROM publications_downloadrequest
WHERE utm_content LIKE 'echelle-%%' AND paper_id IS NOT NULL
GROUP BY 1, 2
ON CONFLICT (paper_id, day) DO NOTHING;
"""

# Registrations for the events that exist, the whole event each; one in ten cancelled,
# one in twenty waiting.
REGISTRATIONS = """
CREATE TEMPORARY TABLE scale_events AS
SELECT row_number() OVER (ORDER BY e.page_ptr_id) AS rank, e.page_ptr_id AS id, w.url_path
FROM events_eventpage e JOIN wagtailcore_page w ON w.id = e.page_ptr_id WHERE w.live;

ANALYZE scale_events;

INSERT INTO events_registration (public_id, booking, status, is_member, price_label,
    accessibility_needs, comment, consent_text, page_url, created_at, confirmed_at,
    cancelled_at, event_id, lead_id, membership, organisation_id)
SELECT gen_random_uuid(), gen_random_uuid(),
       CASE WHEN n %% 10 = 0 THEN 'cancelled' WHEN n %% 20 = 1 THEN 'waiting'
            ELSE 'confirmed' END,
       n %% 2 = 0, CASE WHEN n %% 2 = 0 THEN 'Adhérent' ELSE 'Non-adhérent' END, '',
       'echelle-' || n, 'J''accepte que le club conserve mes coordonnées (échelle).',
       'https://club.exemple.fr' || regexp_replace(e.url_path, '^/[^/]+', ''), at,
       CASE WHEN n %% 10 <> 0 AND n %% 20 <> 1 THEN at END,
       CASE WHEN n %% 10 = 0 THEN at + interval '1 day' END,
       e.id, l.id, CASE WHEN n %% 2 = 0 THEN 'member' ELSE 'non_member' END, NULL
FROM generate_series(
        (SELECT count(*) FROM events_registration WHERE comment LIKE 'echelle-%%') + 1,
        %(registrations)s) AS n
CROSS JOIN LATERAL (SELECT now() - interval '3 years' * (1 - n::float / %(registrations)s)
                    AS at) AS dates
JOIN scale_events e ON e.rank = 1 + (n * 7919) %% (SELECT count(*) FROM scale_events)
JOIN scale_leads l ON l.rank = 1 + (n * 15485863) %% (SELECT count(*) FROM scale_leads);
"""

EXPORT_LOGS = """
INSERT INTO publications_exportlog (username, created_at, format, source, filters, row_count,
    user_id, dataset, status)
SELECT 'echelle', now() - interval '3 years' * (1 - n::float / %(export_logs)s),
       (ARRAY['csv','xlsx'])[1 + n %% 2], 'admin',
       CASE WHEN n %% 3 = 0 THEN jsonb_build_object('organisation_type', 'oph')
            ELSE '{}'::jsonb END,
       n * 37 %% 20000, NULL,
       (ARRAY['requests','leads','registrations'])[1 + n %% 3], 'done'
FROM generate_series(
        (SELECT count(*) FROM publications_exportlog WHERE username = 'echelle') + 1,
        %(export_logs)s) AS n;
"""


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=SCALE_DATABASE, help=f"({SCALE_DATABASE})")
    parser.add_argument("--rebuild", action="store_true", help="drop the marker and build again")
    return parser.parse_args()


def marker(connection):
    """(counts, seconds) of the finished build, or None."""
    exists = connection.execute("SELECT to_regclass(%s)", [MARKER]).fetchone()[0]
    if exists is None:
        return None
    row = connection.execute(f"SELECT counts, seconds FROM {MARKER}").fetchone()  # noqa: S608
    return row


def actual_counts(connection):
    queries = {
        "pages": "SELECT count(*) FROM wagtailcore_page WHERE live AND depth > 1",
        "organisations": "SELECT count(*) FROM home_organisation",
        "domains": "SELECT count(*) FROM contacts_organisationdomain",
        "memberships": "SELECT count(*) FROM contacts_membership",
        "leads": "SELECT count(*) FROM publications_lead",
        "requests": "SELECT count(*) FROM publications_downloadrequest",
        "daily views": "SELECT count(*) FROM publications_paperdailyviews",
        "registrations": "SELECT count(*) FROM events_registration",
        "export_logs": "SELECT count(*) FROM publications_exportlog",
    }
    return {name: connection.execute(sql).fetchone()[0] for name, sql in queries.items()}


def run_sql(connection, label, sql):
    started = time.monotonic()
    with connection.transaction():
        for statement in sql.split(";\n"):
            if statement.strip():
                connection.execute(statement, COUNTS)
    print(f"  {label}: {time.monotonic() - started:.1f} s", flush=True)


def build(url):
    """Every phase, each in its own transaction; returns the seconds it took."""
    import psycopg

    started = time.monotonic()
    env = child_env() | {"DATABASE_URL": url, "PAGE_CACHE_SECONDS": "0"}
    env.pop("REDIS_URL", None)
    pages = fill(env, COUNTS["pages"])
    print(f"  pages: {pages} live, {time.monotonic() - started:.0f} s", flush=True)
    with psycopg.connect(url, autocommit=True) as connection:
        # Set-based inserts of a million rows: sorts and hashes in memory, no JIT compilation.
        connection.execute("SET work_mem = '256MB'")
        connection.execute("SET jit = off")
        run_sql(connection, "organisations, domains, memberships", ORGANISATIONS)
        run_sql(connection, "leads", LEADS)
        run_sql(connection, "download requests", REQUESTS)
        run_sql(connection, "leads' request counts", LEAD_COUNTS)
        run_sql(connection, "paper daily views", VIEWS)
        run_sql(connection, "the report's paper totals", TOTALS)
        run_sql(connection, "registrations", REGISTRATIONS)
        run_sql(connection, "export log", EXPORT_LOGS)
        step = time.monotonic()
        connection.execute("VACUUM ANALYZE")
        print(f"  VACUUM ANALYZE: {time.monotonic() - step:.1f} s", flush=True)
        seconds = time.monotonic() - started
        counts = actual_counts(connection)
        connection.execute(f"CREATE TABLE {MARKER} (counts jsonb, seconds float)")
        connection.execute(
            f"INSERT INTO {MARKER} VALUES (%s, %s)",  # noqa: S608 - our constant
            [psycopg.types.json.Jsonb(counts), seconds],
        )
    return counts, seconds


def ensure_scale_data(url=SCALE_DATABASE, rebuild=False):
    """The scale database at ``url``, built if its marker is missing: (counts, seconds, built)."""
    import psycopg

    ensure_database(url)
    with psycopg.connect(url, autocommit=True) as connection:
        if rebuild:
            connection.execute(f"DROP TABLE IF EXISTS {MARKER}")
        done = marker(connection)
    if done is not None:
        return done[0], done[1], False
    print(f"Building the scale data set in {url} (once):", flush=True)
    counts, seconds = build(url)
    return counts, seconds, True


def describe(counts, seconds, built):
    how = "built" if built else "reused (built earlier)"
    figures = ", ".join(f"{name} {value:,}".replace(",", " ") for name, value in counts.items())
    return f"scale data {how} in {seconds:.0f} s: {figures}"


def main():
    args = parse_args()
    if not answers("127.0.0.1", 5432):
        sys.exit("scale data: PostgreSQL is not reachable on 127.0.0.1:5432")
    print(describe(*ensure_scale_data(args.database, args.rebuild)))


if __name__ == "__main__":
    main()
