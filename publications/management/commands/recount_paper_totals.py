from django.core.management.base import BaseCommand

from publications.services import recount_paper_totals


class Command(BaseCommand):
    help = (
        "Recompte les totaux du rapport (vues, demandes, téléchargements) de chaque livre blanc "
        "à partir des demandes et des vues par jour : après un chargement en masse, ou pour "
        "les réparer."
    )

    def handle(self, *args, **options):
        papers = recount_paper_totals()
        self.stdout.write(f"Totaux recomptés pour {papers} livre(s) blanc(s).")
