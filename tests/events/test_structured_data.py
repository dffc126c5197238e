"""schema.org Event data on every event page: it parses, carries the fields search engines
read, and runs nothing (the Content-Security-Policy forbids inline scripts)."""

import re
from decimal import Decimal

from events.choices import AttendanceMode, EventStatus, OrganisationRole, PersonRole
from events.models import EventOrganisation, EventPerson, EventPrice
from tests.factories.events import EventPageFactory, in_days, session
from tests.factories.home import OrganisationFactory, PersonFactory

from .conftest import json_ld

SCHEMA = "https://schema.org/"


def test_a_cycle_carries_its_dates_place_people_offers_and_sessions(client, agenda):
    speaker = PersonFactory(first_name="Vincent", last_name="Cespedes", job_title="philosophe")
    witness = PersonFactory(first_name="Jean-Claude", last_name="Driant")
    pilot = OrganisationFactory(name="Valophis Habitat", website="https://www.valophis.fr/")
    event = EventPageFactory(
        parent=agenda,
        title="Revisiter la proximité",
        venue__name="Novotel Paris Bercy",
        registration_mode="external",
        registration_url="https://inscription.example.org/",
        registration_deadline=in_days(5),
        sessions=[session(10, title="Etat des lieux"), session(40, speakers=[speaker])],
        people=[EventPerson(person=witness, role=PersonRole.KEY_WITNESS)],
        organisations=[EventOrganisation(organisation=pilot, role=OrganisationRole.PILOT)],
        prices=[
            EventPrice(audience="Adhérent", amount=Decimal("500"), note="par personne"),
            EventPrice(audience="Étudiant", amount=None),
        ],
    )

    data = json_ld(client.get(event.url))

    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Event"
    assert data["name"] == "Revisiter la proximité"
    assert data["url"] == "http://localhost/agenda/" + event.slug + "/"
    assert data["startDate"].startswith(in_days(10).isoformat() + "T09:00:00+0")
    assert data["endDate"].startswith(in_days(40).isoformat() + "T12:00:00+0")
    assert data["eventStatus"] == SCHEMA + "EventScheduled"
    assert data["eventAttendanceMode"] == SCHEMA + "OfflineEventAttendanceMode"
    assert data["location"] == {
        "@type": "Place",
        "name": "Novotel Paris Bercy",
        "address": {
            "@type": "PostalAddress",
            "streetAddress": "85 rue de Bercy",
            "postalCode": "75012",
            "addressLocality": "Paris",
            "addressCountry": "FR",
        },
    }
    assert data["organizer"] == [
        {"@type": "Organization", "name": "Valophis Habitat", "url": "https://www.valophis.fr/"}
    ]
    assert {p["name"] for p in data["performer"]} == {"Vincent Cespedes", "Jean-Claude Driant"}
    assert data["offers"][0] == {
        "@type": "Offer",
        "name": "Adhérent",
        "price": "500.00",
        "priceCurrency": "EUR",
        "description": "par personne",
        "url": "https://inscription.example.org/",
        "availability": SCHEMA + "InStock",
        "validThrough": in_days(5).isoformat(),
    }
    assert data["offers"][1]["price"] == "0.00"
    names = [sub["name"] for sub in data["subEvent"]]
    assert names == ["Séance 1 - Etat des lieux", "Séance 2"]
    assert data["subEvent"][1]["performer"] == [
        {"@type": "Person", "name": "Vincent Cespedes", "jobTitle": "philosophe"}
    ]


def test_a_single_online_event_has_a_virtual_location_and_no_sub_events(client, agenda):
    event = EventPageFactory(
        parent=agenda, venue=None, attendance_mode=AttendanceMode.ONLINE, sessions=[session(3)]
    )

    data = json_ld(client.get(event.url))

    assert data["location"]["@type"] == "VirtualLocation"
    assert data["eventAttendanceMode"] == SCHEMA + "OnlineEventAttendanceMode"
    assert "subEvent" not in data
    assert data["organizer"] == [{"@type": "Organization", "name": "Club Management HLM"}]


def test_status_and_place_to_be_confirmed(client, agenda):
    event = EventPageFactory(
        parent=agenda, venue=None, venue_city="Paris", status=EventStatus.POSTPONED
    )

    data = json_ld(client.get(event.url))

    assert data["eventStatus"] == SCHEMA + "EventPostponed"
    assert data["location"] == {
        "@type": "Place",
        "name": "Paris (lieu à confirmer)",
        "address": {"@type": "PostalAddress", "addressCountry": "FR", "addressLocality": "Paris"},
    }


def test_the_data_cannot_close_its_script_and_nothing_inline_runs(client, agenda):
    event = EventPageFactory(parent=agenda, title="</script><script>alert(1)</script> & <!--")

    response = client.get(event.url)
    content = response.content.decode()

    assert json_ld(response)["name"] == "</script><script>alert(1)</script> & <!--"
    assert "<script>alert" not in content
    for tag in re.findall(r"<script\b[^>]*>", content):
        assert 'type="application/ld+json"' in tag or " src=" in tag, tag
    assert not re.search(r"\sstyle=", content)
