"""The clock: each scheduled job enqueued once per time slot, and the worker's heartbeat.

A slot is the interval's multiple of seconds since the epoch that contains now (for a daily
job, the day from 00:00 UTC). A clock enqueues a slot only after winning a conditional UPDATE
on the job's row (``slot_at`` older than the slot), in the same transaction as the task: with
two workers, exactly one enqueues each slot, and a slot is never half taken. A worker that was
stopped for a while runs each job once on its return, not once per missed slot.
"""

import logging
import os
import socket
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .jobs import run_job
from .models import ScheduledJob, WorkerHeartbeat
from .schedule import SCHEDULE

logger = logging.getLogger(__name__)

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def slot_start(now, seconds):
    return EPOCH + timedelta(seconds=(now - EPOCH).total_seconds() // seconds * seconds)


class Clock:
    def __init__(self, worker_id):
        self.worker_id = worker_id
        # Slots already decided in this process (won or lost): asked again only at the next.
        self.decided = {}
        self.beat_at = None

    def start(self):
        now = timezone.now()
        ScheduledJob.objects.bulk_create(
            [ScheduledJob(name=job.name) for job in SCHEDULE], ignore_conflicts=True
        )
        # Heartbeats of workers gone for a day are of no use to anyone.
        WorkerHeartbeat.objects.filter(beat_at__lt=now - timedelta(days=1)).delete()
        WorkerHeartbeat.objects.update_or_create(
            worker_id=self.worker_id,
            defaults={
                "host": socket.gethostname()[:255],
                "pid": os.getpid(),
                "started_at": now,
                "beat_at": now,
            },
        )
        self.beat_at = now

    def tick(self, now=None):
        """Beats when due, enqueues the slots that came. Returns the names enqueued."""
        now = now or timezone.now()
        if now - self.beat_at >= timedelta(seconds=settings.WORKER_HEARTBEAT_SECONDS):
            WorkerHeartbeat.objects.filter(worker_id=self.worker_id).update(beat_at=now)
            self.beat_at = now
        enqueued = []
        for job in SCHEDULE:
            seconds = getattr(settings, job.every)
            if seconds <= 0:
                continue
            slot = slot_start(now, seconds)
            if self.decided.get(job.name) == slot:
                continue
            if self.claim(job.name, slot):
                enqueued.append(job.name)
            self.decided[job.name] = slot
        return enqueued

    @staticmethod
    def claim(name, slot):
        with transaction.atomic():
            won = ScheduledJob.objects.filter(
                Q(slot_at__isnull=True) | Q(slot_at__lt=slot), name=name
            ).update(slot_at=slot)
            if won:
                run_job.enqueue(name, slot.isoformat())
        return bool(won)
