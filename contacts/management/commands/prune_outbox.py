from django.conf import settings
from django.core.management.base import BaseCommand

from contacts import outbox


class Command(BaseCommand):
    help = (
        "Deletes the mails sent more than OUTBOX_KEEP_SENT_DAYS days ago (30 by default). "
        "Mails not sent yet are kept, however old."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="Keep sent mails this long")

    def handle(self, *args, days=None, **options):
        days = settings.OUTBOX_KEEP_SENT_DAYS if days is None else days
        deleted = outbox.prune(days)
        self.stdout.write(f"{deleted} e-mail(s) envoyé(s) il y a plus de {days} jours supprimé(s).")
