"""Load test of the production stack: gunicorn, DEBUG off, whitenoise, on generated content.

Run by ``make bench``. Builds its own database (PostgreSQL ``club_bench`` when a server answers
on 127.0.0.1:5432, else var/bench.sqlite3; DATABASE_URL as is when set) and media
(var/bench/), fills them with ``load_demo_content`` and ``generate_content``, then serves them
with gunicorn (2 workers) twice: with the page cache (in Redis when one answers on
127.0.0.1:6379, db 2, or REDIS_URL), then also purged twice a second as publishing does, and
with the page cache off (PAGE_CACHE_SECONDS=0: every request renders). Each public page type is
measured with wrk against /healthz (no template, no database) in the same run, and the lead
form's POST with a wrk Lua script, with the mail worker production runs beside gunicorn
(``run_worker``, OUTBOX_WORKER) on the same cores. Prints one table: requests/s, share
of /healthz and p99, cached and cold, and each page's SQL queries when rendered; the lead POSTs
stored against those answered, and their mails sent; the workers' memory (RSS sampled every
second: start, end, peak). Then a "Redis stopped" run: gunicorn on a private redis-server (a
free port) that the bench stops once the pages are cached: every page type's throughput with
the cache down, which must answer with no error (``--redis-stopped-only`` runs only that
part, after the content). ``--soak 600`` then loads every page for ten minutes (``make soak``)
and prints the memory line again. Server logs: var/bench-gunicorn-*.log. Last, the members
import (contacts.member_import): a generated file of ``--member-rows`` rows (5 000), XLSX and
CSV, checked then imported, then imported again (all unchanged), each pass's seconds and peak
Python memory (tracemalloc) in a fresh process; ``--only members-import`` runs only that part
(no wrk, no gunicorn, no content: just the migrated database).

    .venv/bin/python scripts/bench.py --papers 100 --duration 8 --connections 16
"""

import argparse
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
VAR = ROOT / "var"
PAPER = "/livres-blancs/la-culture-de-service/"
SUMMARY = []  # the memory lines, printed at the end
BENCH_DATABASE = "postgresql://postgres@127.0.0.1:5432/club_bench"
BENCH_REDIS = "redis://127.0.0.1:6379/2"
PAGES = [
    ("", "/healthz"),
    ("accueil", "/"),
    ("page de contenu", "/le-club/"),
    ("catalogue", "/livres-blancs/"),
    ("livre blanc", PAPER),
    ("agenda", "/agenda/"),
    ("événement", "/agenda/revisiter-la-proximite/"),
    ("recherche", "/recherche/?q=service"),
]
PURGE_SECONDS = 0.5
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}

# POSTs the lead form with the fields read from one GET; a new e-mail and a fresh fill-time
# token (signed beforehand, publications.forms) per request.
LEAD_SCRIPT = """
local counter, threads = 1, {}
function setup(thread)
  thread:set("id", counter)
  table.insert(threads, thread)
  counter = counter + 1
end
function init(args)
  sent, ok, failed, last_failure = 0, 0, 0, 0
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  wrk.headers["Cookie"] = "csrftoken=%(cookie)s"
  -- One fill-time token per POST (they are single-use): this thread's share of the file.
  tokens = {}
  local index = 0
  for line in io.lines("%(tokens)s") do
    if index %% %(threads)d == id - 1 then table.insert(tokens, line) end
    index = index + 1
  end
end
function request()
  sent = sent + 1
  local email = string.format("%(prefix)s%%d-%%d%%%%40exemple-club-hlm.fr", id, sent)
  local token = tokens[(sent - 1) %% #tokens + 1]
  return wrk.format(nil, nil, nil, "%(body)s&started=" .. token .. "&email=" .. email)
end
function response(status, headers, body)
  if status >= 300 and status < 400 then ok = ok + 1
  else failed = failed + 1; last_failure = status end
end
function done(summary, latency, requests)
  local total_ok, total_failed, status = 0, 0, 0
  for _, thread in ipairs(threads) do
    total_ok = total_ok + thread:get("ok")
    total_failed = total_failed + thread:get("failed")
    if thread:get("last_failure") ~= 0 then status = thread:get("last_failure") end
  end
  io.write(string.format("LEAD ok=%%d failed=%%d status=%%d\\n", total_ok, total_failed, status))
end
"""


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=20, help="generated pages (20)")
    parser.add_argument("--papers", type=int, default=100, help="generated white papers (100)")
    parser.add_argument("--leads", type=int, default=2000, help="generated leads (2000)")
    parser.add_argument("--events", type=int, default=200, help="generated events (200)")
    parser.add_argument("--duration", type=int, default=8, help="seconds per wrk run (8)")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections (16)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (2)")
    parser.add_argument("--sqlite", action="store_true", help="SQLite even if PostgreSQL answers")
    parser.add_argument(
        "--no-fixed-rate",
        dest="fixed_rate",
        action="store_false",
        help="skip the runs at a fixed offered rate (hey)",
    )
    parser.add_argument(
        "--soak", type=int, default=0, help="then load every page this many seconds (0)"
    )
    parser.add_argument(
        "--redis-stopped-only", action="store_true", help="measure only the pages with Redis down"
    )
    parser.add_argument(
        "--member-rows", type=int, default=5000, help="rows of the members file (5000)"
    )
    parser.add_argument(
        "--only", choices=["members-import"], help="run only this part (no web benchmark)"
    )
    return parser.parse_args()


def answers(host, port):
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def ensure_database(url):
    import psycopg

    name = urllib.parse.urlsplit(url).path.lstrip("/")
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not exists.fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


def bench_env(args, cache=True):
    """child_env() on PostgreSQL and Redis when this machine runs them (as production does);
    Redis left out when ``cache`` is False (the members import needs none)."""
    env = child_env()
    if not os.environ.get("DATABASE_URL") and not args.sqlite and answers("127.0.0.1", 5432):
        env["DATABASE_URL"] = BENCH_DATABASE
        ensure_database(BENCH_DATABASE)
    if cache and not os.environ.get("REDIS_URL") and answers("127.0.0.1", 6379):
        env["REDIS_URL"] = BENCH_REDIS
        import redis

        redis.Redis.from_url(BENCH_REDIS).flushdb()  # db 2 is the bench's own
    print(f"database: {env['DATABASE_URL']}; cache: {env.get('REDIS_URL') or 'local memory'}")
    return env


def child_env():
    env = dict(os.environ)
    if env.get("DATABASE_URL"):
        print(f"DATABASE_URL is set: the bench adds generated content to {env['DATABASE_URL']}")
    else:
        env["DATABASE_URL"] = f"sqlite:///{VAR / 'bench.sqlite3'}"
    env.setdefault("DJANGO_MEDIA_ROOT", str(VAR / "bench" / "media"))
    env.setdefault("DJANGO_PRIVATE_MEDIA_ROOT", str(VAR / "bench" / "private"))
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DJANGO_SECURE_SSL_REDIRECT="false",
        DJANGO_SERVE_MEDIA="true",
        LEAD_FORM_RATE="1000000/h",  # the whole POST run comes from one address
        OUTBOX_WORKER="true",  # as in production: a worker sends the mails (start_server)
    )
    return env


def manage(env, *args, capture=False):
    command = [str(BIN / "python"), "manage.py", *args]
    if not capture:
        print("$ manage.py " + " ".join(args), flush=True)
    result = subprocess.run(  # noqa: S603 - our own interpreter and arguments
        command, cwd=ROOT, env=env, check=True, text=True, capture_output=capture
    )
    return result.stdout


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url, timeout=5):
    """(status, headers, body) of a GET; errors as statuses, never exceptions."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - local URL
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, ""
    except (urllib.error.URLError, OSError):
        return None, None, ""


def wait_until_up(base, server, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn exited with code {server.returncode}")
        if get(base + "/healthz", timeout=1)[0] == 200:
            return
        time.sleep(0.2)
    sys.exit(f"/healthz did not answer 200 within {timeout} s")


def to_ms(value):
    number, unit = re.fullmatch(r"([\d.]+)([a-z]+)", value).groups()
    return float(number) * UNITS[unit]


def wrk(args, url, script=None):
    """Runs wrk --latency; returns requests/s, p50 and p99 (ms), errors and wrk's output."""
    command = ["wrk", "--latency", f"-t{args.threads}", f"-c{args.connections}"]
    command += [f"-d{args.duration}s", "--timeout", "10s"]
    if script:
        command += ["-s", script]
    output = subprocess.run(  # noqa: S603 - wrk found on PATH, our arguments
        [*command, url], check=True, text=True, capture_output=True
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = to_ms(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1))
    p99 = to_ms(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1))
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", output))
    socket_errors = re.search(r"Socket errors: (.*)", output)
    if socket_errors:
        errors += sum(int(n) for n in re.findall(r"\d+", socket_errors.group(1)))
    return rate, p50, p99, errors, output


# The fixed-rate runs: each page type is offered half its measured capacity, whatever the
# server does (issue #25). hey's workers each send at their own rate (-q, per worker: the
# rate is q × c) and wait for their answer, so a worker whose answer takes longer than its
# interval falls behind: the run is open-loop only while latencies stay under that interval.
# Each worker's interval is set to twice the target p99 (so many workers, each slow), and a run
# that delivered less than 95 % of the offered rate is flagged: its latencies are an
# underestimate.
FIXED_RATE_SHARE = 0.5
FIXED_RATE_TARGETS = {"cached": 50.0, "cold": 150.0}  # p99, ms
FIXED_RATE_MAX_WORKERS = 400


def hey(url, rate, duration, target_ms):
    """Offers ``rate`` requests/s to ``url`` for ``duration`` s with hey; returns the rate
    achieved, p50 and p99 (ms), errors (non-2xx/3xx and failed requests) and hey's output."""
    workers = max(1, min(FIXED_RATE_MAX_WORKERS, round(rate * 2 * target_ms / 1000)))
    command = ["hey", "-z", f"{duration}s", "-c", str(workers), "-q", f"{rate / workers:.3f}"]
    command += ["-t", "10", "-disable-redirects", url]
    output = subprocess.run(  # noqa: S603 - hey found on PATH, our arguments
        command, check=True, text=True, capture_output=True
    ).stdout
    achieved = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))

    def percentile(share):
        found = re.search(rf"^\s+{share}% in ([\d.]+) secs", output, re.M)
        return float(found.group(1)) * 1000 if found else float("nan")

    errors = 0
    for status, count in re.findall(r"^\s+\[(\d+)\]\s+(\d+) responses", output, re.M):
        if not 200 <= int(status) < 400:
            errors += int(count)
    failures = output.partition("Error distribution:")[2]
    errors += sum(int(n) for n in re.findall(r"^\s+\[(\d+)\]", failures, re.M))
    return achieved, percentile(50), percentile(99), errors, output


def measure_fixed_rate(args, base, capacity, kind):
    """{path: (offered, achieved, p50, p99, errors)}: each page offered FIXED_RATE_SHARE of
    the requests/s wrk measured for it (``capacity``), in the same server."""
    if shutil.which("hey") is None or not args.fixed_rate:
        return {}
    results = {}
    for _, path in PAGES:
        if path not in capacity:
            continue
        offered = max(1.0, capacity[path][0] * FIXED_RATE_SHARE)
        print(f"hey {path} at {offered:.0f} requests/s", flush=True)
        achieved, p50, p99, errors, _ = hey(
            base + path, offered, args.duration, FIXED_RATE_TARGETS[kind]
        )
        results[path] = (offered, achieved, p50, p99, errors)
    return results


def print_fixed_rate(runs):
    """One table: each page type at half its capacity, cached and cold, against the targets."""
    if not any(runs.values()):
        print("\nfixed rate: skipped (hey is missing: make hey)")
        return
    labels = {path: f"{path} ({label})" if label else path for label, path in PAGES}
    width = max(len(label) for label in labels.values()) + 2
    print(
        f"\nAt a fixed offered rate (half of each page's capacity, hey; p99 targets:"
        f" {FIXED_RATE_TARGETS['cached']:.0f} ms cached, {FIXED_RATE_TARGETS['cold']:.0f} ms"
        " cold)"
    )
    print(
        f"{'page':<{width}}{'run':<8}{'offered/s':>10}{'achieved':>10}{'p50 ms':>9}"
        f"{'p99 ms':>9}{'errors':>8}  verdict"
    )
    for kind, results in runs.items():
        for _, path in PAGES:
            if path not in results:
                continue
            offered, achieved, p50, p99, errors = results[path]
            verdict = "ok" if p99 < FIXED_RATE_TARGETS[kind] and not errors else "MISSED"
            if achieved < 0.95 * offered:
                verdict += ", rate not held"
            print(
                f"{labels[path]:<{width}}{kind:<8}{offered:>10.0f}{achieved:>10.0f}{p50:>9.1f}"
                f"{p99:>9.1f}{errors:>8}  {verdict}"
            )


def sign_tokens(env, path, count):
    """``count`` fill-time tokens for the paper's form, signed with the served stack's key and
    started a minute ago, one a line: each POST needs its own (they are single-use)."""
    code = (
        "import sys, time; from contacts.forms import sign_form_start; "
        f"sys.stdout.write(''.join(sign_form_start({PAPER!r}, time.time() - 60) + chr(10) "
        f"for _ in range({count})))"
    )
    Path(path).write_text(manage(env, "shell", "-c", code, capture=True))


def lead_script(args, env, base, tmp, prefix):
    """The Lua script for the lead POST: CSRF cookie and token from one GET, a fresh fill-time
    token per request."""
    status, headers, html = get(base + PAPER)
    if status != 200:
        sys.exit(f"GET {PAPER} answered {status}")
    cookie = re.search(r"csrftoken=([^;]+)", headers.get("Set-Cookie", "")).group(1)

    def hidden(name):
        tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', html).group(0)
        return re.search(r'value="([^"]*)"', tag).group(1)

    fields = {
        "csrfmiddlewaretoken": hidden("csrfmiddlewaretoken"),
        "first_name": "Camille",
        "last_name": "Banc-d'Essai",
        "organisation": "Office de banc d'essai",
        "organisation_type": "oph",
        "job_title": "Directrice",
        "phone": "",
        "consent": "on",
        "website": "",
    }
    body = urllib.parse.urlencode(fields)
    tokens = Path(tmp) / "tokens.txt"
    # More than the run can send: 2 000 POSTs/s over the whole duration.
    sign_tokens(env, tokens, 2000 * max(args.duration, 1))
    path = Path(tmp) / "lead.lua"
    path.write_text(
        LEAD_SCRIPT
        % {
            "cookie": cookie,
            "prefix": prefix,
            "body": body,
            "tokens": tokens,
            "threads": args.threads,
        }
    )
    return str(path)


def count_requests(env, prefix):
    code = (
        "from publications.models import DownloadRequest as D; "
        f"print(D.objects.filter(lead__email__startswith={prefix!r}).count())"
    )
    return int(manage(env, "shell", "-v0", "-c", code, capture=True).strip().splitlines()[-1])


def wait_for_mails(env, prefix, timeout=60):
    """(sent, queued, seconds waited) of the run's mails, once the worker has sent them all."""
    code = (
        "from contacts.models import OutboundEmail as M; "
        f"mails = M.objects.filter(to__startswith={prefix!r}); "
        "print(mails.filter(sent_at__isnull=False).count(), mails.count())"
    )
    started = time.monotonic()
    while True:
        output = manage(env, "shell", "-v0", "-c", code, capture=True)
        sent, queued = map(int, output.strip().splitlines()[-1].split())
        waited = time.monotonic() - started
        if sent == queued or waited > timeout:
            return sent, queued, waited
        time.sleep(0.5)


def print_table(rows):
    baseline = rows[0][1] or 1
    width = max(len(row[0]) for row in rows) + 2
    header = f"{'page':<{width}}{'requests/s':>11}{'p50 ms':>9}{'p99 ms':>9}{'/healthz':>10}"
    print(f"\n{header}{'errors':>8}")
    for label, rate, p50, p99, errors in rows:
        share = f"{100 * rate / baseline:.0f} %"
        print(f"{label:<{width}}{rate:>11.1f}{p50:>9.1f}{p99:>9.1f}{share:>10}{errors:>8}")


class MemorySampler(threading.Thread):
    """RSS of each gunicorn worker, every second: start, end and peak per worker."""

    def __init__(self, master_pid):
        super().__init__(daemon=True)
        self.master_pid, self.samples, self.stopped = master_pid, {}, threading.Event()

    def workers(self):
        path = Path(f"/proc/{self.master_pid}/task/{self.master_pid}/children")
        try:
            return [int(pid) for pid in path.read_text().split()]
        except OSError:
            return []

    @staticmethod
    def rss_mb(pid):
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            return None
        return int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024

    def run(self):
        while not self.stopped.wait(1.0):
            for pid in self.workers():
                rss = self.rss_mb(pid)
                if rss is not None:
                    self.samples.setdefault(pid, []).append(rss)

    def stop(self):
        self.stopped.set()
        self.join()

    def report(self, label):
        return [
            f"memory ({label}) worker {pid}: start {values[0]:.0f} MB, end {values[-1]:.0f} MB,"
            f" peak {max(values):.0f} MB, growth {values[-1] - values[0]:+.0f} MB"
            f" over {len(values)} s"
            for pid, values in sorted(self.samples.items())
        ]


def start_server(env, port, log_path):
    with open(log_path, "w") as log:
        return subprocess.Popen(  # noqa: S603 - our own gunicorn
            [
                *(str(BIN / "gunicorn"), "config.wsgi", "--config", "config/gunicorn.py"),
                *("--bind", f"127.0.0.1:{port}"),
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )


def start_outbox_worker(env, log_path):
    """The worker production runs beside gunicorn (run_worker): on the same cores."""
    with open(log_path, "w") as log:
        return subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            [str(BIN / "python"), "manage.py", "run_worker"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )


def stop_server(server):
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()


QUERIES = r"""
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
client = Client()
for path in PATHS:
    client.get(path)
    client.get(path)
    with CaptureQueriesContext(connection) as context:
        client.get(path)
    print("QUERIES", path, len(context.captured_queries))
"""


def count_queries(env):
    """SQL queries of each page when it is rendered (page cache off), the third time."""
    paths = [path for _, path in PAGES]
    code = QUERIES.replace("PATHS", repr(paths))
    output = manage(
        {**env, "PAGE_CACHE_SECONDS": "0", "DJANGO_ALLOWED_HOSTS": "testserver"},
        "shell",
        "-v0",
        "-c",
        code,
        capture=True,
    )
    return {path: int(n) for path, n in re.findall(r"^QUERIES (\S+) (\d+)$", output, re.M)}


def report_log(log_path):
    """How many requests failed on the server, and why (the last line of each traceback)."""
    log = log_path.read_text(errors="replace")
    failures = re.findall(r" ERROR django\.request: (.*)", log)
    causes = Counter(re.findall(r"^(\w[\w.]*(?:Error|Exception)\b.*)$", log, re.M))
    print(f"\ngunicorn log: {log_path.relative_to(ROOT)}, {len(failures)} server errors")
    for cause, count in causes.most_common(5):
        print(f"  {count} × {cause}")


def measure_pages(args, base):
    """{path: (requests/s, p50, p99, errors)} for each page type, /healthz first and last.

    The machine is shared: /healthz is measured before and after the pages and the better of
    the two is the baseline, so that one disturbed run does not flatter every ratio."""
    results = {}
    for _, path in [*PAGES, ("", "/healthz")]:
        status = get(base + path)[0]
        if status != 200:
            print(f"skipped {path}: it answers {status}")
            continue
        print(f"wrk {path}", flush=True)
        rate, p50, p99, errors, _ = wrk(args, base + path)
        if path in results and results[path][0] >= rate:
            continue
        results[path] = (rate, p50, p99, errors)
    return results


def measure_purged_pages(args, env, base):
    """The cached pages while the whole cache is purged every PURGE_SECONDS, as publishing does
    (pagecache's generation, bumped in Redis): a burst on pages that keep going cold."""
    if not env.get("REDIS_URL"):
        return {}
    import redis

    client = redis.Redis.from_url(env["REDIS_URL"])
    keys = client.keys("*page-cache:generation")
    if not keys:
        return {}
    stop = threading.Event()

    def purge():
        while not stop.wait(PURGE_SECONDS):
            client.incr(keys[0])

    purger = threading.Thread(target=purge, daemon=True)
    purger.start()
    try:
        print(f"purging the page cache every {PURGE_SECONDS} s:", flush=True)
        return measure_pages(args, base)
    finally:
        stop.set()
        purger.join()


def healthz_baseline(*runs):
    """One baseline for every column: the best /healthz of the whole run (this machine's CPU
    is shared and noisy; a slow /healthz would flatter every ratio measured against it)."""
    return max(run.get("/healthz", (1,))[0] for run in runs) or 1


def cells(result, baseline):
    """requests/s, share of /healthz and p99 of one page in one run."""
    rate, _, p99, _ = result
    return f"{rate:>10.1f}{100 * rate / baseline:>9.0f}%{p99:>10.1f}"


def print_purged(purged, cached, cold):
    if not purged:
        return
    baseline = healthz_baseline(cached, cold)
    print(f"\ncache purged every {PURGE_SECONDS} s (every page cold twice a second):")
    for label, path in PAGES:
        if label and path in purged:
            errors = purged[path][3]
            print(
                f"{path} ({label})".ljust(56)
                + cells(purged[path], baseline)
                + " ms"
                + (f"   {errors} errors" if errors else "")
            )


def start_private_redis():
    """A redis-server of the bench's own on a free port, or None without redis-server."""
    binary = shutil.which("redis-server")
    if binary is None:
        return None, None
    port = free_port()
    process = subprocess.Popen(  # noqa: S603 - redis-server found on PATH, our arguments
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not answers("127.0.0.1", port):
        time.sleep(0.05)
    return process, f"redis://127.0.0.1:{port}/0"


def measure_redis_stopped(args, env):
    """Every page type served by gunicorn whose Redis stops once the pages are cached (issue
    #16): each must answer, rendered without the cache."""
    process, url = start_private_redis()
    if process is None:
        print("skipped the Redis stopped run: redis-server is not installed")
        return {}

    def work(base):
        for _, path in PAGES:
            get(base + path)  # cached while Redis answers
        process.terminate()
        process.wait(timeout=10)
        print("Redis stopped:", flush=True)
        return measure_pages(args, base)

    try:
        return serve_and_measure(args, {**env, "REDIS_URL": url}, "redis-stopped", work)
    finally:
        if process.poll() is None:
            process.terminate()


def print_redis_stopped(stopped, *runs):
    if not stopped:
        return
    baseline = healthz_baseline(stopped, *runs)
    print("\nRedis stopped (every page rendered without the cache; errors must be 0):")
    for label, path in PAGES:
        if label and path in stopped:
            row = f"{path} ({label})".ljust(56) + cells(stopped[path], baseline)
            print(f"{row} ms   {stopped[path][3]} errors")


def measure_lead_post(args, env, base):
    prefix = f"bench-{secrets.token_hex(4)}-"
    with tempfile.TemporaryDirectory() as tmp:
        print(f"wrk POST {PAPER} (lead form)", flush=True)
        script = lead_script(args, env, base, tmp, prefix)
        rate, p50, p99, _, output = wrk(args, base + PAPER, script)
    found = re.search(r"LEAD ok=(\d+) failed=(\d+) status=(\d+)", output)
    ok, failed, status = map(int, found.groups())
    stored = count_requests(env, prefix)
    sent, queued, drained = wait_for_mails(env, prefix)
    last = f" (last failure: HTTP {status})" if failed else ""
    lines = [
        f"lead POST: {rate:.1f} requests/s, p50 {p50:.1f} ms, p99 {p99:.1f} ms",
        f"lead POST: {ok} redirects (302), {failed} failures{last}",
        f"lead POST: stored {stored} requests for {ok} successful answers",
        f"lead POST: the outbox worker sent {sent} of {queued} mails"
        f" ({drained:.1f} s after the last request)",
    ]
    if sent != queued:
        lines.append("WARNING: mails left unsent")
    # wrk stops with up to one request per connection in flight: stored, never answered.
    if not ok <= stored <= ok + args.connections:
        lines.append("WARNING: more or fewer stored requests than answered (plus those in flight)")
    return lines


def print_pages(cached, cold, queries):
    baseline = healthz_baseline(cached, cold)
    labels = {path: f"{path} ({label})" if label else path for label, path in PAGES}
    width = max(len(label) for label in labels.values()) + 2
    print(
        f"\n{'':<{width}}{'--------- cached ---------':>30}{'---------- cold ----------':>30}"
        f"\n{'page':<{width}}"
        + f"{'req/s':>10}{'/healthz':>10}{'p99 ms':>10}" * 2
        + f"{'queries':>9}{'errors':>8}"
    )
    for _, path in PAGES:
        if path not in cached or path not in cold:
            continue
        row = f"{labels[path]:<{width}}"
        row += cells(cached[path], baseline) + cells(cold[path], baseline)
        errors = cached[path][3] + cold[path][3]
        print(f"{row}{queries.get(path, '-'):>9}{errors:>8}")


def serve_and_measure(args, env, label, work):
    """Starts gunicorn with ``env``, runs ``work(base)`` while sampling memory, stops it."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log_path = VAR / f"bench-gunicorn-{label}.log"
    server = start_server(env, port, log_path)
    outbox_worker = start_outbox_worker(env, VAR / f"bench-outbox-{label}.log")
    sampler = MemorySampler(server.pid)
    try:
        wait_until_up(base, server)
        sampler.start()
        result = work(base)
    finally:
        if sampler.is_alive():
            sampler.stop()
        stop_server(outbox_worker)
        stop_server(server)
        report_log(log_path)
    SUMMARY.extend(sampler.report(label))
    return result


SOAK_SCRIPT = """
local paths, n = {PATHS}, 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n %% #paths) + 1])
end
"""


def soak(args, env):
    """Every page in turn for args.soak seconds: does a worker's memory grow?"""
    paths = ", ".join(f'"{path}"' for _, path in PAGES[1:])
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "soak.lua"
        script.write_text(SOAK_SCRIPT.replace("{PATHS}", "{" + paths + "}").replace("%%", "%"))

        def work(base):
            print(f"soak: every page in turn for {args.soak} s", flush=True)
            soak_args = argparse.Namespace(**{**vars(args), "duration": args.soak})
            rate, _, p99, errors, _ = wrk(soak_args, base + "/", str(script))
            print(f"soak: {rate:.1f} requests/s, p99 {p99:.1f} ms, {errors} errors")

        serve_and_measure(args, env, "soak", work)


# --- The members import ---------------------------------------------------------------------

# Run in a fresh process: builds the file, then times each pass with tracemalloc on. The
# organisations of an earlier run (named "Banc adhérent …") are deleted first.
MEMBER_IMPORT_SCRIPT = r"""
import io, sys, time, tracemalloc
import django
django.setup()
import openpyxl
from contacts import member_import
from contacts.identifiers import siren_is_valid
from contacts.models import MemberImport, Organisation

rows, file_format = int(sys.argv[1]), sys.argv[2]
Organisation.objects.filter(name__startswith="Banc adhérent").delete()
MemberImport.objects.filter(file_name__startswith="banc-").delete()

def siren(n):
    base = f"{n:08d}"
    return next(base + str(d) for d in range(10) if siren_is_valid(base + str(d)))

def row(n):
    key = siren(10_000_000 + n) if n % 50 else "123456789"  # one in 50: a wrong key
    return [f"Banc adhérent {n}", f"BA {n}", "OPH" if n % 2 else "ESH", key,
            f"banc-{n}.exemple-hlm.fr", f"{n} rue du Banc\n75012 Paris",
            f"https://banc-{n}.exemple-hlm.fr", "2026, 2027"]

header = list(member_import.HEADERS.values())
if file_format == "xlsx":
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(header)
    for n in range(1, rows + 1):
        sheet.append(row(n))
    output = io.BytesIO()
    workbook.save(output)
    content = output.getvalue()
else:
    import csv
    text = io.StringIO()
    writer = csv.writer(text, delimiter=";")
    writer.writerow(header)
    writer.writerows(row(n) for n in range(1, rows + 1))
    content = text.getvalue().encode("cp1252")
output = text = None  # only the bytes stay

def passes(traced):
    # The dry run, the import, the same import again: (label, seconds, peak, counts...).
    Organisation.objects.filter(name__startswith="Banc adhérent").delete()
    for label, apply in (("dry run", False), ("import", True), ("again", True)):
        an_import = MemberImport.objects.create(
            file_name=f"banc-{file_format}", file_format=file_format, content=content,
            state=MemberImport.State.IMPORTING if apply else MemberImport.State.CHECKING,
        )
        if traced:
            tracemalloc.start()
        started = time.perf_counter()
        member_import.run(an_import, apply=apply)
        elapsed = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1] if traced else 0
        tracemalloc.stop()
        yield (label, elapsed, peak, an_import.created_count, an_import.updated_count,
               an_import.unchanged_count, an_import.refused_count)

# Timed without tracemalloc (which slows every allocation down), then traced for the peak.
timed = list(passes(traced=False))
for times, traced in zip(timed, passes(traced=True)):
    label, elapsed, _peak, *counts = times
    print(label, f"{elapsed:.2f}", traced[2], *counts, len(content), flush=True)
"""


def measure_member_import(args, env):
    """The members import of a generated file, XLSX and CSV: seconds and peak memory."""
    env = {**env, "DJANGO_SETTINGS_MODULE": "config.settings.dev", "OUTBOX_WORKER": "false"}
    lines = [f"\nMembers import, {args.member_rows:,} rows".replace(",", " ")]
    lines.append(
        f"{'file':<6}{'pass':<10}{'seconds':>8}{'rows/s':>9}{'peak MB':>9}"
        f"{'created':>9}{'updated':>9}{'same':>7}{'refused':>9}{'file kB':>9}"
    )
    for file_format in ("xlsx", "csv"):
        result = subprocess.run(  # noqa: S603 - our own interpreter and code
            [str(BIN / "python"), "-c", MEMBER_IMPORT_SCRIPT, str(args.member_rows), file_format],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode:
            sys.exit(f"members import failed:\n{result.stderr[-3000:]}")
        for output in result.stdout.strip().splitlines():
            label, elapsed, peak, created, updated, same, refused, size = output.rsplit(" ", 7)
            seconds = float(elapsed)
            lines.append(
                f"{file_format:<6}{label:<10}{seconds:>8.2f}{args.member_rows / seconds:>9,.0f}"
                f"{int(peak) / 2**20:>9.1f}{created:>9}{updated:>9}{same:>7}{refused:>9}"
                f"{int(size) / 1024:>9.0f}".replace(",", " ")
            )
    return lines


def main():
    args = parse_args()
    if args.only == "members-import":
        VAR.mkdir(exist_ok=True)
        env = bench_env(args, cache=False)
        manage(env, "migrate", "--noinput", "-v0")
        print("\n".join(measure_member_import(args, env)))
        return
    # A kill (SIGTERM) unwinds like Ctrl-C, through the finally that stops gunicorn.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("Terminated: gunicorn stopped."))
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: install it with `apt-get install wrk` (as root), then rerun.")
    VAR.mkdir(exist_ok=True)
    env = bench_env(args)
    started = time.monotonic()
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "load_demo_content")
    manage(
        env,
        "generate_content",
        f"--pages={args.pages}",
        f"--papers={args.papers}",
        f"--leads={args.leads}",
        f"--events={args.events}",
    )
    manage(env, "collectstatic", "--noinput", "-v0")
    print(f"Database ready in {time.monotonic() - started:.0f} s")

    if args.redis_stopped_only:
        print_redis_stopped(measure_redis_stopped(args, env))
        print("\n" + "\n".join(SUMMARY))
        return
    queries = count_queries(env)

    fixed = {}

    def cached_run(base):
        pages = measure_pages(args, base)
        fixed["cached"] = measure_fixed_rate(args, base, pages, "cached")
        purged = measure_purged_pages(args, env, base)
        return pages, purged, measure_lead_post(args, env, base)

    def cold_run(base):
        pages = measure_pages(args, base)
        fixed["cold"] = measure_fixed_rate(args, base, pages, "cold")
        return pages

    cached, purged, lead_lines = serve_and_measure(args, env, "cached", cached_run)
    cold_env = {**env, "PAGE_CACHE_SECONDS": "0"}
    cold = serve_and_measure(args, cold_env, "cold", cold_run)
    print_pages(cached, cold, queries)
    print_fixed_rate(fixed)
    print_purged(purged, cached, cold)
    print_redis_stopped(measure_redis_stopped(args, env), cached, cold)
    print("\n" + "\n".join(lead_lines))
    if args.soak:
        soak(args, env)
    print("\n" + "\n".join(SUMMARY))
    print("\n".join(measure_member_import(args, env)))


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit("Interrupted: gunicorn stopped.")
