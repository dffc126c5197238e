from django.apps import AppConfig


class ContactsConfig(AppConfig):
    name = "contacts"
    verbose_name = "Contacts et données personnelles"

    def ready(self):
        from . import mails  # noqa: F401 (this app's mails, for the admin)
