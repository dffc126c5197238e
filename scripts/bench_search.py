"""Search latency over 10 000 pages on PostgreSQL (issue #6), run by ``make bench``.

Builds (once, then reuses) the database club_bench_search with the demo content and generated
pages, events and white papers up to ``--pages`` in all, indexes them, serves them with gunicorn
(production settings, page cache off so that every request really searches), then times
sequential requests to /recherche/ and /recherche/suggestions/ over a list of French queries
and prints the median and p99 latency of each.

    .venv/bin/python scripts/bench_search.py --pages 10000 --requests 400
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench import (  # noqa: E402 - the pages bench's helpers, one directory
    VAR,
    answers,
    child_env,
    ensure_database,
    free_port,
    get,
    manage,
    start_server,
    stop_server,
    wait_until_up,
)

DATABASE = "postgresql://postgres@127.0.0.1:5432/club_bench_search"
QUERIES = [
    "proximité",
    "proximite",
    "ateliers",
    "logement social",
    "culture de service",
    "numérique",
    "regroupement",
    "gestion locative",
    "management",
    "Driant",
    "habitat",
    "relation client",
    "organisation du travail",
    "territoires",
    "xyzzy introuvable",
    "livre blanc culture service",  # words that never all meet in one page
    "numériqe",  # a typo: « Vouliez-vous dire … », then the suggestion's results
    "proximitée",
]
TYPOS = ["numériqe", "proximitée", "regroupemnt", "gardeins", "habitta", "locatvie"]
SUGGESTIONS = ["pro", "ate", "log", "num", "reg", "cul", "man", "ter"]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=10_000, help="live pages in all (10 000)")
    parser.add_argument("--requests", type=int, default=400, help="timed requests per URL kind")
    parser.add_argument("--database", default=DATABASE, help=f"PostgreSQL URL ({DATABASE})")
    return parser.parse_args()


def page_count(env):
    code = "from wagtail.models import Page; print(Page.objects.live().count())"
    return int(manage(env, "shell", "-c", code, capture=True).strip().splitlines()[-1])


def fill(env, wanted):
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "load_demo_content")
    have = page_count(env)
    if have < wanted:
        # generate_content's counts are totals per kind: it adds what is missing.
        share = wanted // 3 + 1
        manage(
            env,
            "generate_content",
            "--pages",
            str(share),
            "--papers",
            str(share),
            "--events",
            str(share),
        )
        manage(env, "update_index")
    return page_count(env)


def timed(base, paths):
    latencies = []
    for path in paths:
        started = time.perf_counter()
        status, _headers, _body = get(base + path, timeout=30)
        latencies.append((time.perf_counter() - started) * 1000)
        if status != 200:
            sys.exit(f"{path} answered {status}")
    return latencies


def summary(label, latencies):
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * len(ordered)) - 1)]
    print(
        f"{label:<28} {len(ordered):>5} requests   median {statistics.median(ordered):7.1f} ms"
        f"   p99 {p99:7.1f} ms   max {ordered[-1]:7.1f} ms"
    )


# Timed inside one Django process (no HTTP, no gunicorn): the view as a request reaches it, the
# page cache off, each query a first search (cold) after a round of warm-up; the nearest
# indexed word of a typo alone; the suggestions while typing.
IN_PROCESS = """
import contextlib, statistics, time
from django.db import connection
from django.test import Client
from search import spelling
from search.excerpts import fold
queries, typos, prefixes, rounds = {queries!r}, {typos!r}, {prefixes!r}, {rounds}
client = Client()
def summary(label, latencies):
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * len(ordered)) - 1)]
    median = statistics.median(ordered)
    print(f"{{label:<28}} {{len(ordered):>5}} calls      median {{median:7.1f}} ms"
          f"   p99 {{p99:7.1f}} ms   max {{ordered[-1]:7.1f}} ms")
class Database:
    # Each query's time and count, to tell the database's share of a request from Python's.
    def __init__(self):
        self.ms, self.queries = [], []
    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.ms[-1] += (time.perf_counter() - started) * 1000
            self.queries[-1] += 1
def timed(call, items, database=None):
    latencies = []
    for item in items:
        if database:
            database.ms.append(0.0)
            database.queries.append(0)
        started = time.perf_counter()
        with connection.execute_wrapper(database) if database else contextlib.nullcontext():
            call(item)
        latencies.append((time.perf_counter() - started) * 1000)
    return latencies
def split(label, latencies, database):
    database_ms = statistics.median(database.ms)
    python_ms = statistics.median([total - db for total, db in zip(latencies, database.ms)])
    queries = statistics.median(database.queries)
    print(f"{{label:<28}} database {{database_ms:5.1f}} ms ({{queries:.0f}} queries),"
          f" Python {{python_ms:5.1f}} ms (medians)")
def search(query):
    response = client.get("/recherche/", {{"q": query}}, HTTP_HOST="localhost")
    assert response.status_code == 200, (query, response.status_code)
for query in queries:
    search(query)  # warm-up: Python's imports and caches, not the answers (no page cache)
per_query = {{query: [] for query in queries}}
searches, in_order = Database(), []
for _round in range(rounds):
    for query in queries:
        latency = timed(search, [query], searches)
        per_query[query].extend(latency)
        in_order.extend(latency)
summary("results page (in process)", in_order)
split("  per request", in_order, searches)
worst = max(per_query, key=lambda query: statistics.median(per_query[query]))
summary(f"  slowest: {{worst[:17]}}", per_query[worst])
summary("  logement social", per_query["logement social"])
summary("did-you-mean (in process)", timed(spelling.nearest, [fold(t) for t in typos] * rounds))
def typing(prefix):
    response = client.get("/recherche/suggestions/", {{"q": prefix}}, HTTP_HOST="localhost")
    assert response.status_code == 200, (prefix, response.status_code)
typing(prefixes[0])
typed = Database()
typing_ms = timed(typing, prefixes * rounds, typed)
summary("suggestions (in process)", typing_ms)
split("  per request", typing_ms, typed)
"""


def in_process(env, rounds):
    code = IN_PROCESS.format(queries=QUERIES, typos=TYPOS, prefixes=SUGGESTIONS, rounds=rounds)
    print(manage(env, "shell", "-c", code, capture=True).strip())


def main():
    args = parse_args()
    if not answers("127.0.0.1", 5432):
        print("search bench: PostgreSQL is not reachable on 127.0.0.1:5432, skipped")
        return
    VAR.mkdir(exist_ok=True)
    ensure_database(args.database)
    env = child_env() | {"DATABASE_URL": args.database, "PAGE_CACHE_SECONDS": "0"}
    env.pop("REDIS_URL", None)
    pages = fill(env, args.pages)
    # What autovacuum does on a server in its steady state (it may be off where this runs): the
    # postings (search/migrations/0004) are read by index-only scans once vacuumed. The
    # indexes of search/migrations/0002 keep searches fast without statistics too, only less so.
    analyze = "from django.db import connection; connection.cursor().execute('VACUUM ANALYZE')"
    manage(env, "shell", "-c", analyze)
    manage(env, "collectstatic", "--noinput", "-v0")
    print(f"\nSearch over {pages} live pages (PostgreSQL, French full text, in process):")
    in_process(env, max(1, args.requests // len(QUERIES)))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(env, port, VAR / "bench-search-gunicorn.log")
    try:
        wait_until_up(base, server)
        from urllib.parse import urlencode

        searches = [
            "/recherche/?" + urlencode({"q": QUERIES[i % len(QUERIES)]})
            for i in range(args.requests)
        ]
        filtered = [path + "&type=evenements&page=2" for path in searches]
        typed = [
            "/recherche/suggestions/?" + urlencode({"q": SUGGESTIONS[i % len(SUGGESTIONS)]})
            for i in range(args.requests)
        ]
        timed(base, searches[: len(QUERIES)] + typed[: len(SUGGESTIONS)])  # warm up
        print(f"\nSearch over {pages} live pages (PostgreSQL, French full text, one client):")
        summary("results page", timed(base, searches))
        summary("events, page 2", timed(base, filtered))
        summary("suggestions", timed(base, typed))
    finally:
        stop_server(server)


if __name__ == "__main__":
    main()
