"""Several people in one booking: a booker registers colleagues of their organisation in the
same form; each person gets their own registration, lead, booking, mail, calendar and cancel
link; seats count per person; an optional cap of seats per organisation."""

from django.core import mail
from django.test import Client

import icalendar
import pytest

from contacts.models import Lead, Organisation, OrganisationDomain
from events import services
from events.forms import OTHER_ORGANISATION, PUBLIC_ADDRESS, SAME_AS_BOOKER, TWICE
from events.models import EventPage, Registration
from tests.factories.events import EventPageFactory, in_days, session

from .conftest import visible_text
from .test_registration import CONTACT, cancel_link

BOOKER = {**CONTACT, "email": "marie.dupont@habitat-exemple.fr", "organisation": "Habitat Exemple"}
PAUL = ("Paul", "Martin", "paul.martin@habitat-exemple.fr", "Responsable de secteur")
LEA = ("Léa", "Bernard", "lea.bernard@idf.habitat-exemple.fr", "Chargée de mission")


def rows(*colleagues, total=None):
    """The colleagues' rows of the form, as a browser posts them (empty rows included)."""
    total = 4 if total is None else total
    data = {
        "collegues-TOTAL_FORMS": str(total),
        "collegues-INITIAL_FORMS": "0",
        "collegues-MIN_NUM_FORMS": "0",
        "collegues-MAX_NUM_FORMS": "4",
    }
    for index in range(total):
        values = colleagues[index] if index < len(colleagues) else ("", "", "", "")
        for name, value in zip(
            ("first_name", "last_name", "email", "job_title"), values, strict=True
        ):
            data[f"collegues-{index}-{name}"] = value
    return data


@pytest.fixture
def event(agenda):
    return EventPageFactory(
        parent=agenda,
        slug="atelier",
        title="Atelier de la proximité",
        registration_mode="site",
        capacity=10,
        sessions=[session(40)],
    )


@pytest.fixture
def book(client, django_capture_on_commit_callbacks):
    """Posts the form for the booker and ``colleagues``, running what waits for the commit."""

    def post(event, *colleagues, total=None, **changes):
        url = event.url + "inscription/"
        form = client.get(url).context["form"]
        data = {
            **BOOKER,
            "started": form["started"].value(),
            "is_member": "non",
            **rows(*colleagues, total=total),
            **changes,
        }
        data = {key: value for key, value in data.items() if value is not None}
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data)

    return post


def register_org(name, *domains):
    organisation = Organisation.objects.create(name=name, organisation_type="esh")
    for domain in domains:
        OrganisationDomain.objects.create(organisation=organisation, domain=domain)
    return organisation


def test_the_form_shows_collapsed_colleague_rows_labelled_for_a_screen_reader(client, event):
    content = client.get(event.url + "inscription/").content.decode()

    assert "<summary" in content and "Inscrire aussi des collègues" in content
    assert "<details" in content and '<details class="colleagues mb-3" open' not in content
    assert content.count('<legend class="h6') == 4  # max_colleagues: 4 by default
    for index in range(4):
        assert f'for="id_collegues-{index}-email"' in content


def test_an_event_without_colleagues_has_no_colleague_section(client, event):
    event.max_colleagues = 0
    event.save()

    assert (
        "Inscrire aussi des collègues"
        not in client.get(event.url + "inscription/").content.decode()
    )


def test_a_booking_for_three_makes_three_people_each_with_their_own_mail(client, event, book):
    response = book(event, PAUL, LEA)

    assert response.status_code == 302
    registrations = list(Registration.objects.select_related("lead").order_by("pk"))
    assert [r.lead.email for r in registrations] == [
        "marie.dupont@habitat-exemple.fr",
        "paul.martin@habitat-exemple.fr",
        "lea.bernard@idf.habitat-exemple.fr",
    ]
    assert len({r.booking for r in registrations}) == 3
    assert all(r.status == "confirmed" for r in registrations)
    assert Lead.objects.count() == 3
    paul = Lead.objects.get(email="paul.martin@habitat-exemple.fr")
    assert (paul.first_name, paul.job_title) == ("Paul", "Responsable de secteur")
    assert (paul.organisation, paul.organisation_type) == ("Habitat Exemple", "oph")
    assert registrations[1].accessibility_needs == ""  # the booker's needs stay the booker's

    thanks = visible_text(client.get(response["Location"]))
    assert "Paul Martin" in thanks and "Léa Bernard" in thanks
    assert "paul.martin@habitat-exemple.fr" in thanks

    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        r.lead.email for r in registrations
    )
    links = set()
    for message in mail.outbox:
        ((filename, content, _mimetype),) = message.attachments
        assert filename == "atelier.ics"
        assert len(icalendar.Calendar.from_ical(content).walk("VEVENT")) == 1
        links.add(cancel_link(message))
    assert len(links) == 3
    to_paul = next(m for m in mail.outbox if m.to == ["paul.martin@habitat-exemple.fr"])
    assert "Bonjour Paul" in to_paul.body
    assert "Marie Dupont a fait votre inscription" in to_paul.body


def test_cancelling_one_colleague_leaves_the_others(event, book):
    book(event, PAUL, LEA)
    to_paul = next(m for m in mail.outbox if m.to == ["paul.martin@habitat-exemple.fr"])

    Client().post(cancel_link(to_paul))

    statuses = dict(Registration.objects.values_list("lead__email", "status"))
    assert statuses == {
        "marie.dupont@habitat-exemple.fr": "confirmed",
        "paul.martin@habitat-exemple.fr": "cancelled",
        "lea.bernard@idf.habitat-exemple.fr": "confirmed",
    }


def test_a_double_submission_takes_no_second_seat_for_anyone(event, book):
    first = book(event, PAUL, LEA)
    again = book(event, PAUL, LEA)

    assert again.status_code == 302
    assert Registration.objects.count() == 3 and Lead.objects.count() == 3
    assert len(mail.outbox) == 3
    assert "Paul Martin" in visible_text(Client().get(first["Location"]))


def test_a_colleague_at_another_domain_of_the_same_organisation_in_the_register(event, book):
    register_org("Habitat Exemple", "habitat-exemple.fr", "hexemple.org")

    response = book(event, ("Jean", "Petit", "jean.petit@hexemple.org", "Gardien"))

    assert response.status_code == 302
    registration = Registration.objects.get(lead__email="jean.petit@hexemple.org")
    assert registration.organisation.name == "Habitat Exemple"


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("paul.martin@gmail.com", PUBLIC_ADDRESS.format(domain="gmail.com")),
        ("paul.martin@orange.fr", PUBLIC_ADDRESS.format(domain="orange.fr")),
        ("paul@autre-bailleur.fr", OTHER_ORGANISATION.format(domain="habitat-exemple.fr")),
        (
            "paul@habitat-exemple.fr.evil.com",
            OTHER_ORGANISATION.format(domain="habitat-exemple.fr"),
        ),
        ("MARIE.DUPONT@habitat-exemple.fr", SAME_AS_BOOKER),
        ("pas-une-adresse", "Saisissez une adresse e-mail valide"),
        ("paul\x00@habitat-exemple.fr", "Saisissez une adresse e-mail valide"),
    ],
)
def test_a_colleague_s_address_is_checked_and_nothing_is_stored(event, book, email, message):
    response = book(event, ("Paul", "Martin", email, "Gardien"))

    assert response.status_code == 200
    text = visible_text(response)
    assert message in text
    assert "Les lignes « Collègue » contiennent des erreurs" in text
    assert '<details class="colleagues mb-3" open' in response.content.decode()
    assert not Registration.objects.exists() and not Lead.objects.exists()


def test_the_same_colleague_twice_is_refused(event, book):
    response = book(event, PAUL, PAUL)

    assert TWICE in visible_text(response)
    assert not Registration.objects.exists()


def test_a_booker_at_a_public_provider_cannot_bring_colleagues(event, book):
    response = book(event, ("Paul", "Martin", "paul@gmail.com", "Gardien"), email="marie@gmail.com")

    assert "indiquez plus haut votre adresse professionnelle" in visible_text(response)
    assert not Registration.objects.exists()


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (("Pa\x01ul", "Martin", PAUL[2], "Gardien"), "caractères de contrôle"),
        (("P" * 5000, "Martin", PAUL[2], "Gardien"), "100 caractères"),
        (("Paul", "", PAUL[2], "Gardien"), "Ce champ est obligatoire."),
        (("Paul", "Martin", "x" * 300 + "@habitat-exemple.fr", "Gardien"), "254 caractères"),
    ],
)
def test_hostile_colleague_input_gets_a_french_error(event, book, values, message):
    response = book(event, values)

    assert response.status_code == 200
    assert message in visible_text(response)
    assert not Registration.objects.exists()


def test_odd_unicode_names_are_stored_and_shown(client, event, book):
    response = book(event, ("Zoë 🏠", "N’Diaye‐Ärger", PAUL[2], "Chargé·e d’opérations"))

    assert response.status_code == 302
    assert "Zoë 🏠 N’Diaye‐Ärger" in visible_text(client.get(response["Location"]))


@pytest.mark.parametrize(
    ("management", "message"),
    [
        ({"collegues-TOTAL_FORMS": "1000000"}, "Vous pouvez inscrire au plus 4 collègues"),
        ({"collegues-TOTAL_FORMS": "6"}, "Vous pouvez inscrire au plus 4 collègues"),
        ({"collegues-TOTAL_FORMS": "abc"}, "Les lignes « Collègue » du formulaire sont"),
        ({"collegues-TOTAL_FORMS": "\x00"}, "Les lignes « Collègue » du formulaire sont"),
    ],
)
def test_a_tampered_row_count_gets_a_french_error_and_stores_nothing(
    event, book, management, message
):
    response = book(event, PAUL, **management)

    assert response.status_code == 200
    assert message in visible_text(response)
    assert not Registration.objects.exists()


def test_a_post_without_the_colleague_rows_registers_the_booker_alone(client, event):
    url = event.url + "inscription/"
    form = client.get(url).context["form"]
    data = {**BOOKER, "started": form["started"].value(), "is_member": "non"}

    assert client.post(url, data).status_code == 302
    assert Registration.objects.count() == 1


# --- Seats per person ----------------------------------------------------------------------------


def test_exactly_enough_seats_confirms_everyone(event, book):
    event.capacity = 3
    event.waiting_list = False
    event.save()

    assert book(event, PAUL, LEA).status_code == 302
    assert Registration.objects.confirmed().count() == 3


def test_one_seat_short_without_a_waiting_list_refuses_the_whole_booking(event, book):
    event.capacity = 2
    event.waiting_list = False
    event.save()

    response = book(event, PAUL, LEA)

    assert response.status_code == 200
    assert (
        "Il ne reste que 2 places et cette inscription en demande 3 : inscrivez au plus 2 "
        "personnes." in visible_text(response)
    )
    assert not Registration.objects.exists() and not Lead.objects.exists()
    assert not mail.outbox


def test_one_seat_short_with_a_waiting_list_puts_the_last_colleague_on_it(client, event, book):
    event.capacity = 2
    event.save()

    response = book(event, PAUL, LEA)

    statuses = list(Registration.objects.order_by("pk").values_list("lead__email", "status"))
    assert statuses == [
        ("marie.dupont@habitat-exemple.fr", "confirmed"),
        ("paul.martin@habitat-exemple.fr", "confirmed"),
        ("lea.bernard@idf.habitat-exemple.fr", "waiting"),
    ]
    to_lea = next(m for m in mail.outbox if m.to == ["lea.bernard@idf.habitat-exemple.fr"])
    assert to_lea.subject == "Liste d'attente : Atelier de la proximité"
    assert not to_lea.attachments
    assert "Léa Bernard (lea.bernard@idf.habitat-exemple.fr) : sur la liste d'attente" in (
        visible_text(client.get(response["Location"]))
    )


def test_per_session_seats_count_per_person(agenda, book):
    event = EventPageFactory(
        parent=agenda,
        slug="cycle-seances",
        registration_mode="site",
        registration_scope="session",
        waiting_list=False,
        sessions=[session(10, capacity=1, title="Diagnostic"), session(20, capacity=5)],
    )
    first, second = event.sessions.order_by("sort_order")

    refused = book(event, PAUL, sessions=[first.pk, second.pk])
    accepted = book(event, PAUL, sessions=[second.pk])

    assert "pour la séance" in visible_text(refused)
    assert accepted.status_code == 302
    assert Registration.objects.filter(session=second).count() == 2


# --- The cap of seats per organisation -----------------------------------------------------------


def capped(event, seats=2, until_days=None):
    event.seats_per_organisation = seats
    event.seats_per_organisation_until_days = until_days
    event.save()
    return event


def test_the_cap_refuses_a_booking_beyond_it_with_the_lifting_date(event, book):
    register_org("Habitat Exemple", "habitat-exemple.fr")
    capped(event, seats=2, until_days=15)
    book(event, PAUL)

    response = book(event, LEA, email="claire@habitat-exemple.fr", first_name="Claire")

    lifted = services.long_date(in_days(40 - 15), weekday=False)
    assert (
        "Votre organisme a déjà 2 inscrits : la limite est de 2 places par organisme jusqu'au "
        f"{lifted}, date à laquelle les places restantes seront ouvertes à tous."
    ) in visible_text(response)
    assert Registration.objects.count() == 2
    assert set(Registration.objects.values_list("organisation__name", flat=True)) == {
        "Habitat Exemple"
    }


def test_the_form_says_the_cap_and_when_it_is_lifted(client, event):
    capped(event, seats=2, until_days=15)
    lifted = services.long_date(in_days(40 - 15), weekday=False)

    text = visible_text(client.get(event.url + "inscription/"))

    assert (
        f"Places limitées à 2 par organisme jusqu'au {lifted} ; les places restantes seront "
        "ensuite ouvertes à tous." in text
    )


def test_the_cap_says_how_many_more_can_come(event, book):
    capped(event, seats=2)
    book(event)

    response = book(event, PAUL, LEA, email="claire@habitat-exemple.fr")

    assert (
        "Votre organisme a déjà 1 inscrit : la limite est de 2 places par organisme pour cet "
        "événement. Vous pouvez encore inscrire 1 personne." in visible_text(response)
    )
    assert Registration.objects.count() == 1


def test_a_booking_alone_larger_than_the_cap_is_refused(event, book):
    capped(event, seats=2)

    response = book(event, PAUL, LEA)

    assert "La limite est de 2 places par organisme pour cet événement" in visible_text(response)
    assert not Registration.objects.exists()


def test_after_the_lifting_date_the_cap_no_longer_holds(agenda, book):
    event = EventPageFactory(
        parent=agenda, registration_mode="site", capacity=10, sessions=[session(10)]
    )
    capped(event, seats=2, until_days=15)  # lifted 5 days ago

    assert book(event, PAUL, LEA).status_code == 302
    assert Registration.objects.count() == 3


def test_the_cap_counts_the_waiting_list_and_not_cancellations(event, book):
    event.capacity = 1
    event.save()
    capped(event, seats=2)
    book(event, PAUL)  # Marie confirmed, Paul waiting: 2 for the organisation
    assert book(event, email="claire@habitat-exemple.fr").status_code == 200

    services.cancel(Registration.objects.get(lead__email=PAUL[2]).booking)

    assert book(event, email="claire@habitat-exemple.fr").status_code == 302


def test_without_the_register_the_domain_and_its_subdomains_count_as_one(event, book):
    capped(event, seats=2)
    book(event, LEA)  # habitat-exemple.fr and idf.habitat-exemple.fr: unknown, one domain

    response = book(event, email="paul.martin@habitat-exemple.fr", first_name="Paul")

    assert "Votre organisme a déjà 2 inscrits" in visible_text(response)
    assert Registration.objects.filter(organisation__isnull=True).count() == 2
    other = book(event, email="jean@autre-bailleur.fr")
    assert other.status_code == 302


def test_public_provider_addresses_are_not_capped(event, book):
    capped(event, seats=1)
    for number in range(3):
        response = book(event, email=f"personne{number}@gmail.com")
        assert response.status_code == 302
    assert Registration.objects.count() == 3


def test_the_register_s_organisation_counts_across_its_domains(event, book):
    register_org("Habitat Exemple", "habitat-exemple.fr", "hexemple.org")
    capped(event, seats=1)
    book(event)

    response = book(event, email="jean@hexemple.org")

    assert "Votre organisme a déjà 1 inscrit" in visible_text(response)


# --- The editor's form ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"seats_per_organisation": "", "seats_per_organisation_until_days": "15"},
            "seats_per_organisation_until_days",
            "Sans limite de places par organisme, il n'y a rien à lever",
        ),
        (
            {"seats_per_organisation": "0", "seats_per_organisation_until_days": ""},
            "seats_per_organisation",
            "Une limite de 0 place par organisme fermerait l'inscription à tous",
        ),
    ],
)
def test_the_editor_is_told_when_the_cap_makes_no_sense(
    editor_client, agenda, changes, field, message
):
    from .test_admin import add_url, event_form, session_form

    data = event_form([session_form("2031-05-12")], **changes)
    response = editor_client.post(add_url(agenda), data)

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])


def test_the_editor_sets_a_cap_lifted_before_the_event(editor_client, agenda):
    from .test_admin import add_url, event_form, session_form

    data = event_form(
        [session_form("2031-05-12")],
        max_colleagues="2",
        seats_per_organisation="2",
        seats_per_organisation_until_days="15",
    )
    response = editor_client.post(add_url(agenda), data)

    assert response.status_code == 302
    event = EventPage.objects.get(slug="numerique-proximite")
    assert services.organisation_cap(event, in_days(0)).until.isoformat() == "2031-04-27"


def test_a_booker_already_registered_comes_back_to_add_a_colleague(client, event, book):
    book(event)
    response = book(event, PAUL)

    assert response.status_code == 302
    assert Registration.objects.count() == 2
    assert [m.to for m in mail.outbox] == [[BOOKER["email"]], [PAUL[2]]]
    assert "Paul Martin" in visible_text(client.get(response["Location"]))
