"""Load test of the production stack: gunicorn, DEBUG off, whitenoise, on generated content.

Run by ``make bench``. Builds its own database (var/bench.sqlite3, or DATABASE_URL as is) and
media (var/bench/), fills them with ``load_demo_content`` and ``generate_content``, serves them
with gunicorn (2 workers) on a free port, then measures each public page type with wrk, against
/healthz (no template, no database) as the baseline, and the lead form's POST with a wrk Lua
script. Prints one table; the server's log is kept in var/bench-gunicorn.log.

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
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}

# POSTs the lead form with the fields read from one GET; a new e-mail per request.
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
end
function request()
  sent = sent + 1
  local email = string.format("%(prefix)s%%d-%%d%%%%40exemple-club-hlm.fr", id, sent)
  return wrk.format(nil, nil, nil, "%(body)s&email=" .. email)
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
    return parser.parse_args()


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


def lead_script(base, tmp, prefix):
    """The Lua script for the lead POST: CSRF cookie, token and start time from one GET."""
    status, headers, html = get(base + PAPER)
    if status != 200:
        sys.exit(f"GET {PAPER} answered {status}")
    cookie = re.search(r"csrftoken=([^;]+)", headers.get("Set-Cookie", "")).group(1)

    def hidden(name):
        tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', html).group(0)
        return re.search(r'value="([^"]*)"', tag).group(1)

    fields = {
        "csrfmiddlewaretoken": hidden("csrfmiddlewaretoken"),
        "started": hidden("started"),
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
    path = Path(tmp) / "lead.lua"
    path.write_text(LEAD_SCRIPT % {"cookie": cookie, "prefix": prefix, "body": body})
    time.sleep(2.5)  # the form refuses what comes back faster than LEAD_FORM_MIN_SECONDS
    return str(path)


def count_requests(env, prefix):
    code = (
        "from publications.models import DownloadRequest as D; "
        f"print(D.objects.filter(lead__email__startswith={prefix!r}).count())"
    )
    return int(manage(env, "shell", "-v0", "-c", code, capture=True).strip().splitlines()[-1])


def print_table(rows):
    baseline = rows[0][1] or 1
    width = max(len(row[0]) for row in rows) + 2
    header = f"{'page':<{width}}{'requests/s':>11}{'p50 ms':>9}{'p99 ms':>9}{'/healthz':>10}"
    print(f"\n{header}{'errors':>8}")
    for label, rate, p50, p99, errors in rows:
        share = f"{100 * rate / baseline:.0f} %"
        print(f"{label:<{width}}{rate:>11.1f}{p50:>9.1f}{p99:>9.1f}{share:>10}{errors:>8}")


def report_log(log_path):
    """How many requests failed on the server, and why (the last line of each traceback)."""
    log = log_path.read_text(errors="replace")
    failures = re.findall(r" ERROR django\.request: (.*)", log)
    causes = Counter(re.findall(r"^(\w[\w.]*(?:Error|Exception)\b.*)$", log, re.M))
    print(f"\ngunicorn log: {log_path.relative_to(ROOT)}, {len(failures)} server errors")
    for cause, count in causes.most_common(5):
        print(f"  {count} × {cause}")


def benchmark(args, env, base):
    rows = []
    for label, path in PAGES:
        status = get(base + path)[0]
        if status != 200:
            print(f"skipped {path}: it answers {status}")
            continue
        print(f"wrk {path}", flush=True)
        rate, p50, p99, errors, _ = wrk(args, base + path)
        rows.append((f"{path} ({label})" if label else path, rate, p50, p99, errors))

    prefix = f"bench-{secrets.token_hex(4)}-"
    with tempfile.TemporaryDirectory() as tmp:
        print(f"wrk POST {PAPER} (lead form)", flush=True)
        script = lead_script(base, tmp, prefix)
        rate, p50, p99, _, output = wrk(args, base + PAPER, script)
    found = re.search(r"LEAD ok=(\d+) failed=(\d+) status=(\d+)", output)
    ok, failed, status = map(int, found.groups())
    rows.append((f"POST {PAPER} (demande)", rate, p50, p99, failed))
    print_table(rows)

    stored = count_requests(env, prefix)
    last = f" (last failure: HTTP {status})" if failed else ""
    print(f"\nlead POST: {ok} redirects (302), {failed} failures{last}")
    print(f"stored {stored} requests for {ok} successful answers")
    # wrk stops with up to one request per connection in flight: stored, never answered.
    if not ok <= stored <= ok + args.connections:
        print("WARNING: more or fewer stored requests than answered ones (plus those in flight)")


def main():
    args = parse_args()
    # A kill (SIGTERM) unwinds like Ctrl-C, through the finally that stops gunicorn.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("Terminated: gunicorn stopped."))
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: install it with `apt-get install wrk` (as root), then rerun.")
    VAR.mkdir(exist_ok=True)
    env = child_env()
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

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log_path = VAR / "bench-gunicorn.log"
    with open(log_path, "w") as log:
        server = subprocess.Popen(  # noqa: S603 - our own gunicorn
            [str(BIN / "gunicorn"), "config.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_until_up(base, server)
        benchmark(args, env, base)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        report_log(log_path)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit("Interrupted: gunicorn stopped.")
