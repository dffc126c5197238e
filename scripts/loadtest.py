"""Load test of the lead form on the production stack and PostgreSQL: nothing may be lost.

Run by ``make loadtest``. 50 concurrent clients send 500 download requests (each client reads
the form once, with its CSRF cookie, then posts ten requests with new e-mail addresses) to
gunicorn (2 workers). Then it counts, in the database, the stored requests and the mails queued
for them: both must equal the number of answers that served the download (302), with no 5xx.

With --restart-db, PostgreSQL is restarted in the middle of the run: requests may fail while it
is down, but none that was answered with a download may be missing, and the site must serve
again within 5 s of the database's return.

    .venv/bin/python scripts/loadtest.py --clients 50 --requests 500 [--restart-db]
"""

import argparse
import http.cookiejar
import os
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench  # noqa: E402 - the benchmark's server helpers

DEFAULT_DATABASE = "postgresql://postgres@127.0.0.1:5432/club_loadtest"
PREFIX = "charge-"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--restart-db", action="store_true", help="restart PostgreSQL mid-run")
    return parser.parse_args()


def ensure_database(url):
    import psycopg

    name = urllib.parse.urlsplit(url).path.lstrip("/")
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not exists.fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


class Client:
    """One visitor: a cookie jar, the form's hidden fields, then posts: one page per post, as
    the form's start token makes one lead only."""

    def __init__(self, base, index, forms=1):
        self.base, self.index = base, index
        jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(jar), NoRedirect()
        )
        html = self.opener.open(base + bench.PAPER, timeout=30).read().decode()  # noqa: S310
        # Production cookies are Secure: over plain HTTP the jar keeps them but would not send
        # them back, so the CSRF cookie goes in by hand, as a browser on HTTPS would send it.
        self.cookie = "; ".join(f"{c.name}={c.value}" for c in jar if c.name == "csrftoken")

        def hidden(name):
            tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', html).group(0)
            return re.search(r'value="([^"]*)"', tag).group(1)

        self.tokens = [hidden("started")] + [
            self.token_of(self.opener.open(base + bench.PAPER, timeout=30).read().decode())  # noqa: S310
            for _ in range(forms - 1)
        ]
        self.fields = {
            "csrfmiddlewaretoken": hidden("csrfmiddlewaretoken"),
            "first_name": "Camille",
            "last_name": "Charge",
            "organisation": "Office de test de charge",
            "organisation_type": "oph",
            "job_title": "Directrice",
            "consent": "on",
            "website": "",
            "formulaire": "complet",
        }

    @staticmethod
    def token_of(html):
        tag = re.search(r'<input[^>]*name="started"[^>]*>', html).group(0)
        return re.search(r'value="([^"]*)"', tag).group(1)

    def post(self, number):
        data = {
            **self.fields,
            "started": self.tokens[number],
            "email": f"{PREFIX}{self.index}-{number}@exemple-club-hlm.fr",
        }
        request = urllib.request.Request(  # noqa: S310 - local URL
            f"{self.base}{bench.PAPER}?formulaire=complet",
            data=urllib.parse.urlencode(data).encode(),
            headers={"Referer": self.base + bench.PAPER, "Cookie": self.cookie},
        )
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code
        except OSError:
            return "connexion"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 302 is the answer we count, not something to follow


def restart_postgresql(base, results):
    version = sorted(os.listdir("/etc/postgresql"))[0]
    command = ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"]
    subprocess.run(command, check=True)  # noqa: S603 - the machine's own cluster tool
    back = time.monotonic()
    while time.monotonic() - back < 30:
        if bench.get(base + "/livres-blancs/", timeout=5)[0] == 200:
            results["serving_again_after"] = time.monotonic() - back
            return
        time.sleep(0.1)


def count(env, model_path, field):
    code = (
        f"from {model_path.rsplit('.', 1)[0]} import {model_path.rsplit('.', 1)[1]} as M; "
        f"print(M.objects.filter({field}__startswith={PREFIX!r}).count())"
    )
    return int(bench.manage(env, "shell", "-v0", "-c", code, capture=True).strip().split()[-1])


def main():
    args = parse_args()
    env = bench.child_env()
    env["DATABASE_URL"] = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE
    if not env["DATABASE_URL"].startswith(("postgres://", "postgresql://")):
        sys.exit("The load test runs on PostgreSQL: set DATABASE_URL=postgresql://…")
    ensure_database(env["DATABASE_URL"])
    bench.manage(env, "migrate", "--noinput", "-v0")
    bench.manage(env, "load_demo_content")
    bench.manage(env, "collectstatic", "--noinput", "-v0")
    code = (
        "from contacts.models import Lead, OutboundEmail; "
        f"OutboundEmail.objects.filter(to__startswith={PREFIX!r}).delete(); "
        f"Lead.objects.filter(email__startswith={PREFIX!r}).delete()"
    )
    bench.manage(env, "shell", "-v0", "-c", code, capture=True)

    port = bench.free_port()
    base = f"http://127.0.0.1:{port}"
    log_path = bench.VAR / "loadtest-gunicorn.log"
    with open(log_path, "w") as log:
        server = subprocess.Popen(  # noqa: S603 - our own gunicorn
            [
                str(bench.BIN / "gunicorn"),
                "config.wsgi",
                "--workers",
                "2",
                "--bind",
                f"127.0.0.1:{port}",
            ],
            cwd=bench.ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    results = {}
    try:
        bench.wait_until_up(base, server)
        per_client = args.requests // args.clients
        clients = [Client(base, index, forms=per_client) for index in range(args.clients)]
        time.sleep(2.5)  # the form refuses what comes back faster than LEAD_FORM_MIN_SECONDS
        statuses = Counter()
        lock = threading.Lock()

        def run(client):
            for number in range(per_client):
                status = client.post(number)
                with lock:
                    statuses[status] += 1

        started = time.monotonic()
        restart = None
        if args.restart_db:
            restart = threading.Timer(1.0, restart_postgresql, args=(base, results))
            restart.start()
        with ThreadPoolExecutor(max_workers=args.clients) as pool:
            list(pool.map(run, clients))
        if restart is not None:
            restart.join()
        elapsed = time.monotonic() - started
    finally:
        server.terminate()
        server.wait(timeout=10)
        bench.report_log(log_path)

    answered = statuses.get(302, 0)
    stored = count(env, "publications.models.DownloadRequest", "lead__email")
    mails = count(env, "home.models.OutboundEmail", "to")
    server_errors = sum(
        n for status, n in statuses.items() if isinstance(status, int) and status >= 500
    )
    print(
        f"\n{sum(statuses.values())} POSTs from {args.clients} clients in {elapsed:.1f} s "
        f"({sum(statuses.values()) / elapsed:.0f}/s): {dict(statuses)}"
    )
    print(
        f"answered with the download: {answered}; stored requests: {stored}; "
        f"queued mails: {mails}; 5xx: {server_errors}"
    )
    if "serving_again_after" in results:
        print(
            f"PostgreSQL restarted mid-run; serving again {results['serving_again_after']:.1f} s "
            "after it came back"
        )
    # Without a restart every answer must match a stored request, exactly; with one, a request
    # stored just as its connection dropped may have no answer, but no answer may lack a request.
    stored_ok = stored >= answered if args.restart_db else stored == answered
    ok = answered > 0 and stored_ok and mails == stored and (args.restart_db or server_errors == 0)
    if args.restart_db:
        ok = ok and results.get("serving_again_after", 99) <= 5
    print("OK: nothing lost" if ok else "FAILED")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
