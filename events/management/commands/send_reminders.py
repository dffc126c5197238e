from django.core.management.base import BaseCommand

from events import reminders


class Command(BaseCommand):
    help = (
        "Queues the reminders due before each séance (the days set on each event, 7 and 1 by "
        "default) to the people whose seat is confirmed. Safe to run again or twice at once: "
        "each reminder is queued once per person, séance and number of days."
    )

    def handle(self, *args, **options):
        queued = reminders.send_due()
        self.stdout.write(f"{queued} rappel(s) mis en file d'envoi.")
