"""What the worker runs by the clock. Edit this list to add or remove a job: each one is a
management command (so cron users and the worker run the same code), run once per interval
across every worker, its interval in seconds read from a setting (an environment variable, see
the README; 0 turns the job off)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Job:
    name: str
    command: str
    every: str  # the setting that holds its interval, in seconds
    args: tuple = ()
    # At most one run at a time across workers (a lease on the job's row). The outbox needs
    # none: its mails are claimed one by one (contacts.outbox), and its wake-ups must never wait.
    exclusive: bool = True


SCHEDULE = [
    # Retries of mails whose attempt failed, and mails whose sender died (their lease ended).
    # New mails do not wait for it: the request that queues one wakes the worker up.
    Job("outbox", "send_outbox", every="WORKER_OUTBOX_SECONDS", exclusive=False),
    Job("publish_scheduled", "publish_scheduled", every="WORKER_PUBLISH_SECONDS"),
    Job("purge_leads", "purge_leads", every="WORKER_PURGE_SECONDS"),
    Job("prune_outbox", "prune_outbox", every="WORKER_PRUNE_OUTBOX_SECONDS"),
    Job("staff_digest", "send_staff_digest", every="WORKER_DIGEST_SECONDS"),
    Job("flush_page_views", "flush_page_views", every="WORKER_PAGE_VIEWS_SECONDS"),
    Job("flush_search_hits", "flush_search_hits", every="WORKER_SEARCH_HITS_SECONDS"),
    # Reminders before each séance (events.reminders): each owed once, whatever runs it.
    Job("send_reminders", "send_reminders", every="WORKER_REMINDERS_SECONDS"),
    # Waiting-list offers not taken in time pass to the next person (events.services): each
    # expires once, under its event's lock, whatever runs it.
    Job("expire_offers", "expire_offers", every="WORKER_OFFERS_SECONDS"),
    # Background exports' files past their day, and jobs a dead worker left (contacts.export_jobs).
    Job("prune_export_jobs", "prune_export_jobs", every="WORKER_EXPORTS_SECONDS"),
    # The queue's finished tasks (django-tasks-db keeps them): a week is enough to look back.
    Job(
        "prune_task_results",
        "prune_db_task_results",
        every="WORKER_PRUNE_SECONDS",
        args=("--min-age-days", "7"),
    ),
]

JOBS = {job.name: job for job in SCHEDULE}
