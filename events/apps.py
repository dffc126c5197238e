from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = "Événements"

    def ready(self):
        from wagtail.signals import page_published

        from . import views
        from .models import EventPage
        from .signals import fill_seats_after_publish

        # The event page's form routes are served by the views: a model never imports a view.
        EventPage.form_views.update(
            register=views.registration_form, registered=views.registration_done
        )

        page_published.connect(
            fill_seats_after_publish, sender=EventPage, dispatch_uid="events-fill-seats"
        )
