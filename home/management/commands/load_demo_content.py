from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import module_has_submodule

from home import share_images
from home.demo import home_page

PROJECT_APPS = ("home", "publications", "events", "search", "contacts")


def demo_loaders():
    """Each project app may have a ``demo`` module with a ``load(home)``: home first, then the
    rest in INSTALLED_APPS order, so that each app adds its own part of the demo site. ``home``
    is the site's root page, made here: the lower apps' loaders build below it without
    importing home."""
    for app_config in apps.get_app_configs():
        if app_config.name in PROJECT_APPS and module_has_submodule(app_config.module, "demo"):
            yield import_module(f"{app_config.name}.demo").load


class Command(BaseCommand):
    help = "Builds the demo site from the seed documents. Idempotent: a second run changes nothing."

    def handle(self, *args, **options):
        with transaction.atomic():
            home, new = home_page()
            created = ["page d'accueil"] if new else []
            for load in demo_loaders():
                created.extend(load(home))
            # Drawn by the worker after each publish; here at once, so the demo shows them.
            made, _pages = share_images.make_all()
            if made:
                created.append(f"{made} image(s) de partage")
        if not created:
            self.stdout.write("Contenu de démonstration déjà en place : rien n'a changé.")
            return
        for item in created:
            self.stdout.write(f"  + {item}")
        self.stdout.write(
            self.style.SUCCESS(f"Contenu de démonstration chargé ({len(created)} éléments).")
        )
