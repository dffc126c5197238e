"""Editors type dates and times the French way in the admin, and the event keeps them."""

import datetime
import html
import json
import re
import zoneinfo

import pytest

from events.models import EventPage, EventSession
from tests.factories.events import EventPageFactory

from .test_admin import event_form, session_form

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


@pytest.fixture
def event(agenda):
    return EventPageFactory(parent=agenda, slug="atelier-proximite")


def edit(editor_client, event, sessions, **changes):
    """Posts the event's edit form, its one existing session replaced by ``sessions``."""
    existing = event.sessions.get()
    sessions = [{**sessions[0], "id": existing.pk}, *sessions[1:]]
    data = event_form([], slug=event.slug, **changes)
    data = {key: value for key, value in data.items() if not key.startswith("sessions-")}
    for index, session in enumerate(sessions):
        for name, value in session.items():
            data[f"sessions-{index}-{name}"] = value
        data[f"sessions-{index}-ORDER"] = str(index)
        data[f"sessions-{index}-DELETE"] = ""
    data.update(
        {
            "sessions-TOTAL_FORMS": str(len(sessions)),
            "sessions-INITIAL_FORMS": "1",
            "sessions-MIN_NUM_FORMS": "1",
            "sessions-MAX_NUM_FORMS": "1000",
        }
    )
    return editor_client.post(f"/admin/pages/{event.pk}/edit/", data)


def field_errors(response):
    """The error messages shown under the fields, as an editor reads them."""
    content = html.unescape(response.content.decode())
    return [
        " ".join(re.sub(r"<[^>]+>", " ", message).split())
        for message in re.findall(r'class="error-message"[^>]*>(.*?)</p>', content, re.S)
    ]


def test_an_editor_types_dates_and_times_the_french_way(editor_client, event):
    response = edit(
        editor_client,
        event,
        [
            session_form("19/01/2027", "09:00", "12:30", title="Diagnostic"),
            session_form("2/2/2027", "14:00", "17:30", title="Plan d'action"),
        ],
        registration_mode="site",
        registration_url="",
        registration_opens_on="01/12/2026",
        registration_deadline="15/01/2027",
    )

    assert response.status_code == 302, field_errors(response)
    event = EventPage.objects.get(pk=event.pk)
    sessions = EventSession.objects.filter(page=event).order_by("sort_order")
    assert [(s.date, s.start_time, s.end_time) for s in sessions] == [
        (datetime.date(2027, 1, 19), datetime.time(9), datetime.time(12, 30)),
        (datetime.date(2027, 2, 2), datetime.time(14), datetime.time(17, 30)),
    ]
    assert event.registration_opens_on == datetime.date(2026, 12, 1)
    assert event.registration_deadline == datetime.date(2027, 1, 15)
    assert (event.first_date, event.last_date) == (
        datetime.date(2027, 1, 19),
        datetime.date(2027, 2, 2),
    )


def test_the_form_shows_dates_as_they_are_typed(editor_client, event):
    session = event.sessions.get()
    content = editor_client.get(f"/admin/pages/{event.pk}/edit/").content.decode()

    assert f'value="{session.date:%d/%m/%Y}"' in content
    assert 'value="09:00"' in content
    assert "Par exemple : 13/10/2022" in content
    assert "Par exemple : 13/10/2022 09:00" in content  # the « Programmer » dialog
    # Every picker, the « Programmer » dialog's too, writes d/m/Y and keeps what it cannot read,
    # for the form to refuse with a message.
    pickers = {
        field.encode().decode("unicode_escape"): json.loads(config)
        for field, config in re.findall(r'init\w*Chooser\("([^"]+)", (\{.*?\})\);', content)
    }
    assert {"id_sessions-0-date", "id_sessions-0-start_time", "id_go_live_at"} <= set(pickers)
    assert pickers["id_sessions-0-date"]["format"] == "d/m/Y"
    assert pickers["id_go_live_at"]["format"] == "d/m/Y H:i"
    assert all(config["validateOnBlur"] is False for config in pickers.values())


@pytest.mark.parametrize(
    ("session", "changes", "message"),
    [
        (session_form("31/02/2027"), {}, "Saisissez une date valide."),
        (session_form("19 janvier 2027"), {}, "Saisissez une date valide."),
        (session_form("19/01/2027", "9h", "12:00"), {}, "Saisissez une heure valide."),
        (session_form("19/01/2027\x00"), {}, "Saisissez une date valide."),
        (session_form("19/01/2027"), {"registration_deadline": "15-01-2027x"}, "date valide"),
    ],
    ids=["no-such-day", "words", "time-9h", "nul", "deadline"],
)
def test_an_unreadable_date_gets_a_french_error_and_changes_nothing(
    editor_client, event, session, changes, message
):
    before = event.sessions.get().date

    response = edit(editor_client, event, [session], **changes)

    assert response.status_code == 200
    assert any(message in error for error in field_errors(response)), field_errors(response)
    assert event.sessions.get().date == before
    assert EventPage.objects.get(pk=event.pk).registration_deadline is None


def test_a_scheduled_event_says_when_it_goes_live_in_paris_time(editor_client, event):
    response = edit(
        editor_client,
        event,
        [session_form("19/01/2027", title="Diagnostic")],
        go_live_at="20/12/2030 09:30",
    )

    assert response.status_code == 302, field_errors(response)
    revision = EventPage.objects.get(pk=event.pk).latest_revision
    assert revision.approved_go_live_at == datetime.datetime(2030, 12, 20, 9, 30, tzinfo=PARIS)
    content = html.unescape(editor_client.get(f"/admin/pages/{event.pk}/edit/").content.decode())
    text = " ".join(re.sub(r"<[^>]+>", " ", content).split())
    # 09:30 in Paris is 08:30 UTC: the banner and the status side panel both say 09:30.
    assert "planifié(e) pour la publication le 20 décembre 2030 09:30" in text
    assert "Publication : 20 décembre 2030 09:30" in text
    assert "Annuler la publication programmée" in text
    assert 'value="20/12/2030 09:30"' in content
