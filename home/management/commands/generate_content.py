import time
from importlib import import_module

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.module_loading import module_has_submodule

from .load_demo_content import PROJECT_APPS


def generators():
    """Each project app may have a ``generate`` module with a ``generate(options, stdout)``:
    home first, then the rest in INSTALLED_APPS order, as for the demo content."""
    for app_config in apps.get_app_configs():
        if app_config.name in PROJECT_APPS and module_has_submodule(app_config.module, "generate"):
            yield import_module(f"{app_config.name}.generate").generate


class Command(BaseCommand):
    help = (
        "Adds generated content on top of the demo site, for load tests: pages, white papers, "
        "leads, events. Slugs and e-mails are numbered (genere-<n>); those that exist are skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument("--pages", type=int, default=20, help="pages de contenu (20)")
        parser.add_argument("--papers", type=int, default=200, help="livres blancs (200)")
        parser.add_argument(
            "--leads", type=int, default=1000, help="leads, une demande chacun (1000)"
        )
        parser.add_argument("--events", type=int, default=200, help="événements (200)")

    def handle(self, *args, **options):
        started = time.monotonic()
        call_command("load_demo_content", stdout=self.stdout)
        for generate in generators():
            generate(options, self.stdout)
        self.stdout.write(
            self.style.SUCCESS(f"Contenu généré en {time.monotonic() - started:.1f} s.")
        )
