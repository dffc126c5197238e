import logging
import time

from django.core.management.base import BaseCommand
from django.db import DatabaseError, close_old_connections

from contacts import outbox

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Sends the mails waiting in the outbox (new ones, and those whose earlier attempt "
        "failed). The worker (run_worker) runs it every minute; without one, run it from "
        "cron, or with --loop."
    )

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="Keep sending until stopped")
        parser.add_argument(
            "--interval",
            type=float,
            default=2,
            help="Seconds between passes with --loop (2: a visitor's mail leaves within 2 s)",
        )

    def handle(self, *args, loop=False, interval=2, **options):
        if not loop:
            self.send_all(report_idle=True)
            return
        while True:
            close_old_connections()  # a worker outlives connections: drop broken ones
            try:
                self.send_all(report_idle=False)
            except DatabaseError as error:  # the database is away: the worker waits for it
                logger.warning("Outbox not read: %s", error)
            time.sleep(interval)

    def send_all(self, report_idle):
        sent, failed = outbox.send_all_due()
        if sent or failed or report_idle:
            self.stdout.write(f"{sent} e-mail(s) envoyé(s), {failed} en échec (réessai prévu).")
