"""Membership checked at registration (issue #21): the member price is chosen from the register
of members for the year of the event, never from the visitor's word; an address the register
cannot place is registered « à vérifier »; a member-only event refuses the others, who may ask
for an exception; staff see and filter the flag, and the export has an « Adhésion » column."""

import datetime

from django.contrib.auth.models import Group
from django.core import mail
from django.utils import timezone

import pytest

from contacts.models import (
    Membership,
    Organisation,
    OrganisationDomain,
    OutboundEmail,
    StaffNotificationPreference,
)
from events.choices import MembershipCheck, PriceAudience
from events.models import EventPrice, EventSession, Registration
from tests.exports import rows_of
from tests.factories.events import EventPageFactory
from tests.factories.publications import LeadFactory

from .conftest import visible_text

NEXT_YEAR = timezone.localdate().year + 1
EVENT_DAY = datetime.date(NEXT_YEAR, 3, 12)

CONTACT = {
    "first_name": "Marie",
    "last_name": "Dupont",
    "organisation": "Habitat Exemple",
    "organisation_type": "esh",
    "job_title": "Directrice de la proximité",
    "phone": "",
    "consent": "on",
    "website": "",
    "accessibility_needs": "",
    "comment": "",
}
NOT_A_MEMBER = (
    f"Votre organisme, Habitat Exemple, n'est pas adhérent du club pour {NEXT_YEAR} : "
    "le tarif adhérent ne s'applique pas."
)


def organisation(name, domain, years=()):
    org = Organisation.objects.create(name=name)
    OrganisationDomain.objects.create(organisation=org, domain=domain)
    for year in years:
        Membership.objects.create(organisation=org, year=year)
    return org


@pytest.fixture
def member():
    return organisation("OPH Adhérent", "oph-adherent.fr", years=[NEXT_YEAR])


@pytest.fixture
def non_member():
    # A member the year before the event only: not a member on the event's date.
    return organisation("Habitat Exemple", "habitat-exemple.fr", years=[NEXT_YEAR - 1])


def member_prices():
    return [
        EventPrice(audience="Adhérent", amount=500, offered_to=PriceAudience.MEMBERS),
        EventPrice(audience="Non-adhérent", amount=1500, offered_to=PriceAudience.NON_MEMBERS),
    ]


def event_on(agenda, slug, prices, **fields):
    return EventPageFactory(
        parent=agenda,
        slug=slug,
        title=f"Atelier {slug}",
        registration_mode="site",
        capacity=50,
        sessions=[EventSession(date=EVENT_DAY, start_time=datetime.time(9))],
        prices=prices,
        **fields,
    )


@pytest.fixture
def event(agenda):
    return event_on(agenda, "cycle", member_prices())


@pytest.fixture
def members_only(agenda):
    return event_on(
        agenda,
        "reserve",
        [EventPrice(audience="Adhérent", amount=200, offered_to=PriceAudience.MEMBERS)],
        members_only=True,
    )


@pytest.fixture
def register(client, django_capture_on_commit_callbacks):
    """Posts the registration form as a visitor would, running what waits for the commit."""

    def post(event, email, **changes):
        url = event.url + "inscription/"
        form = client.get(url).context["form"]
        data = {**CONTACT, "email": email, "started": form["started"].value(), **changes}
        data = {key: value for key, value in data.items() if value is not None}
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data)

    return post


def the_registration():
    return Registration.objects.select_related("organisation").get()


# --- The price chosen from the register ---------------------------------------------------------


def test_the_form_says_which_price_applies_before_submitting(client, event):
    response = client.get(event.url + "inscription/")
    text = visible_text(response)

    form = response.context["form"]
    assert "price" not in form.fields  # chosen from the address, not by the visitor
    assert "is_member" not in form.fields
    assert (
        "Adhérent : 500 € (appliqué si votre adresse professionnelle appartient à un organisme "
        "adhérent)" in text
    )
    assert "Non-adhérent : 1 500 € (appliqué aux autres adresses)" in text
    assert "Le tarif adhérent est appliqué si votre adresse professionnelle" in text
    assert "Mon organisme est adhérent du club" in text


@pytest.mark.parametrize("email", ["marie@oph-adherent.fr", "marie@idf.oph-adherent.fr"])
def test_a_members_address_gets_the_member_price(client, event, member, register, email):
    response = register(event, email=email)

    assert response.status_code == 302
    registration = the_registration()
    assert registration.membership == MembershipCheck.MEMBER
    assert registration.is_member and registration.organisation == member
    assert registration.price_label == "Adhérent : 500\u00a0€"
    thanks = visible_text(client.get(response["Location"]))
    assert "Tarif : Adhérent : 500 €" in thanks
    assert "Tarif adhérent appliqué : votre organisme, OPH Adhérent, est adhérent du club." in (
        thanks
    )


def test_membership_counts_for_the_year_of_the_event(event, non_member, register):
    response = register(event, email="marie@habitat-exemple.fr")

    assert response.status_code == 302
    registration = the_registration()
    assert registration.membership == MembershipCheck.NON_MEMBER
    assert not registration.is_member and registration.organisation == non_member
    assert registration.price_label == "Non-adhérent : 1\u202f500\u00a0€"


def test_a_known_non_member_who_says_it_is_a_member_is_refused_the_member_price(
    event, non_member, register
):
    response = register(event, email="marie@habitat-exemple.fr", says_member="on")

    assert response.status_code == 200
    assert NOT_A_MEMBER in visible_text(response)
    assert Registration.objects.count() == 0


def test_an_unknown_domain_that_ticks_the_box_is_registered_to_check(client, event, register):
    response = register(event, email="marie@inconnu-habitat.fr", says_member="on")

    registration = the_registration()
    assert registration.membership == MembershipCheck.TO_CHECK
    assert registration.is_member and registration.organisation is None
    assert registration.price_label == "Adhérent : 500\u00a0€"  # provisionally
    thanks = visible_text(client.get(response["Location"]))
    assert "Votre tarif adhérent sera confirmé par le club" in thanks
    (message,) = mail.outbox
    assert "Tarif : Adhérent : 500" in message.body
    assert "Votre tarif adhérent sera confirmé par le club" in message.body
    html = message.alternatives[0][0]
    assert "Votre tarif adhérent sera confirmé par le club" in html


def test_staff_told_at_once_of_a_registration_see_its_membership_to_check(event, register, staff):
    register(event, email="marie@inconnu-habitat.fr", says_member="on")

    (notice,) = [
        message
        for message in mail.outbox
        if message.to == ["immediate@club.example"] and event.title in message.subject
    ]
    assert "Adhésion à vérifier : tarif « Adhérent : 500\u00a0€ »" in notice.body


def test_an_unknown_domain_that_does_not_tick_the_box_is_a_non_member(client, event, register):
    response = register(event, email="marie@inconnu-habitat.fr")

    registration = the_registration()
    assert registration.membership == MembershipCheck.NON_MEMBER
    assert not registration.is_member
    assert "sera confirmé" not in visible_text(client.get(response["Location"]))
    assert "sera confirmé" not in mail.outbox[0].body


def test_a_public_provider_is_treated_as_unknown(event, register):
    # Even a provider an organisation put in the register by mistake says nothing.
    organisation("Organisme Gmail", "gmail.com", years=[NEXT_YEAR])

    register(event, email="marie.dupont@gmail.com", says_member="on")

    registration = the_registration()
    assert registration.membership == MembershipCheck.TO_CHECK
    assert registration.organisation is None


def test_prices_for_everyone_keep_the_visitors_choice(agenda, register, member):
    event = event_on(
        agenda,
        "libre",
        [
            EventPrice(audience="Plein tarif", amount=100),
            EventPrice(audience="Étudiant", amount=20),
        ],
    )
    student = event.prices.get(audience="Étudiant")

    bad = register(event, email="marie@inconnu-habitat.fr", price="999999")
    assert "Choisissez un des tarifs proposés." in visible_text(bad)

    register(event, email="marie@oph-adherent.fr", price=student.pk)
    registration = the_registration()
    assert registration.price == student
    assert registration.membership == MembershipCheck.MEMBER  # recorded, for staff


def test_with_a_choice_a_member_price_is_refused_to_a_known_non_member(
    agenda, register, non_member
):
    prices = [*member_prices(), EventPrice(audience="Étudiant", amount=20)]
    event = event_on(agenda, "choix", prices)
    member_price = event.prices.get(audience="Adhérent")

    response = register(event, email="marie@habitat-exemple.fr", price=member_price.pk)

    assert NOT_A_MEMBER in visible_text(response)
    assert Registration.objects.count() == 0


def test_with_a_choice_a_member_who_picks_the_non_member_price_gets_the_member_price(
    agenda, register, member
):
    prices = [*member_prices(), EventPrice(audience="Étudiant", amount=20)]
    event = event_on(agenda, "choix", prices)
    other = event.prices.get(audience="Non-adhérent")

    register(event, email="marie@oph-adherent.fr", price=other.pk)

    assert the_registration().price_label == "Adhérent : 500\u00a0€"


# --- Member-only events -------------------------------------------------------------------------


def test_a_member_only_event_says_who_may_register(client, members_only):
    for url in (members_only.url, members_only.url + "inscription/"):
        text = visible_text(client.get(url))
        assert "Réservé aux adhérents du club." in text
        assert "Demandez une exception à l'équipe du club" in text


def test_a_member_only_event_refuses_a_known_non_member_with_the_exception_link(
    members_only, non_member, register
):
    response = register(members_only, email="marie@habitat-exemple.fr")

    assert response.status_code == 200
    text = visible_text(response)
    assert "« Atelier reserve » est réservé aux organismes adhérents du club." in text
    assert f"Votre organisme, Habitat Exemple, n'est pas adhérent du club pour {NEXT_YEAR}" in text
    assert members_only.url + "inscription/exception/" in response.content.decode()
    assert Registration.objects.count() == 0


def test_a_member_only_event_refuses_a_public_provider(members_only, register):
    response = register(members_only, email="marie.dupont@orange.fr")

    assert "Une adresse orange.fr ne dit pas à quel organisme vous appartenez" in (
        visible_text(response)
    )
    assert Registration.objects.count() == 0


def test_a_member_only_event_accepts_a_member(members_only, member, register):
    assert register(members_only, email="marie@oph-adherent.fr").status_code == 302

    registration = the_registration()
    assert registration.membership == MembershipCheck.MEMBER
    assert registration.price_label == "Adhérent : 200\u00a0€"


def test_a_member_only_event_registers_an_unknown_domain_to_check(members_only, register):
    assert register(members_only, email="marie@inconnu-habitat.fr").status_code == 302

    registration = the_registration()
    assert registration.membership == MembershipCheck.TO_CHECK and registration.is_member


def test_only_member_prices_make_an_event_member_only(agenda, non_member, register):
    event = event_on(
        agenda,
        "prix",
        [EventPrice(audience="Adhérent", amount=200, offered_to=PriceAudience.MEMBERS)],
    )

    response = register(event, email="marie@habitat-exemple.fr")

    assert "est réservé aux organismes adhérents du club" in visible_text(response)
    assert Registration.objects.count() == 0


# --- The exception request ----------------------------------------------------------------------


@pytest.fixture
def staff(django_user_model):
    group = Group.objects.get(name="Gestionnaires de leads")
    users = []
    for name, frequency in [("immediate", "immediate"), ("daily", "daily"), ("none", "none")]:
        user = django_user_model.objects.create_user(name, email=f"{name}@club.example")
        user.groups.add(group)
        StaffNotificationPreference.objects.create(user=user, frequency=frequency)
        users.append(user)
    return users


@pytest.fixture
def ask(client, django_capture_on_commit_callbacks):
    def post(event, **changes):
        url = event.url + "inscription/exception/"
        form = client.get(url).context["form"]
        data = {
            "first_name": "Marie",
            "last_name": "Dupont",
            "email": "marie@habitat-exemple.fr",
            "organisation": "Habitat Exemple",
            "message": "Notre adhésion est en cours\x00 de renouvellement.",
            "website": "",
            "started": form["started"].value(),
            **changes,
        }
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data)

    return post


def test_an_exception_request_mails_the_staff_and_says_it_was_sent(
    members_only, non_member, staff, ask
):
    response = ask(members_only)

    assert response.status_code == 200
    text = visible_text(response)
    assert "Votre demande a été envoyée" in text
    assert "marie@habitat-exemple.fr" in text
    rows = OutboundEmail.objects.filter(kind="events.exception_request")
    assert sorted(rows.values_list("to", flat=True)) == [
        "daily@club.example",
        "immediate@club.example",
    ]
    assert len(mail.outbox) == 2
    message = mail.outbox[0]
    assert message.subject == "Demande d'exception : Marie Dupont pour « Atelier reserve »"
    assert message.extra_headers["Reply-To"] == "marie@habitat-exemple.fr"
    assert "Notre adhésion est en cours de renouvellement." in message.body  # NUL dropped
    assert f"Habitat Exemple, non adhérent pour {NEXT_YEAR}" in message.body


def test_without_staff_the_request_goes_to_the_contact_address(members_only, ask):
    from contacts.models import ContactSettings

    settings = ContactSettings.load()
    settings.contact_email = "contact@club.example"
    settings.save()

    ask(members_only)

    assert [message.to for message in mail.outbox] == [["contact@club.example"]]


def test_with_nobody_to_tell_the_visitor_is_told_it_was_not_sent(members_only, ask):
    response = ask(members_only)

    assert "Votre demande n'a pas pu être envoyée" in visible_text(response)
    assert not OutboundEmail.objects.filter(kind="events.exception_request").exists()


def test_an_exception_request_with_bad_input_gets_french_errors(members_only, staff, ask):
    response = ask(members_only, email="pas-une-adresse", last_name="Du\x01pont", message="")

    text = visible_text(response)
    assert "Saisissez une adresse e-mail valide" in text
    assert "Ce champ est obligatoire." in text
    assert "caractère" in text  # the control character refused in French
    assert OutboundEmail.objects.filter(kind="events.exception_request").count() == 0


def test_an_exception_request_is_rate_limited(settings, members_only, staff, ask):
    settings.LEAD_FORM_RATE = "2/h"
    for _ in range(2):
        assert ask(members_only).status_code == 200

    assert ask(members_only).status_code == 429


def test_the_honeypot_sends_nothing(members_only, staff, ask):
    assert ask(members_only, website="http://spam.example").status_code == 400
    assert OutboundEmail.objects.filter(kind="events.exception_request").count() == 0


def test_hostile_input_in_an_exception_request_gets_a_french_error(members_only, staff, ask):
    # Too long a message; an organisation with a right-to-left override.
    response = ask(members_only, message="x" * 2001, organisation="Habitat\u202eExemple")

    text = visible_text(response)
    assert "Assurez-vous que cette valeur comporte au plus 2000 caractères" in text
    assert "Ce champ contient des caractères non permis (caractères de contrôle)." in text
    assert OutboundEmail.objects.filter(kind="events.exception_request").count() == 0


def test_odd_unicode_in_an_exception_request_is_mailed_clean(members_only, staff, ask):
    ask(members_only, message="Bonjour\r\n\x1b[31mrouge\x7f e\u0301te\u0301 \U0001f3e0")

    body = OutboundEmail.objects.filter(kind="events.exception_request").first().body
    assert "Bonjour\n[31mrouge été \U0001f3e0" in body  # NFC, control characters dropped
    assert "\x1b" not in body and "\x7f" not in body


def test_erasing_the_person_removes_their_exception_requests(members_only, staff, ask):
    from contacts.services import erase_lead

    ask(members_only)
    lead = LeadFactory(email="marie@habitat-exemple.fr")

    erase_lead(lead)

    assert not OutboundEmail.objects.filter(kind="events.exception_request").exists()


def test_the_exception_pages_stay_within_their_query_budget(
    client, members_only, staff, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    for number in range(30):
        organisation(f"Organisme {number}", f"organisme-{number}.fr", years=[NEXT_YEAR])
    url = members_only.url + "inscription/exception/"
    client.get(url)
    with django_assert_max_num_queries(15):
        form = client.get(url).context["form"]
    data = {
        "first_name": "Marie",
        "last_name": "Dupont",
        "email": "marie@organisme-3.fr",
        "organisation": "Organisme 3",
        "message": "Merci.",
        "website": "",
        "started": form["started"].value(),
    }
    with django_assert_max_num_queries(25), django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, data).status_code == 200


def test_no_exception_is_asked_once_registrations_are_closed(client, members_only, staff):
    members_only.registration_deadline = timezone.localdate() - datetime.timedelta(days=1)
    members_only.save()

    response = client.get(members_only.url + "inscription/exception/")

    assert response.context["form"] is None
    assert "il n'y a pas d'exception à demander" in visible_text(response)


def test_an_open_event_has_no_exception_form(client, event):
    assert client.get(event.url + "inscription/exception/").status_code == 404


# --- Staff: the list, its filter, the export ------------------------------------------------------


@pytest.fixture
def registrations(event):
    def add(email, membership, is_member):
        return Registration.objects.create(
            event=event,
            lead=LeadFactory(email=email),
            status="confirmed",
            consent_text="oui",
            membership=membership,
            is_member=is_member,
        )

    return [
        add("verifie@oph-adherent.fr", MembershipCheck.MEMBER, True),
        add("doute@inconnu.fr", MembershipCheck.TO_CHECK, True),
        add("autre@habitat-exemple.fr", MembershipCheck.NON_MEMBER, False),
    ]


def test_the_list_flags_and_filters_what_is_to_check(admin_client, registrations):
    everything = visible_text(admin_client.get("/admin/inscriptions/"))
    assert "Adhésion" in everything
    assert "À vérifier" in everything and "Adhérent vérifié" in everything

    response = admin_client.get("/admin/inscriptions/", {"membership": "to_check"})
    text = visible_text(response)
    assert "doute@inconnu.fr" in text
    assert "verifie@oph-adherent.fr" not in text and "autre@habitat-exemple.fr" not in text
    # The flag stands out: Wagtail's primary status tag.
    assert '<span class="w-status w-status--primary"> À vérifier </span>' in " ".join(
        response.content.decode().split()
    )


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_the_export_has_a_membership_column(admin_client, registrations, export_format):
    rows = rows_of(admin_client.get(f"/admin/inscriptions/?export={export_format}"), export_format)

    column = rows[0].index("Adhésion")
    by_email = {row[rows[0].index("E-mail")]: row[column] for row in rows[1:]}
    assert by_email == {
        "verifie@oph-adherent.fr": "Adhérent vérifié",
        "doute@inconnu.fr": "À vérifier",
        "autre@habitat-exemple.fr": "Non adhérent",
    }


# --- Query budget -------------------------------------------------------------------------------


def test_the_registration_post_stays_within_its_query_budget(
    client, event, member, django_assert_max_num_queries
):
    for number in range(30):
        organisation(f"Organisme {number}", f"organisme-{number}.fr", years=[NEXT_YEAR])
    Registration.objects.bulk_create(
        Registration(event=event, lead=LeadFactory(), status="confirmed", consent_text="oui")
        for _ in range(40)
    )
    url = event.url + "inscription/"
    form = client.get(url).context["form"]
    data = {**CONTACT, "email": "marie@idf.oph-adherent.fr", "started": form["started"].value()}

    # 34 measured: the page's content, the seats, the register (two), the lead, the seat taken,
    # the mail; none of them grows with the organisations or the registrations.
    with django_assert_max_num_queries(36):
        response = client.post(url, data)

    assert response.status_code == 302
    registration = Registration.objects.get(lead__email="marie@idf.oph-adherent.fr")
    assert registration.membership == MembershipCheck.MEMBER
