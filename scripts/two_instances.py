"""Two app servers, one database, one Redis, one worker: the site behaves as one (``make
two-instances``). Exits 0 with the reason when PostgreSQL does not answer.

Two gunicorn instances on two free ports (each with its own control socket) against the same
PostgreSQL database (made afresh each run), a private redis-server, a private S3 API server
(moto's, on loopback: a private bucket for the PDFs, a public-read one for images) and one
``run_worker``; nothing is shared on disk. Checks: a lead posted on A downloads through B; the
PDF's own bucket URL without a signature is refused; a page published while B has it cached is
fresh on B at once; the lead form's rate limit counts A's and B's posts together; the one
worker sends the mails of both, each once.

    .venv/bin/python scripts/two_instances.py   # DATABASE_URL=postgresql://… to choose the base
"""

import html
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench  # noqa: E402 - the benchmark's server helpers
import loadtest  # noqa: E402 - its visitor (reads the form, posts it)

DEFAULT_DATABASE = "postgresql://postgres@127.0.0.1:5432/club_two_instances"
PREFIX = "deux-"
loadtest.PREFIX = PREFIX  # the visitors' addresses
RATE = 4  # lead posts per hour and address, across both instances

S3_REGION = "eu-west-3"
S3_KEYS = {"S3_ACCESS_KEY_ID": "club-two-instances", "S3_SECRET_ACCESS_KEY": "club-two-instances"}


def start_s3():
    """moto's S3 server on a free loopback port, with the two buckets; (server, environment)."""
    import json

    import boto3
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=S3_REGION,
        aws_access_key_id=S3_KEYS["S3_ACCESS_KEY_ID"],
        aws_secret_access_key=S3_KEYS["S3_SECRET_ACCESS_KEY"],
    )
    location = {"LocationConstraint": S3_REGION}
    client.create_bucket(Bucket="club-private", CreateBucketConfiguration=location)
    client.put_public_access_block(
        Bucket="club-private",
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": True,
            "IgnorePublicAcls": True,
            "BlockPublicPolicy": True,
            "RestrictPublicBuckets": True,
        },
    )
    client.create_bucket(Bucket="club-media", CreateBucketConfiguration=location)
    public_read = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": "arn:aws:s3:::club-media/*",
            }
        ],
    }
    client.put_bucket_policy(Bucket="club-media", Policy=json.dumps(public_read))
    # Where files live, for every process: the one place the storage's variables are set.
    env = {
        "S3_ENDPOINT_URL": endpoint,
        "S3_REGION": S3_REGION,
        "S3_ADDRESSING_STYLE": "path",
        "S3_MEDIA_BUCKET": "club-media",
        "S3_PRIVATE_BUCKET": "club-private",
        **S3_KEYS,
    }
    return server, client, env


def fresh_database(url):
    """The run's own database, made afresh: its files are in this run's S3 server."""
    import psycopg

    name = urllib.parse.urlsplit(url).path.lstrip("/")
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def check(label, ok, detail=""):
    print(f"{'ok  ' if ok else 'FAIL'} {label}{(': ' + detail) if detail else ''}", flush=True)
    return ok


def shell(env, code):
    return bench.manage(env, "shell", "-v0", "-c", code, capture=True).strip()


def start_gunicorn(env, port, name):
    log = open(bench.VAR / f"two-instances-{name}.log", "w")  # noqa: SIM115 - closed at exit
    return subprocess.Popen(  # noqa: S603 - our own gunicorn
        [str(bench.BIN / "gunicorn"), "config.wsgi", "--config", "config/gunicorn.py"]
        + ["--bind", f"127.0.0.1:{port}", "--workers", "1"],
        cwd=bench.ROOT,
        env={**env, "GUNICORN_CONTROL_SOCKET": str(bench.VAR / f"two-instances-{name}.ctl")},
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def fetch(url):
    """(status, headers) of a GET whose body is not text (a PDF)."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - local URL
            response.read()
            return response.status, response.headers
    except urllib.error.HTTPError as error:
        return error.code, error.headers


def main():
    url = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE
    try:
        fresh_database(url)
    except Exception as error:  # noqa: BLE001 - the reason is printed
        print(f"skipped: PostgreSQL does not answer at {url} ({error})")
        return 0
    redis, redis_url = bench.start_private_redis()
    if redis is None:
        print("skipped: no redis-server on PATH")
        return 0
    s3_server, s3, storage_env = start_s3()
    env = bench.child_env()
    env.update(storage_env, DATABASE_URL=url, REDIS_URL=redis_url, LEAD_FORM_RATE=f"{RATE}/h")
    env.pop("EMAIL_HOST", None)  # console mails, in the worker's log
    processes = [redis]
    try:
        bench.manage(env, "migrate", "--noinput", "-v0")
        bench.manage(env, "load_demo_content")
        bench.manage(env, "collectstatic", "--noinput", "-v0")
        shell(
            env,
            "from contacts.models import Lead, OutboundEmail; "
            f"OutboundEmail.objects.filter(to__startswith={PREFIX!r}).delete(); "
            f"Lead.objects.filter(email__startswith={PREFIX!r}).delete()",
        )
        ports = bench.free_port(), bench.free_port()
        a, b = (f"http://127.0.0.1:{port}" for port in ports)
        servers = [start_gunicorn(env, port, name) for port, name in zip(ports, "ab", strict=True)]
        processes += servers
        worker_log = open(bench.VAR / "two-instances-worker.log", "w")  # noqa: SIM115
        processes.append(
            subprocess.Popen(  # noqa: S603 - our own manage.py
                [str(bench.BIN / "python"), "manage.py", "run_worker"],
                cwd=bench.ROOT,
                env=env,
                stdout=worker_log,
                stderr=subprocess.STDOUT,
            )
        )
        for base, server in zip((a, b), servers, strict=True):
            bench.wait_until_up(base, server, timeout=120)
        results = []

        # 1. A lead posted on A downloads through B.
        visitor = loadtest.Client(a, 0, forms=2)
        time.sleep(2.5)  # the form's minimum fill time
        visitor.fields["email"] = f"{PREFIX}0@exemple-club-hlm.fr"
        request = urllib.request.Request(  # noqa: S310 - local URL
            f"{a}{bench.PAPER}?formulaire=complet",
            data=urllib.parse.urlencode({**visitor.fields, "started": visitor.tokens[0]}).encode(),
            headers={"Referer": a + bench.PAPER, "Cookie": visitor.cookie},
        )
        try:
            visitor.opener.open(request, timeout=30)
            location = ""
        except urllib.error.HTTPError as redirect:
            location = redirect.headers.get("Location", "")
        # The thank-you page (on B) holds the signed link; the link (on B) serves the PDF.
        thanks = bench.get(urllib.parse.urljoin(b, location))[2] if location else ""
        link = re.search(r'href="(/telechargement/[^"]+)"', thanks)
        status, headers = fetch(b + html.unescape(link.group(1))) if link else (None, None)
        results.append(
            check(
                "a lead posted on A downloads through B",
                status == 200 and "pdf" in (headers or {}).get("Content-Type", ""),
                f"{location or 'no redirect'} → {status} on B",
            )
        )
        keys = [item["Key"] for item in s3.list_objects_v2(Bucket="club-private")["Contents"]]
        pdf_key = next(key for key in keys if key.endswith(".pdf"))
        unsigned, _ = fetch(f"{storage_env['S3_ENDPOINT_URL']}/club-private/{pdf_key}")
        results.append(
            check(
                "the PDF's bucket URL without a signature is refused",
                unsigned == 403,
                f"{pdf_key} → {unsigned}",
            )
        )

        # 2. A page B has cached is fresh on B at once after a publish (by another process:
        # the same signal that the admin's publish sends, on the same Redis).
        path = "/le-club/"
        bench.get(b + path)
        cached = bench.get(b + path)[1]
        title = f"Mis à jour {time.time():.0f}"
        shell(
            env,
            "from home.models import StandardPage; "
            "page = StandardPage.objects.live().filter(url_path__endswith='/le-club/')"
            f".first(); page.title = {title!r}; page.save_revision().publish()",
        )
        status, headers, body = bench.get(b + path)
        results.append(
            check(
                "a page published elsewhere is fresh on B at once",
                status == 200 and title in body,
                f"B had it {cached and cached.get('X-Page-Cache')}, now "
                f"{headers and headers.get('X-Page-Cache')}",
            )
        )

        # 3. The rate limit counts both instances' posts together.
        statuses = []
        for number in range(1, RATE + 2):
            base = a if number % 2 else b
            poster = loadtest.Client(base, number)
            time.sleep(2.5)
            poster.base = base
            statuses.append(poster.post(0))
        results.append(
            check(
                f"the rate limit ({RATE}/h) is shared by A and B",
                statuses.count(302) == RATE - 1 and statuses[-1] == 429,
                f"statuses {statuses} (the first lead counted too)",
            )
        )

        # 4. The one worker sends every mail of both instances, once.
        leads = statuses.count(302) + 1
        deadline = time.monotonic() + 60
        sent = 0
        while time.monotonic() < deadline:
            sent = int(
                shell(
                    env,
                    "from contacts.models import OutboundEmail; print(OutboundEmail.objects"
                    f".filter(to__startswith={PREFIX!r}, sent_at__isnull=False).count())",
                ).split()[-1]
            )
            if sent >= leads:
                break
            time.sleep(1)
        results.append(
            check("the one worker sent each mail once", sent == leads, f"{sent}/{leads}")
        )
        return 0 if all(results) else 1
    finally:
        for process in reversed(processes):
            bench.stop_server(process)
        s3_server.stop()


if __name__ == "__main__":
    sys.exit(main())
