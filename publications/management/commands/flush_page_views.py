from django.core.management.base import BaseCommand

from publications.services import flush_all_page_views


class Command(BaseCommand):
    help = (
        "Écrit en base les vues des livres blancs encore comptées dans le cache "
        "(à lancer chaque heure avec Redis ; le rapport des demandes le fait aussi)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=3, help="jours en arrière (3)")

    def handle(self, *args, days, **options):
        flush_all_page_views(days=days)
        self.stdout.write("Vues des livres blancs écrites en base.")
