"""What an event derives from its sessions, and how it reads on a card."""

import datetime
from decimal import Decimal

import pytest

from events.choices import (
    AttendanceMode,
    EventStatus,
    RegistrationMode,
    RegistrationState,
    SessionStatus,
)
from events.models import EventPage, EventPrice, EventSession
from tests.factories.events import EventPageFactory, in_days, session


def publish_changes(event, **changes):
    """Edits the latest revision as the admin does, then publishes it."""
    draft = event.get_latest_revision_as_object()
    for name, value in changes.items():
        setattr(draft, name, value)
    draft.save_revision().publish()
    return EventPage.objects.get(pk=event.pk)


def test_first_and_last_dates_follow_the_sessions(agenda):
    event = EventPageFactory(parent=agenda, sessions=[session(40), session(10), session(70)])

    assert (event.first_date, event.last_date) == (in_days(10), in_days(70))
    assert event.session_count == 3

    draft = event.get_latest_revision_as_object()
    draft.sessions = [session(5)]
    draft.save_revision().publish()

    event.refresh_from_db()
    assert (event.first_date, event.last_date, event.session_count) == (in_days(5), in_days(5), 1)


def test_a_draft_leaves_the_live_dates_alone(agenda):
    event = EventPageFactory(parent=agenda, sessions=[session(10)])
    draft = event.get_latest_revision_as_object()
    draft.sessions = [session(99)]
    draft.save_revision()

    event.refresh_from_db()
    assert event.first_date == in_days(10)
    assert EventSession.objects.get(page=event).date == in_days(10)


def test_a_session_keeps_its_uid_and_its_sequence_grows_only_when_it_changes(agenda):
    event = EventPageFactory(parent=agenda, sessions=[session(10), session(20)])
    event.save_revision().publish()
    first, second = EventSession.objects.filter(page=event).order_by("sort_order")
    uids = (first.uid, second.uid)
    assert (first.sequence, second.sequence) == (0, 0)

    event = publish_changes(event, seo_title="Rien qui se voie dans un calendrier")
    assert [(s.uid, s.sequence) for s in event.sessions.all()] == [(uids[0], 0), (uids[1], 0)]

    draft = event.get_latest_revision_as_object()
    sessions = list(draft.sessions.all())
    sessions[1].start_time = datetime.time(14)
    sessions[1].end_time = datetime.time(17)
    draft.sessions = sessions  # as the admin's form hands them over
    draft.save_revision().publish()

    sessions = list(EventSession.objects.filter(page=event).order_by("sort_order"))
    assert [(s.uid, s.sequence) for s in sessions] == [(uids[0], 0), (uids[1], 1)]
    assert sessions[1].changed_at is not None


def test_cancelling_the_event_changes_every_session(agenda):
    event = EventPageFactory(parent=agenda, sessions=[session(10), session(20)])

    publish_changes(event, status=EventStatus.CANCELLED)

    sessions = EventSession.objects.filter(page=event).select_related("page")
    assert [s.sequence for s in sessions] == [1, 1]
    assert {s.effective_status for s in sessions} == {SessionStatus.CANCELLED}


def test_sequence_never_goes_back_when_an_older_revision_is_published(agenda):
    event = EventPageFactory(parent=agenda, sessions=[session(10)])
    event.save_revision()
    old_revision = event.get_latest_revision()
    publish_changes(event, status=EventStatus.POSTPONED)
    assert EventSession.objects.get(page=event).sequence == 1

    old_revision.publish()  # back to "scheduled": a change calendars must see

    assert EventSession.objects.get(page=event).sequence == 2


def test_a_copied_event_gets_sessions_of_its_own(agenda):
    event = EventPageFactory(parent=agenda, slug="original", sessions=[session(10)])

    copy = event.copy(update_attrs={"slug": "copie", "title": "Copie"})

    original_uid = EventSession.objects.get(page=event).uid
    copied = EventSession.objects.get(page=copy)
    assert copied.uid != original_uid
    assert copied.sequence == 0


def test_place_reads_as_venue_to_be_confirmed_or_online(agenda):
    event = EventPageFactory.build(venue=None, venue_city="Paris")
    assert event.place_label == "Paris (lieu à confirmer)"
    assert event.location_label == "Paris (lieu à confirmer)"

    event.venue_city = ""
    assert event.place_label == "Lieu à confirmer"

    event.attendance_mode = AttendanceMode.ONLINE
    assert event.place_label == "En ligne"

    event = EventPageFactory(parent=agenda, venue__name="Novotel Paris Bercy")
    assert event.place_label == "Novotel Paris Bercy, Paris"
    assert event.location_label == "Novotel Paris Bercy, 85 rue de Bercy, 75012 Paris"
    assert event.venue.map_url == (
        "https://www.openstreetmap.org/search?query=85+rue+de+Bercy%2C+75012+Paris%2C+France"
    )

    event.status = EventStatus.MOVED_ONLINE
    assert event.place_label == "En ligne"


@pytest.mark.parametrize(
    ("status", "is_full", "badge"),
    [
        (EventStatus.SCHEDULED, False, None),
        (EventStatus.SCHEDULED, True, ("Complet", "secondary")),
        (EventStatus.CANCELLED, True, ("Annulé", "danger")),
        (EventStatus.POSTPONED, False, ("Reporté", "warning")),
        (EventStatus.MOVED_ONLINE, False, ("Passé en ligne", "info")),
    ],
)
def test_the_card_badge(db, status, is_full, badge):  # db: the page's content type
    event = EventPageFactory.build(status=status, is_full=is_full)
    assert (tuple(event.badge) if event.badge else None) == badge


def test_registration_state(db):
    today = datetime.date(2030, 5, 1)
    event = EventPageFactory.build(
        registration_mode=RegistrationMode.EXTERNAL,
        registration_url="https://inscription.example.org/",
        last_date=datetime.date(2030, 6, 1),
        registration_deadline=datetime.date(2030, 5, 15),
    )
    assert event.registration_state(today) == RegistrationState.OPEN
    assert event.registration_state(datetime.date(2030, 5, 16)) == RegistrationState.CLOSED
    assert event.registration_state(datetime.date(2030, 6, 2)) == RegistrationState.OVER
    event.is_full = True
    assert event.registration_state(today) == RegistrationState.FULL
    event.status = EventStatus.CANCELLED
    assert event.registration_state(today) == RegistrationState.CANCELLED
    event = EventPageFactory.build(registration_url="", last_date=datetime.date(2030, 6, 1))
    assert event.registration_state(today) == RegistrationState.CLOSED


@pytest.mark.parametrize(
    ("amount", "label"),
    [
        (Decimal("500"), "500\u00a0€"),
        (Decimal("1500"), "1\u202f500\u00a0€"),
        (Decimal("12.50"), "12,50\u00a0€"),
        (None, "Gratuit"),
    ],
)
def test_prices_read_the_french_way(amount, label):
    assert EventPrice(audience="Adhérent", amount=amount).amount_label == label
