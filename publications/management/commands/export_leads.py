import sys

from django.core.management.base import BaseCommand, CommandError

from contacts.models import ExportLog
from publications import exports
from publications.filters import DownloadRequestFilterSet
from publications.models import DownloadRequest


class Command(BaseCommand):
    help = (
        "Exports download requests as CSV (French Excel: UTF-8 with BOM, ';') or XLSX, with "
        "the admin list's filters. Every export is logged."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
        parser.add_argument(
            "--output", "-o", help="File to write; standard output when absent (CSV only)"
        )
        parser.add_argument("--paper", type=int, help="Id of the white-paper page")
        parser.add_argument("--since", help="First day, YYYY-MM-DD (Europe/Paris)")
        parser.add_argument("--until", help="Last day, YYYY-MM-DD (Europe/Paris)")
        parser.add_argument(
            "--organisation-type", help="oph, esh, coop, sem, collectivite, etat, …"
        )
        parser.add_argument(
            "--opt-in", choices=["yes", "no"], help="Only leads who accepted (or refused) news"
        )

    def handle(self, *args, **options):
        filters = {
            "paper": options["paper"],
            "created_at_from": options["since"],
            "created_at_to": options["until"],
            "organisation_type": options["organisation_type"],
            "news_opt_in": {"yes": "true", "no": "false"}.get(options["opt_in"]),
        }
        filters = {key: str(value) for key, value in filters.items() if value is not None}
        filterset = DownloadRequestFilterSet(data=filters, queryset=DownloadRequest.objects.all())
        if not filterset.is_valid():
            raise CommandError(f"Filtres non valables : {filterset.errors.as_text()}")
        queryset = filterset.qs
        export_format = options["format"]
        output = options["output"]
        if export_format == "xlsx" and not output:
            raise CommandError("L'export XLSX a besoin d'un fichier : --output demandes.xlsx")

        run = exports.ExportRun.start(
            export_format=export_format,
            source=ExportLog.Source.COMMAND,
            filters=filters,
        )
        try:
            if export_format == "xlsx":
                with open(output, "wb") as file:
                    exports.write_xlsx(queryset, file, run=run)
            elif output:
                with open(output, "w", encoding="utf-8", newline="") as file:
                    file.writelines(exports.csv_lines(queryset, run=run))
            else:
                self.write_to_stdout(exports.csv_lines(queryset, run=run))
        except OSError as error:
            # The file could not be opened or completed (a full disk…): the log says so.
            run.finish(failed=True)
            raise CommandError(f"Export interrompu, fichier incomplet : {error}") from error
        if output:
            self.stderr.write(f"{run.written} demande(s) exportée(s) dans {output}.")

    def write_to_stdout(self, lines):
        try:
            for line in lines:
                sys.stdout.write(line)
            sys.stdout.flush()
        except BrokenPipeError:  # piped into `head` and the like: not an error, but not complete
            sys.stderr.close()
        finally:
            lines.close()  # a stream left before its end is logged as failed
