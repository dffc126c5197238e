from django.core.management.base import BaseCommand

from contacts import notifications


class Command(BaseCommand):
    help = (
        "Queues the daily digest of new leads and registrations to each lead manager who chose "
        "it in their account settings: once per person and day, never empty."
    )

    def handle(self, *args, **options):
        queued = notifications.send_digest()
        self.stdout.write(f"{queued} récapitulatif(s) mis en file d'envoi.")
