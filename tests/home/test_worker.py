"""The worker's clock, job lease and heartbeat, in this process (SQLite and PostgreSQL); the
real worker processes are in test_worker_processes.py."""

from datetime import timedelta

from django.utils import timezone

import pytest
from django_tasks_db.models import DBTaskResult

from contacts.models import Lead
from home.models import ScheduledJob, WorkerHeartbeat
from home.worker.clock import Clock
from home.worker.jobs import run_job
from home.worker.schedule import SCHEDULE
from publications.models import DownloadRequest
from tests.factories.publications import DownloadRequestFactory, LeadFactory


@pytest.fixture
def worker_settings(settings):
    """As in production: a worker runs, tasks go to the database queue."""
    settings.OUTBOX_WORKER = True
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    return settings


def scheduled(job_name):
    return DBTaskResult.objects.filter(args_kwargs__args__0=job_name).count()


def test_two_clocks_enqueue_each_slot_once(db, worker_settings):
    first, second = Clock("premier"), Clock("second")
    first.start()
    second.start()
    # Slots follow the clock (hours from :00, days from 00:00 UTC): a time well inside both,
    # so that "a minute on" crosses no hourly or daily boundary whenever the test runs.
    now = timezone.now().replace(hour=10, minute=15, second=0, microsecond=0)

    enqueued = first.tick(now) + second.tick(now) + first.tick(now) + second.tick(now)

    assert sorted(enqueued) == sorted(job.name for job in SCHEDULE)
    assert all(scheduled(job.name) == 1 for job in SCHEDULE)

    # A minute on: the minute jobs come again, once; the daily ones wait for their next day.
    later = now + timedelta(seconds=61)
    minute_jobs = ["flush_search_hits", "outbox", "publish_scheduled"]
    assert sorted(first.tick(later) + second.tick(later)) == minute_jobs
    assert scheduled("publish_scheduled") == 2
    assert scheduled("purge_leads") == 1


def test_an_interval_of_zero_turns_a_job_off(db, worker_settings):
    worker_settings.WORKER_PURGE_SECONDS = 0
    clock = Clock("seul")
    clock.start()

    assert "purge_leads" not in clock.tick()
    assert scheduled("purge_leads") == 0


@pytest.fixture
def old_lead(paper):
    lead = LeadFactory(email="ancien@oph-exemple.fr")
    DownloadRequestFactory(lead=lead, paper=paper)
    DownloadRequest.objects.update(created_at=timezone.now() - timedelta(days=37 * 31))
    return lead


def test_a_job_never_runs_twice_at_once(old_lead):
    Clock("seul").start()
    # Another worker's run of the purge is in progress.
    ScheduledJob.objects.filter(name="purge_leads").update(
        running_until=timezone.now() + timedelta(minutes=10)
    )

    assert run_job.call("purge_leads", "2026-01-01T00:00:00+00:00") is None
    assert Lead.objects.exists()

    # Its lease ended (the run died): the next slot runs it.
    ScheduledJob.objects.filter(name="purge_leads").update(
        running_until=timezone.now() - timedelta(seconds=1)
    )
    assert "1 lead(s)" in run_job.call("purge_leads", "2026-01-02T00:00:00+00:00")
    assert not Lead.objects.exists()
    assert ScheduledJob.objects.get(name="purge_leads").running_until is None


def test_healthz_reports_the_worker_and_stays_200_when_it_is_late(client, db, worker_settings):
    worker_settings.WORKER_LATE_SECONDS = 60

    never = client.get("/healthz")
    assert never.status_code == 200
    assert never.json()["worker"] == "late"
    assert never.json()["worker_heartbeat_age_seconds"] is None

    Clock("vivant").start()
    fresh = client.get("/healthz").json()
    assert fresh["worker"] == "ok"
    assert fresh["worker_heartbeat_age_seconds"] <= 1

    WorkerHeartbeat.objects.update(beat_at=timezone.now() - timedelta(seconds=90))
    late = client.get("/healthz")
    assert late.status_code == 200
    assert late.json()["worker"] == "late"
    assert late.json()["worker_heartbeat_age_seconds"] >= 90


def test_healthz_with_a_worker_stays_cheap(
    client, db, worker_settings, django_assert_max_num_queries
):
    Clock("vivant").start()
    client.get("/healthz")
    with django_assert_max_num_queries(2):  # the outbox, the heartbeat
        assert client.get("/healthz").json()["worker"] == "ok"
