from django.apps import AppConfig


class ContactsConfig(AppConfig):
    name = "contacts"
    verbose_name = "Contacts et données personnelles"

    def ready(self):
        from . import activity, mails, notifications  # noqa: F401 (mails: for the admin)
        from .signals import registration_made

        # A lead's admin page shows their news-consent history, oldest first.
        activity.register_inspect_section(
            "contacts/admin/lead_consent.html", lambda lead: lead.consent_events.all()
        )
        # The lead managers told at once of each registration another app takes.
        registration_made.connect(
            notifications.registration_made, dispatch_uid="contacts-staff-registration"
        )
