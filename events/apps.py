from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = "Événements"

    def ready(self):
        from wagtail.signals import page_published

        from contacts import activity, engagement, notifications
        from contacts.signals import lead_erased

        # certificates, mails, registrant_messages: this app's mails, for the admin.
        from . import certificates, exception_requests, mails, registrant_messages, views  # noqa: F401
        from . import engagement as event_engagement
        from .models import EventPage
        from .signals import (
            anonymise_registrations,
            fill_seats_after_publish,
            lead_registrations,
            new_registration_lines,
            notify_session_changes,
            personal_data,
        )

        # The event page's form routes are served by the views: a model never imports a view.
        EventPage.form_views.update(
            register=views.registration_form,
            registered=views.registration_done,
            exception=views.exception_request,
        )

        # The notices first, then the offers of the places an editor added (services).
        page_published.connect(
            notify_session_changes, sender=EventPage, dispatch_uid="events-session-changes"
        )
        page_published.connect(
            fill_seats_after_publish, sender=EventPage, dispatch_uid="events-fill-seats"
        )
        lead_erased.connect(anonymise_registrations, dispatch_uid="events-erase-registrations")
        lead_erased.connect(
            exception_requests.forget, dispatch_uid="events-erase-exception-requests"
        )
        # A lead is kept while a registration is within the retention; their page lists them.
        activity.register_activity_date("registrations__created_at")
        activity.register_inspect_section(
            "events/admin/lead_registrations.html", lead_registrations
        )
        activity.register_personal_data(
            "registrations", "Inscriptions aux événements", personal_data
        )
        # An organisation's page and its bilan count its registrations, séances and savings.
        engagement.register_engagement(
            "registrations",
            event_engagement.organisation_figures,
            event_engagement.organisation_tables,
        )
        # The lead managers' daily digest lists the day's registrations.
        notifications.register_digest_section(
            "Nouvelles inscriptions", new_registration_lines, "/admin/inscriptions/"
        )
