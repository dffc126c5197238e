from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = "Événements"

    def ready(self):
        from wagtail.signals import page_published

        from .models import EventPage
        from .signals import fill_seats_after_publish

        page_published.connect(
            fill_seats_after_publish, sender=EventPage, dispatch_uid="events-fill-seats"
        )
