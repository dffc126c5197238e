import time

from django.core.management.base import BaseCommand

from home import outbox


class Command(BaseCommand):
    help = (
        "Sends the mails waiting in the outbox (new ones, and those whose earlier attempt "
        "failed). Run it every minute from cron, or once with --loop as a worker."
    )

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="Keep sending until stopped")
        parser.add_argument(
            "--interval", type=float, default=30, help="Seconds between passes with --loop"
        )

    def handle(self, *args, loop=False, interval=30, **options):
        while True:
            sent = failed = 0
            while True:  # batch after batch while full ones come back
                batch_sent, batch_failed = outbox.send_due()
                sent, failed = sent + batch_sent, failed + batch_failed
                if batch_sent + batch_failed < outbox.BATCH:
                    break
            if sent or failed or not loop:
                self.stdout.write(f"{sent} e-mail(s) envoyé(s), {failed} en échec (réessai prévu).")
            if not loop:
                return
            time.sleep(interval)
