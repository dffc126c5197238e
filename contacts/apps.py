from django.apps import AppConfig


class ContactsConfig(AppConfig):
    name = "contacts"
    verbose_name = "Contacts et données personnelles"

    def ready(self):
        from . import notifications
        from .signals import registration_made

        # The lead managers told at once of each registration another app takes.
        registration_made.connect(
            notifications.registration_made, dispatch_uid="contacts-staff-registration"
        )
