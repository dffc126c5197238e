from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = "Site et contenus partagés"

    def ready(self):
        from . import admin_permissions

        admin_permissions.connect()
