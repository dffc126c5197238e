from django.db import models


class ScheduledJob(models.Model):
    """One row per scheduled job (home.worker.schedule): the slot a clock last enqueued, and the
    lease of the run in progress. Both are taken by a conditional UPDATE, which one worker wins
    on PostgreSQL and on SQLite alike: two workers never enqueue a slot twice nor run a job at
    once."""

    name = models.CharField("tâche", max_length=64, primary_key=True)
    slot_at = models.DateTimeField("dernier créneau planifié", null=True, blank=True)
    running_until = models.DateTimeField("en cours jusqu'à", null=True, blank=True)
    last_started_at = models.DateTimeField("dernier lancement", null=True, blank=True)
    last_finished_at = models.DateTimeField("dernière fin", null=True, blank=True)

    class Meta:
        verbose_name = "tâche planifiée"
        verbose_name_plural = "tâches planifiées"

    def __str__(self):
        return self.name


class WorkerHeartbeat(models.Model):
    """Written by each running worker every WORKER_HEARTBEAT_SECONDS; /healthz reads the latest.
    In the database rather than the cache, so that a Redis outage never makes a worker late."""

    worker_id = models.CharField("identifiant", max_length=64, unique=True)
    host = models.CharField("machine", max_length=255)
    pid = models.PositiveIntegerField("processus")
    started_at = models.DateTimeField("démarré le")
    beat_at = models.DateTimeField("dernier signe de vie", db_index=True)

    class Meta:
        verbose_name = "signe de vie du worker"
        verbose_name_plural = "signes de vie des workers"

    def __str__(self):
        return f"{self.host}:{self.pid}"
