import logging
import threading

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, close_old_connections
from django.utils.crypto import get_random_string

from django_tasks import task_backends
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.management.commands.db_worker import Worker

from home.worker.clock import Clock

logger = logging.getLogger("home.worker")


class ClockedWorker(Worker):
    """django-tasks-db's worker, with our clock beside it in a thread. SIGTERM or Ctrl-C: the
    clock stops at once; the task in hand is finished, then the worker exits (a second signal
    ends it at once, as db_worker does)."""

    def __init__(self, *, clock, **options):
        super().__init__(**options)
        self.clock = clock
        self.stopping = threading.Event()

    def shutdown(self, signum, frame):
        self.stopping.set()
        super().shutdown(signum, frame)

    def run_clock(self):
        while not self.stopping.is_set():
            try:
                self.clock.tick()
            except DatabaseError as error:  # the database is away: tick again later
                logger.warning("Clock tick failed: %s", error)
                close_old_connections()
            self.stopping.wait(settings.WORKER_CLOCK_SECONDS)
        close_old_connections()


class Command(BaseCommand):
    help = (
        "Le worker : exécute les tâches en file (e-mails, publications programmées, purges…) "
        "et planifie les tâches périodiques (home/worker/schedule.py). À lancer à côté des "
        "serveurs web, un ou plusieurs : chaque tâche ne s'exécute qu'une fois."
    )

    def handle(self, *args, **options):
        if not isinstance(task_backends["default"], DatabaseBackend):
            raise CommandError(
                "Le worker demande la file en base (OUTBOX_WORKER=true, le réglage par défaut)."
            )
        logging.getLogger("home.worker").setLevel(logging.INFO)
        worker_id = get_random_string(32)
        clock = Clock(worker_id)
        worker = ClockedWorker(
            clock=clock,
            queue_names=["*"],
            excluded_queue_names=[],
            interval=settings.WORKER_POLL_SECONDS,
            batch=False,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=worker_id,
        )
        worker.configure_signals()
        clock.start()
        thread = threading.Thread(target=worker.run_clock, name="clock", daemon=True)
        thread.start()
        self.stdout.write(f"Worker {worker_id[:8]} démarré (tâches et horloge).")
        try:
            worker.run()
        finally:
            worker.stopping.set()
            thread.join(timeout=10)
            self.stdout.write(f"Worker {worker_id[:8]} arrêté.")
