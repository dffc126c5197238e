"""Under `PORT=8010 make run` the site's address names port 8010: the demo site records it, so
the calendars and the feed carry it, and the mails name it too."""

from django.core.management import call_command

import icalendar

from events.models import EventPage

ADDRESS = "http://127.0.0.1:8010"


def test_calendars_and_the_feed_carry_the_served_port(client, db, settings):
    settings.WAGTAILADMIN_BASE_URL = ADDRESS  # what base.py makes of PORT=8010
    call_command("load_demo_content", stdout=open("/dev/null", "w"))  # noqa: SIM115
    event = EventPage.objects.live().first()

    ics = client.get(event.url + "calendrier/", HTTP_HOST="127.0.0.1:8010")
    rss = client.get("/agenda/rss/", HTTP_HOST="127.0.0.1:8010")

    urls = {
        str(vevent["URL"]) for vevent in icalendar.Calendar.from_ical(ics.content).walk("VEVENT")
    }
    assert urls == {f"{ADDRESS}{event.url}"}
    feed = rss.content.decode()
    assert f"<link>{ADDRESS}/agenda/</link>" in feed
    assert f"{ADDRESS}{event.url}" in feed
    assert ":8000" not in feed + ics.content.decode()
