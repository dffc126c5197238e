"""A seat freed goes to the first person waiting as an offer, held for them a set time: they
accept (confirmed, the calendar mailed) or decline (the next person is offered it), and an offer
not taken in time passes to the next person. The links act on POST only."""

import datetime
import re

from django.core.management import call_command
from django.utils import timezone

import pytest

from contacts.models import OutboundEmail
from events import reminders, services
from events.dates import local_datetime, moment
from events.models import EventPage, Registration
from home.worker.schedule import JOBS
from tests.exports import rows_of
from tests.factories.events import EventPageFactory, in_days, session
from tests.factories.publications import LeadFactory

from .conftest import visible_text

OFFER = "events.seat_offered"
PROMOTION = "events.registration_promoted"


def details(name):
    return {
        "first_name": name.capitalize(),
        "last_name": "Dupont",
        "email": f"{name}@oph-exemple.fr",
        "organisation": "OPH de l'Exemple",
        "organisation_type": "oph",
        "job_title": "Directrice",
        "phone": "",
        "news_opt_in": False,
    }


def register(event, name, sessions=()):
    (registration,) = services.register(
        event,
        details=details(name),
        choice=services.Choice(is_member=True, price=None, sessions=tuple(sessions)),
        consent_text="oui",
    )
    return registration


def status_of(name):
    return Registration.objects.get(lead__email=f"{name}@oph-exemple.fr").status


def mails(kind, name=None):
    rows = OutboundEmail.objects.filter(kind=kind).order_by("pk")
    if name:
        rows = rows.filter(to=f"{name}@oph-exemple.fr")
    return list(rows)


def links(name):
    """The accept and decline links of the offer mailed to ``name`` (as paths)."""
    (offer,) = mails(OFFER, name)
    accept = re.search(r"https?://[^/\s]+(/inscriptions/place/\S+/accepter/)", offer.body)
    decline = re.search(r"https?://[^/\s]+(/inscriptions/place/\S+/refuser/)", offer.body)
    assert f'href="{accept.group(0)}"' in offer.html
    return accept.group(1), decline.group(1)


def expire(name):
    """As if the offer's time had passed: its expiry is put in the past."""
    Registration.objects.filter(lead__email=f"{name}@oph-exemple.fr").update(
        offer_expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )


@pytest.fixture
def event(agenda):
    """One seat, taken by Anne; Bruno then Carla wait."""
    event = EventPageFactory(
        parent=agenda,
        slug="atelier",
        title="Atelier proximité",
        registration_mode="site",
        capacity=1,
        sessions=[session(30)],
    )
    for name in ("anne", "bruno", "carla"):
        register(event, name)
    return event


def cancel_anne():
    services.cancel(Registration.objects.get(lead__email="anne@oph-exemple.fr").booking)


def test_a_cancellation_offers_the_seat_held_to_the_first_person_waiting(client, event):
    before = timezone.now()
    cancel_anne()

    bruno = Registration.objects.get(lead__email="bruno@oph-exemple.fr")
    assert bruno.status == "offered" and bruno.get_status_display() == "Place proposée"
    assert bruno.confirmed_at is None
    expected = before + datetime.timedelta(hours=48)
    assert expected <= bruno.offer_expires_at <= timezone.now() + datetime.timedelta(hours=48)
    assert status_of("carla") == "waiting"
    (offer,) = mails(OFFER)
    assert offer.to == "bruno@oph-exemple.fr"
    assert offer.subject == "Une place vous est proposée : Atelier proximité"
    assert "Nous vous la gardons jusqu'au" in offer.body
    assert not mails(PROMOTION)
    # The seat is held: the page counts it, and a newcomer waits.
    assert "Complet – liste d'attente" in visible_text(client.get(event.url))
    assert register(event, "dora").status == "waiting"


def test_accepting_confirms_the_seat_and_mails_the_calendar_once(client, event):
    cancel_anne()
    accept, _decline = links("bruno")

    asked = client.get(accept)
    assert "Accepter cette place" in visible_text(asked)
    assert status_of("bruno") == "offered"

    done = client.post(accept)
    again = client.post(accept)

    assert "votre inscription est confirmée" in visible_text(done)
    assert "Vous avez déjà accepté cette place" in visible_text(again)
    bruno = Registration.objects.get(lead__email="bruno@oph-exemple.fr")
    assert bruno.status == "confirmed" and bruno.confirmed_at is not None
    (confirmation,) = mails(PROMOTION)
    assert confirmation.to == "bruno@oph-exemple.fr"
    assert confirmation.subject == "Votre place est confirmée : Atelier proximité"
    assert [a["filename"] for a in confirmation.attachments] == ["atelier.ics"]
    assert "BEGIN:VEVENT" in confirmation.attachments[0]["content"]
    assert status_of("carla") == "waiting"


def test_declining_offers_the_seat_to_the_next_person(client, event):
    cancel_anne()
    accept, decline = links("bruno")

    assert "Refuser cette place" in visible_text(client.get(decline))
    done = client.post(decline)
    again = client.post(decline)

    assert "la place est proposée à la personne suivante" in visible_text(done)
    assert "rien n'a changé" in visible_text(again)
    accept_after = client.post(accept)  # changing their mind: the seat has gone on
    assert "déjà été refusée" in visible_text(accept_after)
    assert status_of("bruno") == "cancelled"
    assert status_of("carla") == "offered"
    assert [mail.to for mail in mails(OFFER)] == ["bruno@oph-exemple.fr", "carla@oph-exemple.fr"]


def test_an_offer_not_taken_in_time_passes_to_the_next_person_once(event):
    cancel_anne()
    expire("bruno")

    call_command("expire_offers", stdout=None)
    call_command("expire_offers", stdout=None)  # again: nothing more

    bruno = Registration.objects.get(lead__email="bruno@oph-exemple.fr")
    assert bruno.status == "cancelled" and bruno.status_label == "Offre expirée"
    assert status_of("carla") == "offered"
    assert [mail.to for mail in mails(OFFER)] == ["bruno@oph-exemple.fr", "carla@oph-exemple.fr"]
    assert Registration.objects.filter(status__in=["confirmed", "offered"]).count() == 1


def test_an_offer_still_in_time_is_left_alone_by_the_job(event):
    cancel_anne()

    assert services.expire_offers() == 0
    assert status_of("bruno") == "offered"


def test_the_job_is_on_the_worker_clock(settings):
    job = JOBS["expire_offers"]
    assert (job.command, job.every, job.exclusive) == (
        "expire_offers",
        "WORKER_OFFERS_SECONDS",
        True,
    )
    assert settings.WORKER_OFFERS_SECONDS == 300


def test_accepting_after_the_expiry_is_refused_in_french(client, event):
    cancel_anne()
    accept, _decline = links("bruno")
    expire("bruno")  # the clock has not run yet

    asked = client.get(accept)
    assert "Le délai pour accepter cette place est dépassé" in visible_text(asked)
    assert "<form" not in asked.content.decode().split("<main", 1)[-1]
    assert status_of("bruno") == "offered"  # a GET changes nothing

    refused = client.post(accept)

    text = visible_text(refused)
    assert "Le délai pour accepter cette place est dépassé" in text
    assert "inscrivez-vous à nouveau depuis la page de l'événement" in text
    assert status_of("bruno") == "cancelled"
    assert status_of("carla") == "offered"
    assert not mails(PROMOTION)
    # Expired for good: the job, run after, finds nothing more to do.
    assert services.expire_offers() == 0
    assert "Le délai pour accepter cette place est dépassé" in visible_text(client.post(accept))


def test_a_get_never_acts(client, event):
    cancel_anne()
    accept, decline = links("bruno")

    for url in (accept, decline, accept, decline):
        assert client.get(url).status_code == 200
        client.head(url)

    assert status_of("bruno") == "offered"
    assert not mails(PROMOTION)
    assert len(mails(OFFER)) == 1


@pytest.mark.parametrize(
    "tail",
    [
        "abc/accepter/",
        "{token}x/accepter/",
        "{token}/confirmer/",
        "%00%01/refuser/",
        "é" * 3000 + "/accepter/",
    ],
)
def test_an_altered_link_acts_on_nothing(client, event, tail):
    cancel_anne()
    accept, _decline = links("bruno")
    token = accept.split("/")[3]
    url = "/inscriptions/place/" + tail.format(token=token)

    response = client.post(url)

    assert response.status_code in (403, 404)
    if response.status_code == 403:
        assert "Ce lien n'est pas valable" in visible_text(response)
    assert status_of("bruno") == "offered"


def test_a_cancel_link_token_is_no_offer_token(client, event):
    cancel_anne()
    bruno = Registration.objects.get(lead__email="bruno@oph-exemple.fr")
    token = services.make_cancel_token(bruno.public_id)

    response = client.post(f"/inscriptions/place/{token}/accepter/")

    assert response.status_code == 403
    assert status_of("bruno") == "offered"


def test_the_offer_lasts_the_hours_the_editor_set(agenda):
    event = EventPageFactory(
        parent=agenda, registration_mode="site", capacity=1, offer_hours=6, sessions=[session()]
    )
    first = register(event, "anne")
    register(event, "bruno")

    services.cancel(first.booking)

    bruno = Registration.objects.get(lead__email="bruno@oph-exemple.fr")
    assert bruno.offer_expires_at - bruno.offered_at == datetime.timedelta(hours=6)
    field = EventPage._meta.get_field("offer_hours")
    assert field.default == 48 and "heures pour l'accepter" in field.help_text


def test_an_offer_never_lasts_past_the_start_of_the_seance(agenda):
    event = EventPageFactory(
        parent=agenda, registration_mode="site", capacity=1, sessions=[session(1, start=(9, 0))]
    )
    first = register(event, "anne")
    register(event, "bruno")

    services.cancel(first.booking)

    bruno = Registration.objects.get(lead__email="bruno@oph-exemple.fr")
    start = local_datetime(in_days(1), datetime.time(9, 0))
    assert bruno.offer_expires_at == start
    assert bruno.offer_expires_at - bruno.offered_at < datetime.timedelta(hours=48)


def test_no_seat_of_a_past_event_is_offered(agenda):
    event = EventPageFactory(
        parent=agenda, registration_mode="site", capacity=1, sessions=[session(-1)]
    )
    first = Registration.objects.create(event=event, status="confirmed", consent_text="oui")
    Registration.objects.create(
        event=event,
        lead=LeadFactory(email="bruno@oph-exemple.fr"),
        status="waiting",
        consent_text="oui",
    )

    services.cancel_by_staff(first.pk)

    assert status_of("bruno") == "waiting"
    assert not mails(OFFER)


def test_places_added_by_an_editor_are_offered_first_come_first_served(event):
    EventPage.objects.filter(pk=event.pk).update(capacity=3)
    event.refresh_from_db()

    offered = services.fill_from_waiting_list(event)

    assert [r.lead.first_name for r in offered] == ["Bruno", "Carla"]
    assert status_of("bruno") == status_of("carla") == "offered"
    assert status_of("anne") == "confirmed"
    assert services.fill_from_waiting_list(event) == []  # the seats are held


def test_cancelling_an_offer_offers_the_seat_to_the_next(event):
    cancel_anne()
    bruno = Registration.objects.get(lead__email="bruno@oph-exemple.fr")

    services.cancel_by_staff(bruno.pk)

    assert status_of("bruno") == "cancelled"
    assert status_of("carla") == "offered"


def test_per_session_offers_hold_each_session_s_seat(agenda):
    event = EventPageFactory(
        parent=agenda,
        registration_mode="site",
        registration_scope="session",
        sessions=[session(10, capacity=1), session(20, capacity=1)],
    )
    first, second = event.sessions.order_by("sort_order")
    anne = services.register(
        event,
        details=details("anne"),
        choice=services.Choice(is_member=True, price=None, sessions=(first, second)),
        consent_text="oui",
    )
    register(event, "bruno", sessions=(first,))
    register(event, "carla", sessions=(second,))

    services.cancel_by_staff(anne[0].pk)  # Anne's first session only

    assert Registration.objects.get(lead__email="bruno@oph-exemple.fr").status == "offered"
    assert Registration.objects.get(lead__email="carla@oph-exemple.fr").status == "waiting"


def test_an_offered_person_gets_no_reminder(agenda):
    event = EventPageFactory(
        parent=agenda, registration_mode="site", capacity=1, sessions=[session(1)]
    )
    first = register(event, "anne")
    register(event, "bruno")
    services.cancel(first.booking)

    reminders.send_due()

    assert not OutboundEmail.objects.filter(
        kind="events.session_reminder", to="bruno@oph-exemple.fr"
    ).exists()


def test_staff_see_pending_offers_filter_them_and_export_them(admin_client, event):
    cancel_anne()
    expire("carla")  # not offered: the expiry shown is only an offer's

    listing = visible_text(admin_client.get("/admin/inscriptions/"))
    offered = visible_text(admin_client.get("/admin/inscriptions/?status=offered"))
    rows = rows_of(admin_client.get("/admin/inscriptions/?export=csv"), "csv")

    assert "Place proposée" in listing and "Offre valable jusqu'au" in listing
    bruno = Registration.objects.get(lead__email="bruno@oph-exemple.fr")
    assert moment(bruno.offer_expires_at).replace("\u00a0", " ") in listing
    assert "bruno@oph-exemple.fr" in offered
    assert "carla@oph-exemple.fr" not in offered and "anne@oph-exemple.fr" not in offered
    headings = rows[0]
    status = headings.index("Statut")
    expires = headings.index("Offre valable jusqu'au")
    by_status = {row[status]: row for row in rows[1:]}
    assert set(by_status) == {"Place proposée", "Liste d'attente", "Annulée"}
    assert by_status["Place proposée"][expires]


def test_the_job_s_queries_do_not_grow_with_the_people_waiting(
    agenda, django_assert_max_num_queries
):
    def expired_offers(count, slug):
        event = EventPageFactory(
            parent=agenda, slug=slug, registration_mode="site", capacity=count, sessions=[session()]
        )
        firsts = [register(event, f"{slug}{number}") for number in range(count)]
        for number in range(count, 3 * count):
            register(event, f"{slug}{number}")
        for registration in firsts:
            services.cancel(registration.booking)
        Registration.objects.filter(event=event, status="offered").update(
            offer_expires_at=timezone.now() - datetime.timedelta(minutes=1)
        )

    assert services.expire_offers() == 0
    with django_assert_max_num_queries(1):
        services.expire_offers()  # nothing due: one query

    expired_offers(10, "grand")
    # Per event a handful of queries; per new offer its count, update, history entry and mail
    # (101 measured).
    with django_assert_max_num_queries(5 + 10 * 10):
        assert services.expire_offers() == 10
    assert Registration.objects.filter(status="offered").count() == 10


def test_the_offer_page_reads_in_a_few_queries(client, event, django_assert_max_num_queries):
    cancel_anne()
    accept, decline = links("bruno")
    client.get(accept)  # warm the caches as a running server has them

    for url in (accept, decline):
        with django_assert_max_num_queries(10):  # 5 measured: the public pages' budget
            assert client.get(url).status_code == 200


def test_the_listing_of_many_offers_does_not_grow(
    admin_client, agenda, django_assert_max_num_queries
):
    event = EventPageFactory(parent=agenda, registration_mode="site", capacity=30)
    firsts = [register(event, f"p{number}") for number in range(30)]
    for number in range(30, 60):
        register(event, f"p{number}")
    for registration in firsts:
        services.cancel(registration.booking)
    assert Registration.objects.filter(status="offered").count() == 30
    admin_client.get("/admin/inscriptions/")

    with django_assert_max_num_queries(15):  # 9 measured, whatever the number of offers
        listing = admin_client.get("/admin/inscriptions/?status=offered")

    assert visible_text(listing).count("Place proposée") >= 30
