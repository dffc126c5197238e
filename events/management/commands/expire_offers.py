from django.core.management.base import BaseCommand

from events import services


class Command(BaseCommand):
    help = (
        "Cancels the offers of a seat not taken in time (each event's « délai pour accepter une "
        "place ») and offers each seat to the next person waiting. Safe to run again or twice at "
        "once: each offer expires once, under its event's lock."
    )

    def handle(self, *args, **options):
        expired = services.expire_offers()
        self.stdout.write(f"{expired} proposition(s) de place expirée(s).")
