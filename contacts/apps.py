from django.apps import AppConfig


class ContactsConfig(AppConfig):
    name = "contacts"
    verbose_name = "Contacts et données personnelles"

    def ready(self):
        from . import activity, mails  # noqa: F401 (mails: this app's mails, for the admin)

        # A lead's admin page shows their news-consent history, oldest first.
        activity.register_inspect_section(
            "contacts/admin/lead_consent.html", lambda lead: lead.consent_events.all()
        )
