from django.core.management.base import BaseCommand

from contacts import export_jobs


class Command(BaseCommand):
    help = (
        "Removes the files of background exports kept more than EXPORT_KEEP_HOURS hours (the "
        "export log keeps them), and marks failed the exports a stopped worker left unfinished."
    )

    def handle(self, *args, **options):
        removed, failed = export_jobs.prune()
        self.stdout.write(
            f"{removed} fichier(s) d'export supprimé(s), {failed} export(s) interrompu(s) "
            "marqué(s) « échoué »."
        )
