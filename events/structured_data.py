"""schema.org ``Event`` data for search engines, embedded in event pages as JSON-LD.

Built from what the page already fetched for its template, so it costs no query. Rendered by the
``json_ld`` filter (events/templatetags/event_tags.py), which escapes it like ``json_script``.
"""

from .choices import AttendanceMode, EventStatus, OrganisationRole

SCHEMA = "https://schema.org/"
EVENT_STATUSES = {
    EventStatus.SCHEDULED: SCHEMA + "EventScheduled",
    EventStatus.CANCELLED: SCHEMA + "EventCancelled",
    EventStatus.POSTPONED: SCHEMA + "EventPostponed",
    EventStatus.MOVED_ONLINE: SCHEMA + "EventMovedOnline",
}
ATTENDANCE_MODES = {
    AttendanceMode.IN_PERSON: SCHEMA + "OfflineEventAttendanceMode",
    # The visio is a fallback, not a second way to attend: the event is in person until it
    # moves online, and then its status says so.
    AttendanceMode.IN_PERSON_WITH_FALLBACK: SCHEMA + "OfflineEventAttendanceMode",
    AttendanceMode.ONLINE: SCHEMA + "OnlineEventAttendanceMode",
}
ORGANISER_ROLES = {OrganisationRole.ORGANISER, OrganisationRole.PILOT}


def event(
    page,
    *,
    url,
    sessions,
    people,
    organisations,
    prices,
    site_name,
    sold_out=None,
    availability=None,
):
    """The page's Event: its dates, status, place, organisers, speakers, prices and, for a
    cycle, one subEvent per session. ``availability``: its offers' own, when given (a slot
    of the page cache, filled with the live seats: events.seats)."""
    location = place(page, url)
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": page.title,
        "description": page.get_meta_description(),
        "url": url,
        "inLanguage": "fr-FR",
        "eventStatus": EVENT_STATUSES[EventStatus(page.status)],
        "eventAttendanceMode": attendance_mode(page),
        "location": location,
        "organizer": organizers(page, organisations, site_name),
    }
    if sessions:
        data["startDate"] = min(session.starts_at for session in sessions).isoformat()
        data["endDate"] = max(session.ends_at for session in sessions).isoformat()
    performers = [person(member) for group in people for member in group.members]
    if performers:
        data["performer"] = performers
    if prices:
        data["offers"] = [offer(page, price, url, sold_out, availability) for price in prices]
    if len(sessions) > 1:
        data["subEvent"] = [sub_event(page, session, url, location) for session in sessions]
    return data


def attendance_mode(page):
    if page.is_online:
        return ATTENDANCE_MODES[AttendanceMode.ONLINE]
    return ATTENDANCE_MODES[AttendanceMode(page.attendance_mode)]


def place(page, url):
    if page.is_online:
        return {"@type": "VirtualLocation", "url": page.registration_url or url}
    if page.venue is not None:
        venue = page.venue
        return {
            "@type": "Place",
            "name": venue.name,
            "address": {
                "@type": "PostalAddress",
                "streetAddress": venue.street,
                "postalCode": venue.postcode,
                "addressLocality": venue.city,
                "addressCountry": "FR",
            },
        }
    address = {"@type": "PostalAddress", "addressCountry": "FR"}
    if page.venue_city:
        address["addressLocality"] = page.venue_city
    return {"@type": "Place", "name": page.to_be_confirmed_label, "address": address}


def organizers(page, organisation_groups, site_name):
    """The organising and pilot organisations, or the club itself when there are none."""
    found = [
        organisation(member)
        for group in organisation_groups
        if group.role in ORGANISER_ROLES
        for member in group.members
    ]
    return found or [{"@type": "Organization", "name": site_name}]


def organisation(member):
    data = {"@type": "Organization", "name": member.name}
    if member.website:
        data["url"] = member.website
    return data


def person(member):
    data = {"@type": "Person", "name": str(member)}
    if member.job_title:
        data["jobTitle"] = member.job_title
    return data


def offer(page, price, url, sold_out=None, availability=None):
    """``sold_out``: whether the seats counted on the site are all taken (None: the page's
    "complet" box says, for a registration elsewhere)."""
    if page.registers_on_site:
        link = url + page.reverse_subpage("register")
    else:
        link = page.registration_url or url
    if sold_out is None:
        sold_out = page.is_full
    data = {
        "@type": "Offer",
        "name": price.audience,
        "price": f"{price.amount or 0:.2f}",
        "priceCurrency": "EUR",
        "url": link,
        "availability": availability or SCHEMA + ("SoldOut" if sold_out else "InStock"),
    }
    if price.note:
        data["description"] = price.note
    if page.registration_deadline is not None:
        data["validThrough"] = page.registration_deadline.isoformat()
    return data


def sub_event(page, session, url, location):
    data = {
        "@type": "Event",
        "name": session.heading,
        "startDate": session.starts_at.isoformat(),
        "endDate": session.ends_at.isoformat(),
        "eventStatus": EVENT_STATUSES[EventStatus(session.effective_status.value)],
        "eventAttendanceMode": attendance_mode(page),
        "location": location,
        "url": url,
    }
    speakers = [person(speaker) for speaker in session.speakers.all()]
    if speakers:
        data["performer"] = speakers
    return data
