"""Staff's and editors' pages at the club's scale, and the cached white paper against /healthz
(issue #25), run by ``make bench-scale``.

On the scale data set (scripts/scale_data.py: 10 000 pages, 200 000 leads, 1 000 000 download
requests, 50 000 registrations, ~2 000 organisations; built once, then reused):

1. In one Django process (production settings, no HTTP): every admin listing and the leads
   report as a lead manager sees them, the page editor of an event and of a white paper, and
   publishing each (a revision published: the page cache's purge, the search index, the
   reference index); each timed ``--rounds`` times after a warm-up, with its SQL queries and
   their share of the time. Targets: listings and report at most 20 queries and a median under
   300 ms, the editor under 500 ms, publishing under 1 s.
2. gunicorn (the production stack) on the same database, with the local-memory cache and then
   with Redis: /healthz and the cached white paper measured by wrk (the paper's share of
   /healthz must be 50 % or more), then both, and the paper with the cache off, offered half
   their capacity at a fixed rate by hey (p99 under 50 ms cached, 150 ms uncached).

Every figure is printed in one table at the end, with the machine's load (``uptime``) beside
each part: this machine is shared, and the merger reruns it on a quiet one.

    .venv/bin/python scripts/bench_scale.py --rounds 7 --duration 8
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench import (  # noqa: E402 - the pages bench's helpers, one directory
    BIN,
    FIXED_RATE_SHARE,
    FIXED_RATE_TARGETS,
    PAPER,
    ROOT,
    VAR,
    answers,
    child_env,
    free_port,
    get,
    hey,
    start_private_redis,
    start_server,
    stop_server,
    wait_until_up,
    wrk,
)
from scale_data import SCALE_DATABASE, describe, ensure_scale_data  # noqa: E402

LISTING_QUERIES = 20
LISTING_MS = 300
EDITOR_MS = 500
PUBLISH_MS = 1000
HEALTHZ_SHARE = 50

# Run in a fresh process on the scale database: prints one JSON line per measured view.
IN_PROCESS = r"""
import json, statistics, sys, time
import django
django.setup()
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.db.models import Count
from events.models import EventPage
from publications.models import DownloadRequest, WhitePaperPage

rounds = int(sys.argv[1])
User = get_user_model()

def user(name, **fields):
    person = User.objects.filter(username=name).first()
    if person is None:
        person = User.objects.create_user(name, **fields)
    return person

manager = user("banc-gestionnaire")
manager.groups.add(Group.objects.get(name="Gestionnaires de leads"))
admin = user("banc-admin", is_superuser=True, is_staff=True)
managers, admins = Client(), Client()
managers.force_login(manager)
admins.force_login(admin)

def median_ms(call):
    call()  # warm-up: imports, templates, the first connection
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), max(times)

def measure(kind, label, client, path):
    def call():
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
    median, worst = median_ms(call)
    with CaptureQueriesContext(connection) as context:
        call()
    sql_ms = sum(float(query["time"]) for query in context.captured_queries) * 1000
    print(json.dumps({"kind": kind, "label": label, "path": path, "median": median,
                      "max": worst, "queries": len(context), "sql_ms": sql_ms}), flush=True)

top_paper = (DownloadRequest.objects.values("paper_id").annotate(n=Count("pk"))
             .order_by("-n").first()["paper_id"])
event = EventPage.objects.live().annotate(n=Count("registrations")).order_by("-n").first()
paper = WhitePaperPage.objects.get(pk=top_paper)
listings = [
    ("leads (last request, newest first)", "/admin/leads/"),
    ("leads by number of requests", "/admin/leads/?ordering=-request_count"),
    ("leads, page 200 (the last one shown)", "/admin/leads/?p=200"),
    ("leads, a search", "/admin/leads/?q=dominique"),
    ("download requests", "/admin/demandes/"),
    ("download requests of one paper", f"/admin/demandes/?paper={top_paper}"),
    ("download requests, page 200 (the last)", "/admin/demandes/?p=200"),
    ("registrations", "/admin/inscriptions/"),
    ("registrations of one event", f"/admin/inscriptions/?event={event.pk}"),
    ("export log", "/admin/exports-leads/"),
    ("organisations", "/admin/snippets/contacts/organisation/"),
    ("report (views, requests, downloads)", "/admin/rapport-leads/"),
    ("report, page 2 (the next 25 papers)", "/admin/rapport-leads/?p=2"),
]
for label, path in listings:
    measure("listing", label, managers, path)
measure("editor", "page editor: event", admins, f"/admin/pages/{event.pk}/edit/")
measure("editor", "page editor: white paper", admins, f"/admin/pages/{paper.pk}/edit/")

def publish(page):
    def call():
        page.refresh_from_db()
        page.save_revision(user=admin).publish(user=admin)
    median, worst = median_ms(call)
    with CaptureQueriesContext(connection) as context:
        call()
    sql_ms = sum(float(query["time"]) for query in context.captured_queries) * 1000
    label = f"publish: {page.specific_class._meta.verbose_name}"
    print(json.dumps({"kind": "publish", "label": label,
                      "path": page.url_path, "median": median, "max": worst,
                      "queries": len(context), "sql_ms": sql_ms}), flush=True)

publish(event.specific)
publish(paper)
"""


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=SCALE_DATABASE, help=f"({SCALE_DATABASE})")
    parser.add_argument("--rounds", type=int, default=7, help="timed calls per view (7)")
    parser.add_argument("--duration", type=int, default=8, help="seconds per wrk/hey run (8)")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections (16)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (2)")
    parser.add_argument("--only", choices=["admin", "pages"], help="run only this part")
    return parser.parse_args()


def load():
    """The machine's load averages, as uptime prints them."""
    return Path("/proc/loadavg").read_text().split()[:3]


def scale_env(args):
    env = child_env() | {"DATABASE_URL": args.database}
    env["DJANGO_ALLOWED_HOSTS"] = "testserver,localhost,127.0.0.1"
    env.pop("REDIS_URL", None)
    return env


def measure_admin(args, env):
    started_load = load()
    result = subprocess.run(  # noqa: S603 - our own interpreter and code
        [str(BIN / "python"), "-c", IN_PROCESS, str(args.rounds)],
        cwd=ROOT,
        env={**env, "PYTHONPATH": str(ROOT), "PAGE_CACHE_SECONDS": "600"},
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        sys.exit(f"admin timings failed:\n{result.stderr[-4000:]}")
    rows = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    return rows, started_load, load()


def measure_paper_against_healthz(args, env, label):
    """wrk on /healthz and the cached paper, then hey at half of each one's capacity, then
    the paper with the cache off at half of its own: {name: figures}."""
    results = {}

    def serve(server_env, name, work):
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = start_server(server_env, port, VAR / f"bench-scale-{name}.log")
        try:
            wait_until_up(base, server, timeout=120)  # a loaded machine boots slowly
            return work(base)
        finally:
            stop_server(server)

    def cached(base):
        # Each worker renders the page once with the local-memory cache (its own): warmed
        # through several connections, so that wrk measures the cached serve, not a render.
        for path in ("/healthz", PAPER) * 10:
            if get(base + path, timeout=30)[0] != 200:
                sys.exit(f"{path} does not answer 200")
        figures = {}
        for path in ("/healthz", PAPER, "/healthz"):  # the better /healthz is the baseline
            rate, p50, p99, errors, _ = wrk(args, base + path)
            if path not in figures or figures[path]["rate"] < rate:
                figures[path] = {"rate": rate, "p50": p50, "p99": p99, "errors": errors}
        for path in ("/healthz", PAPER):
            figures[path]["fixed"] = fixed(base, path, figures[path]["rate"], "cached")
        return figures

    def cold(base):
        rate, p50, p99, errors, _ = wrk(args, base + PAPER)
        figures = {"rate": rate, "p50": p50, "p99": p99, "errors": errors}
        figures["fixed"] = fixed(base, PAPER, rate, "cold")
        return figures

    def fixed(base, path, capacity, kind):
        if shutil.which("hey") is None:
            return None
        offered = max(1.0, capacity * FIXED_RATE_SHARE)
        achieved, p50, p99, errors, _ = hey(
            base + path, offered, args.duration, FIXED_RATE_TARGETS[kind]
        )
        return {"offered": offered, "achieved": achieved, "p50": p50, "p99": p99, "errors": errors}

    before = load()
    results["cached"] = serve(env, f"{label}-cached", cached)
    results["cold"] = serve({**env, "PAGE_CACHE_SECONDS": "0"}, f"{label}-cold", cold)
    results["load"] = (before, load())
    return results


def verdict(ok):
    return "ok" if ok else "MISSED"


def print_table(facts, admin, pages):
    print(f"\n{facts}")
    print(f"\n{'measure':<44}{'median ms':>10}{'max ms':>9}{'queries':>9}{'SQL ms':>9}  target")
    if admin:
        rows, before, after = admin
        for row in rows:
            if row["kind"] == "listing":
                target = row["queries"] <= LISTING_QUERIES and row["median"] < LISTING_MS
                goal = f"≤ {LISTING_QUERIES} queries, < {LISTING_MS} ms"
            elif row["kind"] == "editor":
                target, goal = row["median"] < EDITOR_MS, f"< {EDITOR_MS} ms"
            else:
                target, goal = row["median"] < PUBLISH_MS, f"< {PUBLISH_MS} ms"
            print(
                f"{row['label']:<44}{row['median']:>10.0f}{row['max']:>9.0f}{row['queries']:>9}"
                f"{row['sql_ms']:>9.0f}  {goal}: {verdict(target)}"
            )
        print(f"(load average {' '.join(before)} before, {' '.join(after)} after)")
    for cache, figures in pages.items():
        cached, cold = figures["cached"], figures["cold"]
        healthz, paper = cached["/healthz"], cached[PAPER]
        share = 100 * paper["rate"] / (healthz["rate"] or 1)
        print(f"\nwhite paper vs /healthz, {cache} (wrk, gunicorn):")
        print(
            f"  /healthz               {healthz['rate']:>8.0f} requests/s"
            f"  p99 {healthz['p99']:.1f} ms"
        )
        print(
            f"  white paper, cached    {paper['rate']:>8.0f} requests/s  p99 {paper['p99']:.1f} ms"
            f"  = {share:.0f} % of /healthz"
            f" (≥ {HEALTHZ_SHARE} %: {verdict(share >= HEALTHZ_SHARE)})"
        )
        print(f"  white paper, cache off {cold['rate']:>8.0f} requests/s  p99 {cold['p99']:.1f} ms")
        for name, run, kind in (
            ("/healthz", healthz, "cached"),
            ("white paper, cached", paper, "cached"),
            ("white paper, cache off", cold, "cold"),
        ):
            fixed = run.get("fixed")
            if fixed is None:
                print("  fixed rate: skipped (hey is missing: make hey)")
                break
            target = FIXED_RATE_TARGETS[kind]
            held = "" if fixed["achieved"] >= 0.95 * fixed["offered"] else ", rate not held"
            ok = fixed["p99"] < target and not fixed["errors"]
            print(
                f"  at {fixed['offered']:>6.0f}/s (half): {name:<23} p50 {fixed['p50']:6.1f} ms"
                f"  p99 {fixed['p99']:6.1f} ms  {fixed['errors']} errors"
                f"  (p99 < {target:.0f} ms: {verdict(ok)}{held})"
            )
        before, after = figures["load"]
        print(f"  (load average {' '.join(before)} before, {' '.join(after)} after)")


def main():
    args = parse_args()
    if not answers("127.0.0.1", 5432):
        sys.exit("bench-scale: PostgreSQL is not reachable on 127.0.0.1:5432")
    VAR.mkdir(exist_ok=True)
    facts = describe(*ensure_scale_data(args.database))
    env = scale_env(args)
    # A data set built by an earlier version is brought to today's schema (its migrations fill
    # what they add, such as the leads' stored request counts).
    for command in (["migrate", "--noinput", "-v0"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run(  # noqa: S603 - our own interpreter
            [str(BIN / "python"), "manage.py", *command], cwd=ROOT, env=env, check=True
        )
    admin = measure_admin(args, env) if args.only in (None, "admin") else None
    pages = {}
    if args.only in (None, "pages"):
        if shutil.which("wrk") is None:
            sys.exit("wrk is missing: make wrk")
        pages["local-memory cache"] = measure_paper_against_healthz(args, env, "locmem")
        process, url = start_private_redis()
        if process is not None:
            try:
                redis_env = {**env, "REDIS_URL": url}
                pages["Redis"] = measure_paper_against_healthz(args, redis_env, "redis")
            finally:
                process.terminate()
                process.wait(timeout=10)
    print_table(facts, admin, pages)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
