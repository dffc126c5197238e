from django.core.management.base import BaseCommand

from search.hits import flush_hits


class Command(BaseCommand):
    help = (
        "Écrit en base les recherches encore comptées dans le cache (le worker le fait chaque "
        "minute avec Redis ; le rapport « Termes de recherche » aussi)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=3, help="jours en arrière (3)")

    def handle(self, *args, days, **options):
        flush_hits(days=days)
        self.stdout.write("Recherches écrites en base.")
