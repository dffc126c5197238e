from django.core.management.base import BaseCommand
from django.utils import timezone

from contacts import services


class Command(BaseCommand):
    help = (
        "Erases the leads whose last activity is older than the retention period of the "
        "personal-data settings (36 months by default). Their requests and registrations "
        "stay, anonymised, for the counts."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be erased; change nothing"
        )

    def handle(self, *args, dry_run=False, **options):
        leads, cutoff = services.leads_past_retention()
        cutoff_display = timezone.localtime(cutoff).strftime("%d/%m/%Y")
        if dry_run:
            count = leads.count()
            self.stdout.write(
                f"{count} lead(s) sans demande depuis le {cutoff_display} seraient effacé(s) "
                "(simulation : rien n'a changé)."
            )
            return
        erased = 0
        # One person at a time, each in its own transaction: memory stays flat, and an
        # interruption leaves every lead either whole or erased.
        for lead in leads.iterator(chunk_size=500):
            services.erase_lead(lead)
            erased += 1
        self.stdout.write(f"{erased} lead(s) sans demande depuis le {cutoff_display} effacé(s).")
