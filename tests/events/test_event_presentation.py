"""What the agenda's cards and an event's page show: a date badge, the kind, the séances, the
mode, "Complet" or the places left (counted on every serve), the programme as a timeline,
prices as a table and, on a phone, the call to register kept in sight."""

import html as html_lib
import re

import pytest

from events.choices import RegistrationStatus
from events.models import EventPrice, Registration
from tests.factories.events import EventPageFactory, session

from .conftest import visible_text


def take_seats(event, count):
    Registration.objects.bulk_create(
        Registration(event=event, status=RegistrationStatus.CONFIRMED, consent_text="J'accepte.")
        for _ in range(count)
    )


def text_of(fragment):
    """A fragment's text as a visitor reads it."""
    return " ".join(
        html_lib.unescape(re.sub(r"<[^>]+>", "", fragment)).replace("\u00a0", " ").split()
    )


def card(content, title):
    """The HTML of the agenda card whose title is ``title``."""
    for article in re.findall(r'<article class="card event-card.*?</article>', content, re.S):
        if title in article:
            return article
    raise AssertionError(f"no card for {title}")


def test_an_agenda_card_shows_date_kind_sessions_mode_and_places(client, agenda):
    event = EventPageFactory(
        parent=agenda,
        title="Cycle de printemps",
        attendance_mode="fallback",
        registration_mode="site",
        capacity=12,
        sessions=[session(40), session(54), session(68)],
    )
    take_seats(event, 5)

    fragment = card(client.get("/agenda/").content.decode(), "Cycle de printemps")
    text = text_of(fragment)

    first = event.first_date
    assert f'<span class="date-badge-day">{first.day}</span>' in fragment
    assert f'<span class="date-badge-year">{first.year}</span>' in fragment
    assert event.kind.name in text
    assert "3 séances" in text
    assert "Présentiel, avec repli en visio" in text
    assert "7 places restantes" in text


@pytest.mark.parametrize(
    ("fields", "mode"),
    [
        ({"attendance_mode": "in_person"}, "Présentiel"),
        ({"attendance_mode": "online", "venue": None}, "En ligne"),
        ({"attendance_mode": "in_person", "status": "moved_online"}, "En ligne"),
    ],
)
def test_a_card_says_how_one_attends(client, agenda, fields, mode):
    EventPageFactory(parent=agenda, title="Atelier", **fields)

    fragment = card(client.get("/agenda/").content.decode(), "Atelier")

    assert f"Participation : {mode}" in text_of(fragment)


def test_a_full_event_says_complet_and_a_registration_updates_the_cached_agenda(
    client, agenda, settings
):
    event = EventPageFactory(
        parent=agenda, title="Atelier", registration_mode="site", capacity=2, sessions=[session()]
    )
    take_seats(event, 1)
    first = client.get("/agenda/")
    assert "1 place restante" in visible_text(first)

    take_seats(event, 1)  # purges nothing: the cached agenda is served again, counted anew
    second = client.get("/agenda/")
    assert second.headers.get("X-Page-Cache") in ("hit", "off")
    text = visible_text(second)
    assert "Complet" in text and "place restante" not in text
    assert second.headers["ETag"] != first.headers["ETag"]


def test_past_events_and_unlimited_ones_say_nothing_of_places(client, agenda):
    past = EventPageFactory(
        parent=agenda, title="Passé", registration_mode="site", capacity=3, sessions=[session(-5)]
    )
    take_seats(past, 3)
    EventPageFactory(parent=agenda, title="Sans limite", registration_mode="site", capacity=None)

    text = visible_text(client.get("/agenda/"))

    assert "Complet" not in text and "place" not in text.replace("placé", "")


@pytest.mark.parametrize("count", [1, 24])
def test_the_agenda_counts_every_cards_places_in_the_same_queries(
    client, agenda, django_assert_max_num_queries, count
):
    for number in range(count):
        event = EventPageFactory(
            parent=agenda, registration_mode="site", capacity=9, sessions=[session(3 + number)]
        )
        take_seats(event, 1)
    client.get("/agenda/")
    client.get("/agenda/")

    with django_assert_max_num_queries(2):
        response = client.get("/agenda/")
    assert visible_text(response).count("8 places restantes") == min(count, 12)


def test_the_event_page_shows_prices_as_a_table_and_the_programme_as_a_timeline(client, agenda):
    event = EventPageFactory(
        parent=agenda,
        sessions=[session(10, title="Diagnostic"), session(20, title="Plan d'action")],
        prices=[
            EventPrice(audience="Adhérent", amount=500, note="pour l'ensemble de l'atelier"),
            EventPrice(audience="Non-adhérent", amount=1500),
        ],
    )

    response = client.get(event.url)
    content = response.content.decode()
    text = visible_text(response)

    assert '<table class="table price-table">' in content
    assert re.search(
        r'<th scope="row">Adhérent<span class="visually-hidden"> :</span></th>', content
    )
    assert "Adhérent : 500 € pour l'ensemble de l'atelier" in text
    assert "Non-adhérent : 1 500 €" in text
    assert content.count('<li class="timeline-item">') == 2
    assert text.index("Séance 1 - Diagnostic") < text.index("Séance 2 - Plan d'action")
    # Dates and place come first in the page, beside the presentation at desktop.
    assert text.index("Dates et lieu") < text.index("Programme")


@pytest.mark.parametrize("waiting_list", [False, True])
def test_the_phone_register_bar_follows_the_live_state(client, agenda, waiting_list):
    event = EventPageFactory(
        parent=agenda,
        title="Atelier",
        slug="atelier",
        registration_mode="site",
        capacity=2,
        waiting_list=waiting_list,
        sessions=[session()],
    )
    content = client.get(event.url).content.decode()
    bar = re.search(r'<aside class="sticky-cta".*?</aside>', content, re.S)
    assert bar and 'href="/agenda/atelier/inscription/"' in bar[0]
    assert "2 places restantes" in text_of(bar[0])
    # Its space is reserved after the footer, so that it hides nothing.
    assert content.index("</footer>") < content.index('class="sticky-cta-space"')

    take_seats(event, 2)  # purges nothing: the cached page's bar is filled anew
    content = client.get(event.url).content.decode()
    bar = re.search(r'<aside class="sticky-cta".*?</aside>', content, re.S)
    if waiting_list:
        assert "Complet – liste d'attente" in text_of(bar[0])
    else:
        assert bar is None and "sticky-cta-space" not in content


def test_a_past_event_has_no_register_bar(client, agenda):
    event = EventPageFactory(
        parent=agenda, registration_mode="site", capacity=5, sessions=[session(-3)]
    )

    assert 'class="sticky-cta"' not in client.get(event.url).content.decode()
