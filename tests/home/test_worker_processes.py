"""Real ``run_worker`` processes against the test database (PostgreSQL: each process needs to
see the others' commits): a scheduled page goes live, two workers send each mail once and purge
once, and /healthz calls a stopped worker late. Intervals are shortened by the environment
variables the README lists, so nothing waits a minute."""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

from django.db import connection
from django.utils import timezone

import pytest
from aiosmtpd.controller import Controller

from contacts import outbox
from contacts.models import Lead, OutboundEmail
from publications.models import DownloadRequest
from tests.factories.home import StandardPageFactory
from tests.factories.publications import DownloadRequestFactory, LeadFactory
from tests.servers import Inbox, free_port

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL (DATABASE_URL): worker processes share the test database",
    ),
]

BASE_DIR = Path(__file__).resolve().parents[2]
STARTUP = 90  # seconds: Django starts slowly on a busy two-core machine


def database_url():
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgresql://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


class Worker:
    def __init__(self, tmp_path, name, **env):
        self.log = tmp_path / f"{name}.log"
        environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.dev",
            "DATABASE_URL": database_url(),
            "OUTBOX_WORKER": "true",
            "PYTHONUNBUFFERED": "1",
            **{key: str(value) for key, value in env.items()},
        }
        with open(self.log, "w") as log:
            self.process = subprocess.Popen(  # noqa: S603 - our own manage.py
                [sys.executable, "manage.py", "run_worker"],
                cwd=BASE_DIR,
                env=environment,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def output(self):
        return self.log.read_text()

    def stop(self):
        """SIGTERM, as a host stops it; returns its exit code (0: a clean stop)."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise


@pytest.fixture
def start_worker(tmp_path):
    started = []

    def start(name="worker", **env):
        worker = Worker(tmp_path, name, **env)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        if worker.process.poll() is None:
            worker.stop()


def wait_for(condition, timeout=STARTUP, message="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {message}")


def test_a_scheduled_page_goes_live_through_the_worker(home, start_worker):
    page = StandardPageFactory(parent=home, slug="bientot", title="Bientôt", live=False)
    page.go_live_at = timezone.now() + timedelta(seconds=5)
    page.save_revision().publish()  # scheduled: Wagtail keeps it unpublished until then
    page.refresh_from_db()
    assert not page.live

    worker = start_worker(WORKER_PUBLISH_SECONDS=1)

    wait_for(lambda: type(page).objects.get(pk=page.pk).live, message="the page to go live")
    assert timezone.now() >= page.go_live_at
    assert worker.stop() == 0  # SIGTERM: a clean stop


@pytest.fixture
def smtp():
    port = free_port()
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield port, inbox
    controller.stop()


def test_two_workers_send_each_mail_once(db, settings, smtp, start_worker):
    port, inbox = smtp
    settings.OUTBOX_WORKER = True
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    mail_env = {"EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": port, "EMAIL_USE_TLS": "false"}
    workers = [start_worker(f"worker{n}", **mail_env) for n in (1, 2)]
    wait_for(lambda: all("démarré" in worker.output() for worker in workers), message="workers")

    recipients = [f"personne{n}@oph-exemple.fr" for n in range(30)]
    for to in recipients:  # as requests do: each mail with its wake-up task
        outbox.queue(to=to, subject="Votre livre blanc", body="Le lien : …")
        time.sleep(0.05)

    wait_for(
        lambda: not OutboundEmail.objects.filter(sent_at__isnull=True).exists(),
        timeout=60,
        message="every mail to be sent",
    )
    time.sleep(2)  # a duplicate would arrive now
    assert sorted(rcpt for message in inbox.messages for rcpt in message.rcpt_tos) == sorted(
        recipients
    )


def test_two_workers_purge_once(paper, start_worker):
    for n in range(5):
        DownloadRequestFactory(lead=LeadFactory(email=f"ancien{n}@oph-exemple.fr"), paper=paper)
    DownloadRequest.objects.update(created_at=timezone.now() - timedelta(days=37 * 31))
    LeadFactory(email="recent@oph-exemple.fr")
    DownloadRequestFactory(lead=Lead.objects.get(email="recent@oph-exemple.fr"), paper=paper)

    workers = [start_worker(f"worker{n}", WORKER_PURGE_SECONDS=2) for n in (1, 2)]
    wait_for(lambda: Lead.objects.count() == 1, message="the purge")
    time.sleep(6)  # a few more slots, each taken by one worker only
    for worker in workers:
        assert worker.stop() == 0

    runs = [
        line.split("[purge_leads ", 1)[1].split("]", 1)[0]
        for worker in workers
        for line in worker.output().splitlines()
        if "[purge_leads " in line
    ]
    assert len(runs) >= 2
    assert len(runs) == len(set(runs)), "a slot purged twice"
    erased = [
        line for worker in workers for line in worker.output().splitlines() if "5 lead(s)" in line
    ]
    assert len(erased) == 1  # the five old leads, erased by one run
    assert list(Lead.objects.values_list("email", flat=True)) == ["recent@oph-exemple.fr"]


def test_healthz_shows_a_stopped_worker_as_late(client, db, settings, start_worker):
    settings.OUTBOX_WORKER = True
    settings.WORKER_LATE_SECONDS = 3
    worker = start_worker(WORKER_HEARTBEAT_SECONDS=1)
    wait_for(lambda: client.get("/healthz").json()["worker"] == "ok", message="a heartbeat")

    assert worker.stop() == 0
    time.sleep(4)

    response = client.get("/healthz")
    assert response.status_code == 200  # the web node still serves
    assert response.json()["worker"] == "late"
    assert response.json()["worker_heartbeat_age_seconds"] >= 3
