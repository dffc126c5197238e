"""The task that runs one scheduled job (schedule.py), enqueued by the clock once per slot."""

import io
import logging
from datetime import timedelta

from django.core.management import call_command
from django.db.models import Q
from django.utils import timezone

from django_tasks import task

from .models import ScheduledJob
from .schedule import JOBS

logger = logging.getLogger(__name__)

# A run that takes longer than this is taken for dead: the next slot may start another.
RUN_LEASE = timedelta(hours=1)


@task()
def run_job(name, slot):
    """Runs the job ``name`` for the slot starting at ``slot`` (ISO date). Returns what the
    command printed, or None when another worker's run of the same job is still going."""
    job = JOBS.get(name)
    if job is None:  # removed from the schedule since it was enqueued
        return None
    now = timezone.now()
    if job.exclusive and not _lease(name, now):
        logger.warning("Job %s (slot %s) skipped: a run is still going", name, slot)
        return None
    output = io.StringIO()
    try:
        call_command(job.command, *job.args, stdout=output, stderr=output)
    finally:
        ScheduledJob.objects.filter(name=name).update(
            last_finished_at=timezone.now(),
            **({"running_until": None} if job.exclusive else {}),
        )
    printed = output.getvalue().strip()
    # One line per run in the worker's log: what it did, and for which slot.
    logger.info("[%s %s] %s", name, slot, printed or "fait.")
    return printed


def _lease(name, now):
    """Takes the job's run lease if nobody holds it: a single conditional UPDATE."""
    free = Q(running_until__isnull=True) | Q(running_until__lt=now)
    return bool(
        ScheduledJob.objects.filter(free, name=name).update(
            running_until=now + RUN_LEASE, last_started_at=now
        )
    )
