"""iCalendar files (RFC 5545), built with the ``icalendar`` library: "Ajouter à mon agenda" on an
event page, and the agenda's feed of upcoming events.

One VEVENT per session. What lets Outlook, Apple Calendar and Google Calendar update an event in
place rather than add a second copy: a UID per session that never changes (a UUID stored on the
session, not the page's address, which editors may change), a SEQUENCE that grows whenever what
the calendar shows changes (kept by ``EventPage.update_from_sessions``), and STATUS:CANCELLED
for a cancelled session instead of a missing one. Times are Paris wall-clock times, written with
TZID=Europe/Paris and the matching VTIMEZONE.
"""

import datetime
import os
import re
import unicodedata
from collections import namedtuple
from html import unescape
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.html import strip_tags

import icalendar

from .choices import SessionStatus

PRODID = "-//Club Management HLM//Agenda//FR"
CONTENT_TYPE = "text/calendar; charset=utf-8"
STATUSES = {
    SessionStatus.SCHEDULED: "CONFIRMED",
    SessionStatus.MOVED_ONLINE: "CONFIRMED",
    SessionStatus.POSTPONED: "TENTATIVE",  # its date no longer holds; no new one yet
    SessionStatus.CANCELLED: "CANCELLED",
}
# A subscribed calendar polls the feed this often (RFC 7986 REFRESH-INTERVAL).
FEED_REFRESH = datetime.timedelta(hours=6)

# One session to write, with its event and the event's address.
CalendarEntry = namedtuple("CalendarEntry", ["event", "session", "url"])


def calendar_entries(sessions, *, url):
    """The entries of one event's sessions (numbered by ``number_sessions``)."""
    return [CalendarEntry(session.page, session, url) for session in sessions]


def summary(entry):
    """ "Revisiter la proximité… – Séance 2 - Prendre de la hauteur…", or the event's title."""
    title = entry.event.title
    heading = entry.session.heading
    return f"{title} – {heading}" if heading and heading != title else title


BLOCK_END = re.compile(r"</(?:p|h[1-6]|li|blockquote)>|<br\s*/?>", re.IGNORECASE)
LIST_ITEM = re.compile(r"<li[^>]*>", re.IGNORECASE)


def plain_text(html):
    """Rich text as a calendar's plain text: one line per paragraph, "- " before list items."""
    text = strip_tags(LIST_ITEM.sub("- ", BLOCK_END.sub("\n", html)))
    lines = (line.strip() for line in unescape(text).splitlines())
    return "\n".join(line for line in lines if line)


def description(entry):
    parts = [entry.event.summary, plain_text(entry.session.description), entry.url]
    return "\n\n".join(part for part in parts if part)


def vevent(entry, stamp):
    event, session = entry.event, entry.session
    component = icalendar.Event()
    component.add("uid", str(session.uid))
    component.add("dtstamp", stamp)
    component.add("sequence", session.sequence)
    if session.changed_at is not None:
        component.add("last-modified", session.changed_at)
    if session.has_times:
        component.add("dtstart", session.starts_at)
        component.add("dtend", session.ends_at)
    else:
        # A whole day: DTSTART;VALUE=DATE, and DTEND the next day (the end is exclusive).
        component.add("dtstart", session.date)
        component.add("dtend", session.date + datetime.timedelta(days=1))
    component.add("summary", summary(entry))
    component.add("location", event.location_label)
    component.add("url", entry.url)
    component.add("description", description(entry))
    component.add("categories", [event.kind.name])
    component.add("status", STATUSES[session.effective_status])
    return component


def build_calendar(entries, *, name, refresh=None):
    """The .ics file's bytes: one VEVENT per entry, and a VTIMEZONE for Europe/Paris that
    covers the years the sessions fall in."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Paris")
    if refresh is not None:
        calendar.add("refresh-interval", refresh, parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", refresh)
    stamp = timezone.now()
    dates = []
    for entry in entries:
        calendar.add_component(vevent(entry, stamp))
        dates.append(entry.session.date)
    if dates:
        calendar.add_missing_timezones(
            first_date=datetime.date(min(dates).year, 1, 1),
            last_date=datetime.date(max(dates).year + 1, 1, 1),
        )
    return calendar.to_ical()


def attachment_header(filename):
    """RFC 6266: the name with its accents (``filename*``, UTF-8) after an ASCII ``filename``
    for clients that ignore it: "journée.ics" is sent as ``journee.ics`` and
    ``journ%C3%A9e.ics``."""
    stem, extension = os.path.splitext(filename)
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    ascii_stem = re.sub(r'[^\x20-\x7e]|["\\]', "", ascii_stem).strip() or "agenda"
    fallback = ascii_stem + extension
    if fallback == filename:
        return f'attachment; filename="{filename}"'
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"


def calendar_response(content, filename, *, max_age=None):
    response = HttpResponse(content, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = attachment_header(filename)
    if max_age is not None:
        patch_cache_control(response, public=True, max_age=max_age)
    return response
