from django.urls import path, reverse

from wagtail import hooks
from wagtail.admin.widgets import Button
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from contacts.export_log import register_filters
from contacts.models import ExportLog
from contacts.permissions import ReadOnlyPermissionPolicy

from . import checkin, history
from .admin_filters import RegistrationFilterSet
from .attendance import can_check_in
from .choices import EventStatus
from .message_views import write_to_registrants
from .models import EventIndexPage, EventPage, Registration
from .registrant_messages import can_write_to_registrants
from .viewsets import EventReferenceGroup, RegistrationViewSet

register_snippet(EventReferenceGroup)
# Wagtail's own add, edit and delete views stay closed to everyone: staff book, change,
# confirm and cancel through the staff pages (events.viewsets, events.staff), each checking
# the registrations' add or change permission, with the public form's checks.
register_permission_policy(Registration, ReadOnlyPermissionPolicy(Registration))
# The export log puts the registrations' filters into words.
register_filters(ExportLog.Dataset.REGISTRATIONS, RegistrationFilterSet)


@hooks.register("register_admin_viewset")
def register_registrations_viewset():
    return RegistrationViewSet()


@hooks.register("register_admin_urls")
def register_write_to_registrants_url():
    return [
        path(
            "evenements/<int:event_id>/ecrire/",
            write_to_registrants,
            name="events_write_to_registrants",
        )
    ]


@hooks.register("register_admin_urls")
def register_checkin_urls():
    """The check-in page of an event, by séance, and its small POSTs (events/checkin.py)."""
    return [
        path("evenements/<int:event_id>/pointage/", checkin.checkin_page, name="events_checkin"),
        path(
            "evenements/<int:event_id>/pointage/<int:session_id>/",
            checkin.checkin_page,
            name="events_checkin_session",
        ),
        path(
            "evenements/<int:event_id>/pointage/<int:session_id>/present/",
            checkin.check_in,
            name="events_checkin_present",
        ),
        path(
            "evenements/<int:event_id>/pointage/<int:session_id>/annuler/",
            checkin.undo_check_in,
            name="events_checkin_undo",
        ),
        path(
            "evenements/<int:event_id>/pointage/<int:session_id>/attestations/",
            checkin.issue_certificates,
            name="events_checkin_certificates",
        ),
    ]


@hooks.register("register_page_header_buttons")
def write_to_registrants_button(page, user, view_name, next_url=None):
    """An event's admin pages lead to writing to its registrants and to its check-in page
    (lead managers only)."""
    page_class = page.specific_class
    if page_class and issubclass(page_class, EventPage) and can_write_to_registrants(user):
        yield Button(
            "Écrire aux inscrits",
            reverse("events_write_to_registrants", args=[page.pk]),
            icon_name="mail",
            priority=60,
        )
    if page_class and issubclass(page_class, EventPage) and can_check_in(user):
        yield Button(
            "Pointage", reverse("events_checkin", args=[page.pk]), icon_name="tick", priority=61
        )


@hooks.register("home_page_listings")
def next_events(today):
    """The home page's agenda link and its next three events, the first as its hero (with the
    address its button registers at); when none is announced, the three latest past events
    and the agenda's calendar and feed to subscribe to, so that the page is never empty."""
    agenda = EventIndexPage.objects.live().first()
    upcoming = list(EventPage.objects.for_listing().upcoming(today).in_agenda_order(today)[:3])
    shown = {"agenda": agenda, "next_events": upcoming, "latest_events": []}
    if upcoming:
        hero = upcoming[0]
        # No button to a cancelled event or past its deadline; "Complet" is said live beside it.
        is_open = hero.status != EventStatus.CANCELLED and (
            hero.registration_deadline is None or hero.registration_deadline >= today
        )
        if is_open and hero.registers_on_site:
            shown["hero_register_url"] = hero.url + hero.reverse_subpage("register")
        elif is_open and hero.registration_url:
            shown["hero_register_url"] = hero.registration_url
    else:
        shown["latest_events"] = list(
            EventPage.objects.for_listing().past(today).order_by("-last_date", "-first_date")[:3]
        )
    if agenda is not None:
        shown["agenda_calendar_url"] = agenda.url + agenda.reverse_subpage("ics")
        shown["agenda_rss_url"] = agenda.url + agenda.reverse_subpage("rss")
    return shown


@hooks.register("register_log_actions")
def register_registration_history_actions(actions):
    history.register_actions(actions)
