"""The .ics files: what Outlook, Apple Calendar and Google Calendar read, parsed with the same
library they would be built with."""

import datetime
from urllib.parse import unquote

import icalendar

from events.choices import AttendanceMode, EventStatus, SessionStatus
from events.models import EventPage, EventSession
from tests.factories.events import EventPageFactory, in_days, session


def calendar(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return response, icalendar.Calendar.from_ical(response.content)


def by_summary(cal):
    return {str(event["SUMMARY"]): event for event in cal.walk("VEVENT")}


def test_a_cycle_downloads_as_one_vevent_per_session(client, agenda):
    event = EventPageFactory(
        parent=agenda,
        slug="cycle",
        title="Revisiter la proximité",
        venue__name="Novotel Paris Bercy",
        sessions=[
            session(10, title="Etat des lieux"),
            session(40, start=(14, 0), end=(17, 30), title="Prendre de la hauteur"),
        ],
    )

    response, cal = calendar(client, event.url + "calendrier/")

    assert response["Content-Disposition"] == 'attachment; filename="cycle.ics"'
    assert cal["VERSION"] == "2.0"
    assert cal["METHOD"] == "PUBLISH"
    vevents = by_summary(cal)
    assert set(vevents) == {
        "Revisiter la proximité – Séance 1 - Etat des lieux",
        "Revisiter la proximité – Séance 2 - Prendre de la hauteur",
    }
    second = vevents["Revisiter la proximité – Séance 2 - Prendre de la hauteur"]
    paris = second.decoded("DTSTART").tzinfo
    assert second.decoded("DTSTART") == datetime.datetime.combine(
        in_days(40), datetime.time(14), tzinfo=paris
    )
    assert second.decoded("DTEND").time() == datetime.time(17, 30)
    assert second["DTSTART"].params["TZID"] == "Europe/Paris"
    assert str(second["LOCATION"]) == "Novotel Paris Bercy, 85 rue de Bercy, 75012 Paris"
    assert str(second["URL"]) == "http://localhost/agenda/cycle/"
    assert str(second["STATUS"]) == "CONFIRMED"
    assert second["SEQUENCE"] == 0
    assert "DTSTAMP" in second
    uids = {str(vevent["UID"]) for vevent in vevents.values()}
    assert uids == {str(s.uid) for s in EventSession.objects.filter(page=event)}
    assert not any("localhost" in uid for uid in uids)  # never the page's address
    timezones = cal.walk("VTIMEZONE")
    assert [str(tz["TZID"]) for tz in timezones] == ["Europe/Paris"]
    assert timezones[0].walk("DAYLIGHT") and timezones[0].walk("STANDARD")


def test_the_uid_stays_and_the_sequence_grows_when_a_session_changes(client, agenda):
    event = EventPageFactory(parent=agenda, sessions=[session(10), session(20)])
    url = event.url + "calendrier/"
    _, before = calendar(client, url)

    event = EventPage.objects.get(pk=event.pk)
    event.save_revision().publish()  # published again, unchanged
    _, unchanged = calendar(client, url)

    draft = event.get_latest_revision_as_object()
    sessions = list(draft.sessions.all())
    sessions[0].date = in_days(12)
    draft.sessions = sessions
    draft.save_revision().publish()
    _, after = calendar(client, url)

    def versions(cal):
        return sorted((str(v["UID"]), v["SEQUENCE"]) for v in cal.walk("VEVENT"))

    assert versions(unchanged) == versions(before)
    moved_uid = str(EventSession.objects.get(page=event, date=in_days(12)).uid)
    assert {uid for uid, _ in versions(after)} == {uid for uid, _ in versions(before)}
    assert dict(versions(after))[moved_uid] == 1
    assert sorted(sequence for _, sequence in versions(after)) == [0, 1]


def test_a_cancelled_session_stays_in_the_file_as_cancelled(client, agenda):
    event = EventPageFactory(
        parent=agenda,
        sessions=[session(10), session(20, status=SessionStatus.CANCELLED)],
    )

    _, cal = calendar(client, event.url + "calendrier/")

    statuses = sorted(str(vevent["STATUS"]) for vevent in cal.walk("VEVENT"))
    assert statuses == ["CANCELLED", "CONFIRMED"]


def test_a_cancelled_event_cancels_every_session(client, agenda):
    event = EventPageFactory(
        parent=agenda, status=EventStatus.CANCELLED, sessions=[session(10), session(20)]
    )

    _, cal = calendar(client, event.url + "calendrier/")

    assert {str(vevent["STATUS"]) for vevent in cal.walk("VEVENT")} == {"CANCELLED"}


def test_a_day_without_times_is_a_whole_day_and_online_events_say_so(client, agenda):
    event = EventPageFactory(
        parent=agenda,
        attendance_mode=AttendanceMode.ONLINE,
        sessions=[session(10, start=None, end=None)],
    )

    _, cal = calendar(client, event.url + "calendrier/")

    (vevent,) = cal.walk("VEVENT")
    assert vevent.decoded("DTSTART") == in_days(10)
    assert vevent.decoded("DTEND") == in_days(11)
    assert str(vevent["LOCATION"]) == "En ligne"
    assert str(vevent["SUMMARY"]) == event.title


def test_the_agenda_feed_holds_upcoming_and_recent_events_only(client, agenda):
    upcoming = EventPageFactory(parent=agenda, sessions=[session(5), session(35)])
    recent = EventPageFactory(parent=agenda, sessions=[session(-10)])
    old = EventPageFactory(parent=agenda, sessions=[session(-400)])
    draft = EventPageFactory(parent=agenda, live=False, sessions=[session(8)])

    response, cal = calendar(client, agenda.url + "calendrier/")

    uids = {str(vevent["UID"]) for vevent in cal.walk("VEVENT")}
    expected = EventSession.objects.filter(page__in=[upcoming, recent])
    assert uids == {str(s.uid) for s in expected}
    assert not uids & {str(s.uid) for s in EventSession.objects.filter(page__in=[old, draft])}
    assert str(cal["X-WR-CALNAME"]) == "Agenda"
    assert "REFRESH-INTERVAL" in cal
    assert "max-age=900" in response["Cache-Control"]


def test_an_accented_file_name_keeps_its_accents_with_an_ascii_fallback(client, agenda):
    event = EventPageFactory(parent=agenda, slug="journée-débat", sessions=[session(10)])

    response = client.get(event.url + "calendrier/")

    header = response["Content-Disposition"]
    assert header.isascii()  # never raw bytes, which browsers replace by "download.ics"
    disposition, *params = [part.strip() for part in header.split(";")]
    params = dict(param.split("=", 1) for param in params)
    assert disposition == "attachment"
    # What a browser saves it as (RFC 6266 prefers filename*), and the older clients' name.
    charset, _, name = params["filename*"].partition("''")
    assert charset.upper() == "UTF-8"
    assert unquote(name, encoding="utf-8") == "journée-débat.ics"
    assert params["filename"] == '"journee-debat.ics"'
