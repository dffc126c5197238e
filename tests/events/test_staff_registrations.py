"""Staff run registrations from the admin: a phone booking with the public form's checks, a
change of séance or price, a move between séances, a confirmation from the waiting list, a
cancellation with or without a mail; each recorded in the registration's history, shown in
French; none of it for a user without the rights."""

import csv
import datetime
import io

from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.utils import timezone

import pytest

from contacts.models import OutboundEmail
from events import history, services, staff
from events.choices import PriceAudience
from events.models import EventPrice, Registration
from tests.factories.events import EventPageFactory, session
from tests.factories.publications import LeadFactory

from .conftest import visible_text

PASSWORD = "un mot de passe assez long"
ADD_URL = "/admin/inscriptions/ajouter/"
BOOKING = {
    "email": "marie.dupont@oph-exemple.fr",
    "first_name": "Marie",
    "last_name": "Dupont",
    "organisation": "OPH Exemple",
    "organisation_type": "oph",
    "job_title": "Directrice",
    "note": "par téléphone",
    "notify": "oui",
}


def prices():
    return [
        EventPrice(audience="Adhérent", amount=500, offered_to=PriceAudience.MEMBERS),
        EventPrice(audience="Non-Adhérent", amount=1500, offered_to=PriceAudience.NON_MEMBERS),
    ]


@pytest.fixture
def cycle(agenda):
    """A cycle registered per séance, two seats a séance, a waiting list."""
    return EventPageFactory(
        parent=agenda,
        slug="cycle",
        title="Le cycle",
        registration_mode="site",
        registration_scope="session",
        capacity=2,
        waiting_list=True,
        sessions=[session(10), session(20)],
        prices=prices(),
    )


@pytest.fixture
def day(agenda):
    """A one-day event, one seat, no waiting list."""
    return EventPageFactory(
        parent=agenda,
        slug="journee",
        title="La journée",
        registration_mode="site",
        capacity=1,
        waiting_list=False,
    )


@pytest.fixture
def manager(django_user_model):
    user = django_user_model.objects.create_user("gestionnaire", password=PASSWORD)
    user.groups.add(Group.objects.get(name="Gestionnaires de leads"))
    return user


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


@pytest.fixture
def reader_client(django_user_model):
    """Someone who may see registrations, not change them."""
    user = django_user_model.objects.create_user("lecteur", password=PASSWORD)
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_registration"),
    )
    client = Client()
    client.force_login(user)
    return client


def book(event, name, sessions=()):
    (registration, *_) = services.register(
        event,
        details={
            "email": f"{name}@oph-exemple.fr",
            "first_name": name.title(),
            "last_name": "Test",
            "organisation": "OPH",
            "organisation_type": "oph",
            "job_title": "Chargée",
        },
        choice=services.Choice(is_member=False, price=None, sessions=tuple(sessions)),
        consent_text="oui",
    )
    return registration


def mails(kind, email):
    return list(OutboundEmail.objects.filter(kind=kind, to=email))


def actions(registration):
    return [entry.action.removeprefix(history.PREFIX) for entry in history.entries(registration)]


# --- A phone booking --------------------------------------------------------------------------


def test_a_phone_booking_takes_a_seat_with_the_price_and_mails_the_person(manager_client, cycle):
    first, second = cycle.sessions.order_by("sort_order")
    non_member = cycle.prices.get(audience="Non-Adhérent")

    response = manager_client.post(
        f"{ADD_URL}?event={cycle.pk}",
        {**BOOKING, "sessions": [second.pk], "price": non_member.pk},
    )

    assert response.status_code == 302
    registration = Registration.objects.get(lead__email=BOOKING["email"])
    assert registration.status == "confirmed" and registration.session == second
    assert registration.price == non_member and registration.lead.last_name == "Dupont"
    assert len(mails("events.registration", BOOKING["email"])) == 1
    (entry,) = history.entries(registration)
    assert entry.action == history.Action.ADDED_BY_STAFF and entry.user.username == "gestionnaire"
    assert entry.data["note"] == "par téléphone" and entry.data["notified"] is True
    listing = manager_client.get(response["Location"])
    assert "Marie Dupont" in visible_text(listing)


def test_a_phone_booking_may_mail_nobody_and_finds_a_known_person_by_e_mail(manager_client, cycle):
    LeadFactory(email="connu@oph-exemple.fr", first_name="Connue", last_name="Déjà")
    first = cycle.sessions.order_by("sort_order").first()

    response = manager_client.post(
        f"{ADD_URL}?event={cycle.pk}",
        {
            "email": "Connu@OPH-exemple.fr",
            "sessions": [first.pk],
            "price": cycle.prices.get(audience="Non-Adhérent").pk,
            "notify": "non",
        },
    )

    assert response.status_code == 302
    registration = Registration.objects.get(lead__email="connu@oph-exemple.fr")
    assert registration.lead.first_name == "Connue"
    assert not OutboundEmail.objects.filter(kind="events.registration").exists()
    assert history.entries(registration).get().data["notified"] is False


def test_staff_may_book_after_the_closing_date(manager_client, day):
    day.registration_deadline = timezone.localdate() - datetime.timedelta(days=1)
    day.save()

    response = manager_client.post(f"{ADD_URL}?event={day.pk}", BOOKING)

    assert response.status_code == 302
    assert Registration.objects.get().status == "confirmed"


def refused(response, message):
    assert response.status_code == 200
    assert message in visible_text(response)
    assert not Registration.objects.filter(lead__email=BOOKING["email"]).exists()


def test_a_full_event_without_waiting_list_refuses_a_phone_booking(manager_client, day):
    book(day, "premiere")

    response = manager_client.post(f"{ADD_URL}?event={day.pk}", BOOKING)

    refused(response, services.FULL_NO_WAITING_LIST)


def test_a_full_seance_with_a_waiting_list_puts_the_person_on_it(manager_client, cycle):
    first = cycle.sessions.order_by("sort_order").first()
    book(cycle, "anne", [first])
    book(cycle, "bruno", [first])

    manager_client.post(
        f"{ADD_URL}?event={cycle.pk}",
        {**BOOKING, "sessions": [first.pk], "price": cycle.prices.get(offered_to="non_members").pk},
    )

    assert Registration.objects.get(lead__email=BOOKING["email"]).status == "waiting"


def test_the_public_form_s_price_and_seance_checks_refuse(manager_client, cycle, agenda):
    first = cycle.sessions.order_by("sort_order").first()
    other = EventPageFactory(parent=agenda, slug="autre", registration_mode="site", prices=prices())
    other_price = other.prices.first()
    other_session = other.sessions.first()
    member_price = cycle.prices.get(audience="Adhérent")
    url = f"{ADD_URL}?event={cycle.pk}"

    refused(
        manager_client.post(url, {**BOOKING, "sessions": [first.pk], "price": member_price.pk}),
        "Ce tarif ne s'applique pas à cette personne.",
    )
    refused(
        manager_client.post(url, {**BOOKING, "sessions": [first.pk], "price": other_price.pk}),
        "Choisissez un des tarifs de cet événement.",
    )
    refused(
        manager_client.post(
            url, {**BOOKING, "sessions": [other_session.pk], "price": member_price.pk}
        ),
        "Choisissez une des séances de cet événement.",
    )


def test_the_cap_per_organisation_holds_for_staff(manager_client, day):
    day.capacity = 5
    day.seats_per_organisation = 1
    day.save()
    book(day, "collegue")

    response = manager_client.post(f"{ADD_URL}?event={day.pk}", BOOKING)

    refused(response, "la limite est de 1 place par organisme")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("first_name", "Ma\x00rie", "caractère"),
        ("last_name", "Du\x07pont", "caractère"),
        ("note", "par\x1btéléphone", "caractère"),
        ("note", "x" * 10_000, "500 caractères"),
        ("organisation", "O" * 10_000, "200 caractères"),
    ],
)
def test_hostile_details_and_notes_are_refused_and_store_nothing(
    manager_client, day, field, value, message
):
    response = manager_client.post(f"{ADD_URL}?event={day.pk}", {**BOOKING, field: value})

    refused(response, message)


def test_odd_unicode_in_a_new_person_s_details_is_kept(manager_client, day):
    response = manager_client.post(
        f"{ADD_URL}?event={day.pk}", {**BOOKING, "last_name": "Đặng 🏠 Ñúñez", "note": "☎ « 17 h »"}
    )

    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.lead.last_name == "Đặng 🏠 Ñúñez"
    assert history.entries(registration).get().data["note"] == "☎ « 17 h »"


# --- Changing, moving, confirming, cancelling ---------------------------------------------------


def test_moving_a_person_frees_their_seat_for_the_first_person_waiting(manager_client, cycle):
    first, second = cycle.sessions.order_by("sort_order")
    anne = book(cycle, "anne", [first])
    book(cycle, "bruno", [first])
    carla = book(cycle, "carla", [first])
    assert carla.status == "waiting"

    response = manager_client.post(
        f"/admin/inscriptions/modifier/{anne.pk}/",
        {"session": second.pk, "price": "", "note": "à sa demande"},
    )

    assert response.status_code == 302
    anne.refresh_from_db()
    carla.refresh_from_db()
    assert anne.session == second and anne.status == "confirmed"
    assert carla.status == "offered"
    assert len(mails("events.seat_offered", "carla@oph-exemple.fr")) == 1
    assert actions(anne) == ["registered", "seat_changed"]


def test_a_move_to_a_full_seance_is_refused_or_waits_when_staff_choose(manager_client, cycle):
    first, second = cycle.sessions.order_by("sort_order")
    book(cycle, "anne", [second])
    book(cycle, "bruno", [second])
    carla = book(cycle, "carla", [first])
    url = f"/admin/inscriptions/modifier/{carla.pk}/"

    response = manager_client.post(url, {"session": second.pk})

    assert staff.NO_SEAT_LEFT in visible_text(response)
    carla.refresh_from_db()
    assert carla.session == first and carla.status == "confirmed"

    manager_client.post(url, {"session": second.pk, "may_wait": "on"})

    carla.refresh_from_db()
    assert carla.session == second and carla.status == "waiting"


def test_a_move_to_another_event_s_seance_is_refused(cycle, agenda, manager):
    first = cycle.sessions.order_by("sort_order").first()
    other = EventPageFactory(parent=agenda, slug="autre", registration_mode="site")
    anne = book(cycle, "anne", [first])

    with pytest.raises(services.RegistrationRefused):
        staff.change(anne.pk, user=manager, session=other.sessions.first())

    anne.refresh_from_db()
    assert anne.session == first


def test_the_price_changes_among_the_event_s_prices(manager_client, day, agenda):
    day.prices.add(*prices())
    day.save()
    anne = book(day, "anne")
    member_price = day.prices.get(audience="Adhérent")
    url = f"/admin/inscriptions/modifier/{anne.pk}/"

    response = manager_client.post(url, {"price": member_price.pk})

    assert response.status_code == 302
    anne.refresh_from_db()
    assert anne.price == member_price and anne.price_label == str(member_price)
    entry = history.entries(anne).last()
    assert entry.action == history.Action.PRICE_CHANGED
    other = EventPageFactory(parent=agenda, slug="autre", registration_mode="site", prices=prices())
    response = manager_client.post(url, {"price": other.prices.first().pk})
    assert "Choisissez un des tarifs de cet événement." in visible_text(response)


def test_confirming_someone_waiting_needs_a_free_seat_unless_staff_go_over(manager_client, day):
    day.waiting_list = True
    day.save()
    book(day, "anne")
    bruno = book(day, "bruno")
    url = f"/admin/inscriptions/confirmer/{bruno.pk}/"

    response = manager_client.post(url, {"notify": "oui"})

    assert "Il n'y a plus de place" in visible_text(response)
    bruno.refresh_from_db()
    assert bruno.status == "waiting"

    manager_client.post(url, {"notify": "oui", "over_capacity": "on"})

    bruno.refresh_from_db()
    assert bruno.status == "confirmed"
    assert len(mails("events.registration_promoted", "bruno@oph-exemple.fr")) == 1
    entry = history.entries(bruno).last()
    assert entry.action == history.Action.PROMOTED and "capacité" in entry.data["note"]


def test_confirming_into_a_free_seat(manager, day):
    day.waiting_list = True
    day.save()
    book(day, "anne")
    bruno = book(day, "bruno")
    day.capacity = 2
    day.save()

    staff.promote(bruno.pk, user=manager, notify=False)

    bruno.refresh_from_db()
    assert bruno.status == "confirmed"
    assert not mails("events.registration_promoted", "bruno@oph-exemple.fr")


@pytest.mark.parametrize(("notify", "mailed"), [("oui", 1), ("non", 0), (None, 1)])
def test_cancelling_mails_the_person_or_not(manager_client, day, notify, mailed):
    anne = book(day, "anne")
    data = {} if notify is None else {"notify": notify}

    manager_client.post(f"/admin/inscriptions/annuler/{anne.pk}/", data)

    anne.refresh_from_db()
    assert anne.status == "cancelled"
    assert len(mails("events.registration_cancelled_by_staff", "anne@oph-exemple.fr")) == mailed
    entry = history.entries(anne).last()
    assert entry.action == history.Action.CANCELLED and entry.user.username == "gestionnaire"
    assert entry.data["notified"] is bool(mailed)


# --- Rights, CSRF -----------------------------------------------------------------------------


def test_without_change_rights_every_action_is_refused_and_no_button_shows(reader_client, cycle):
    anne = book(cycle, "anne", [cycle.sessions.first()])
    urls = [
        ADD_URL,
        f"{ADD_URL}?event={cycle.pk}",
        f"/admin/inscriptions/modifier/{anne.pk}/",
        f"/admin/inscriptions/confirmer/{anne.pk}/",
        f"/admin/inscriptions/annuler/{anne.pk}/",
    ]
    # Refused as Wagtail refuses: back to the dashboard with its message, nothing done.
    refused = (302, "/admin/")
    for url in urls:
        response = reader_client.get(url)
        assert (response.status_code, response["Location"]) == refused, url
        response = reader_client.post(url, {**BOOKING, "notify": "non"})
        assert (response.status_code, response["Location"]) == refused, url
    anne.refresh_from_db()
    assert anne.status == "confirmed" and Registration.objects.count() == 1

    listing = visible_text(reader_client.get("/admin/inscriptions/"))
    assert "Anne Test" in listing
    assert "Ajouter une inscription" not in listing
    assert "Modifier" not in listing and "Annuler…" not in listing
    assert reader_client.get(f"/admin/inscriptions/history/{anne.pk}/").status_code == 200


def test_lead_managers_see_the_buttons(manager_client, cycle):
    book(cycle, "anne", [cycle.sessions.first()])

    listing = visible_text(manager_client.get("/admin/inscriptions/", {"event": cycle.pk}))

    for label in ("Ajouter une inscription", "Modifier", "Annuler…", "Historique"):
        assert label in listing


def test_the_forms_need_the_csrf_token(manager, day):
    client = Client(enforce_csrf_checks=True)
    client.force_login(manager)
    anne = book(day, "anne")

    assert client.post(f"{ADD_URL}?event={day.pk}", BOOKING).status_code == 403
    assert client.post(f"/admin/inscriptions/annuler/{anne.pk}/").status_code == 403
    assert client.post(f"/admin/inscriptions/confirmer/{anne.pk}/").status_code == 403
    anne.refresh_from_db()
    assert anne.status == "confirmed"


# --- History, pages' queries, export ------------------------------------------------------------


def test_the_history_page_says_who_did_what_in_french(manager_client, cycle):
    first, second = cycle.sessions.order_by("sort_order")
    anne = book(cycle, "anne", [first])
    manager_client.post(f"/admin/inscriptions/modifier/{anne.pk}/", {"session": second.pk})
    manager_client.post(f"/admin/inscriptions/annuler/{anne.pk}/", {"notify": "non"})

    text = visible_text(manager_client.get(f"/admin/inscriptions/history/{anne.pk}/"))

    assert "Inscription – par la personne, depuis le lien de son e-mail" in text
    assert f"Séances changées – Séance : {first}" in text
    assert "Annulation – sans e-mail" in text
    assert "gestionnaire" in text and "Anne Test" in text

    services.anonymise_registrations(anne.lead)
    text = visible_text(manager_client.get(f"/admin/inscriptions/history/{anne.pk}/"))
    assert "(données effacées)" in text and "Anne" not in text


def test_the_new_pages_make_a_fixed_number_of_queries(
    manager_client, cycle, django_assert_max_num_queries
):
    first = cycle.sessions.order_by("sort_order").first()
    cycle.capacity = 100
    cycle.save()
    anne = book(cycle, "anne", [first])
    for number in range(3):
        services.cancel_by_staff(book(cycle, f"p{number}", [first]).pk)
    pages = [
        f"{ADD_URL}?event={cycle.pk}",
        f"/admin/inscriptions/modifier/{anne.pk}/",
        f"/admin/inscriptions/confirmer/{anne.pk}/",
        f"/admin/inscriptions/annuler/{anne.pk}/",
        f"/admin/inscriptions/history/{anne.pk}/",
        f"/admin/inscriptions/?event={cycle.pk}",
    ]
    budgets = {}
    for url in pages:
        with django_assert_max_num_queries(40) as captured:
            assert manager_client.get(url).status_code == 200
        budgets[url] = len(captured)
    for number in range(12):
        services.cancel_by_staff(book(cycle, f"q{number}", [first]).pk)
    for url in pages:
        with django_assert_max_num_queries(budgets[url]):
            manager_client.get(url)


def export(client, event):
    response = client.get("/admin/inscriptions/", {"event": event.pk, "export": "csv"})
    content = b"".join(response.streaming_content).decode().lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(content), delimiter=";"))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_the_export_derives_dates_from_the_history(manager_client, day):
    day.waiting_list = True
    day.save()
    anne = book(day, "anne")
    book(day, "bruno")
    services.cancel_by_staff(anne.pk)  # bruno is offered the seat
    # A row older than its columns: the history still knows when it was cancelled.
    Registration.objects.filter(pk=anne.pk).update(cancelled_at=None)

    rows = {row["Prénom"]: row for row in export(manager_client, day)}

    today = timezone.localtime().strftime("%d/%m/%Y")
    assert rows["Anne"]["Annulée le"].startswith(today)
    assert rows["Anne"]["Modifiée le"].startswith(today)
    assert rows["Bruno"]["Place proposée le"].startswith(today)
    assert rows["Bruno"]["Annulée le"] == "" and rows["Bruno"]["Statut"] == "Place proposée"


def test_the_export_s_queries_do_not_grow_with_its_rows(
    manager_client, day, django_assert_max_num_queries
):
    day.capacity = 100
    day.save()
    services.cancel_by_staff(book(day, "anne").pk)
    with django_assert_max_num_queries(40) as captured:
        assert len(export(manager_client, day)) == 1
    for number in range(15):
        services.cancel_by_staff(book(day, f"p{number}").pk)

    with django_assert_max_num_queries(len(captured)):
        assert len(export(manager_client, day)) == 16
