from django.core.management.base import BaseCommand

from contacts import organisations


class Command(BaseCommand):
    help = (
        "Attaches every lead to the organisation whose e-mail domain ends their address "
        "(public providers excluded), and detaches those whose domain is no longer known. "
        "What staff chose by hand is kept. Safe to run again."
    )

    def handle(self, *args, **options):
        changed = organisations.attach_all()
        self.stdout.write(f"{changed} lead(s) rattaché(s) ou détaché(s).")
