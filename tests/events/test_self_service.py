"""The booking's page (the signed link of the confirmation mail): until the editor's deadline
the person changes their séances or hands their seat to a colleague of their organisation, who
confirms by mail. Every change is in the registrations' history."""

import datetime
import re

from django.utils import timezone

import pytest

from contacts.models import Lead, Organisation, OrganisationDomain, OutboundEmail
from events import history, services
from events.choices import RegistrationScope, RegistrationStatus
from events.models import Registration, SeatTransfer
from tests.factories.events import EventPageFactory, session

from .conftest import visible_text

CHANGED = "events.sessions_changed"
ASKED = "events.transfer_asked"
TRANSFERRED = "events.transferred"


def details(name, domain="oph-exemple.fr"):
    return {
        "first_name": name.capitalize(),
        "last_name": "Dupont",
        "email": f"{name}@{domain}",
        "organisation": "OPH de l'Exemple",
        "organisation_type": "oph",
        "job_title": "Directrice",
        "phone": "",
        "news_opt_in": False,
    }


def register(event, name, sessions=(), domain="oph-exemple.fr"):
    return services.register(
        event,
        details=details(name, domain),
        choice=services.Choice(is_member=True, price=None, sessions=tuple(sessions)),
        consent_text="oui",
    )


def link(registrations):
    return f"/inscriptions/annuler/{services.make_cancel_token(registrations[0].booking)}/"


def statuses(name):
    return {
        r.session.title: r.status
        for r in Registration.objects.active().filter(lead__email__startswith=f"{name}@")
    }


def outbox(kind, to=None):
    rows = OutboundEmail.objects.filter(kind=kind).order_by("pk")
    return list(rows.filter(to=to) if to else rows)


def actions(registration):
    return [entry.action for entry in history.entries(registration)]


@pytest.fixture
def cycle(agenda):
    """Three séances taken one by one, one seat each; the deadline 2 days before the first."""
    return EventPageFactory(
        parent=agenda,
        title="Cycle",
        registration_mode="site",
        registration_scope=RegistrationScope.PER_SESSION,
        capacity=1,
        sessions=[
            session(10, title="Séance A"),
            session(20, title="Séance B"),
            session(30, title="Séance C"),
        ],
    )


def sessions_of(event):
    return {s.title: s for s in event.sessions.all()}


# --- Change of séances -------------------------------------------------------------------------


def test_the_page_shows_the_seances_and_says_a_full_one_means_the_waiting_list(client, cycle):
    s = sessions_of(cycle)
    register(cycle, "bruno", [s["Séance B"]])
    anne = register(cycle, "anne", [s["Séance A"]])

    response = client.get(link(anne))
    text = visible_text(response)

    assert response.status_code == 200
    assert "Changer mes séances" in text
    assert "Complet : en la cochant, vous serez sur sa liste d'attente" in text
    assert "Votre inscription : confirmée" in text
    assert "noindex" in response["X-Robots-Tag"]
    assert "no-cache" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_changing_seances_takes_seats_joins_the_waiting_list_and_frees_a_seat(client, cycle):
    s = sessions_of(cycle)
    bruno = register(cycle, "bruno", [s["Séance B"]])
    anne = register(cycle, "anne", [s["Séance A"]])
    carla = register(cycle, "carla", [s["Séance A"]])  # waits for A
    assert carla[0].status == RegistrationStatus.WAITING

    response = client.post(
        link(anne), {"action": "seances", "seances": [s["Séance B"].pk, s["Séance C"].pk]}
    )

    assert response.status_code == 200
    assert "vos séances ont changé" in visible_text(response)
    assert statuses("anne") == {
        "Séance B": RegistrationStatus.WAITING,
        "Séance C": RegistrationStatus.CONFIRMED,
    }
    assert statuses("carla") == {"Séance A": RegistrationStatus.OFFERED}  # A freed, offered
    assert statuses("bruno") == {"Séance B": RegistrationStatus.CONFIRMED}
    (message,) = outbox(CHANGED, "anne@oph-exemple.fr")
    assert message.subject == "Vos séances ont changé : Cycle"
    assert "Séance C" in message.body and "liste d'attente" in message.body
    assert "Séance A" in message.body.split("plus inscrit")[1]
    assert len(outbox("events.seat_offered", "carla@oph-exemple.fr")) == 1
    new = Registration.objects.get(lead__email="anne@oph-exemple.fr", session=s["Séance C"])
    assert actions(new) == [history.Action.SEAT_CHANGED]
    assert Registration.objects.get(pk=bruno[0].pk).status == RegistrationStatus.CONFIRMED


def test_a_full_seance_of_an_event_without_waiting_list_is_refused_and_nothing_changes(
    client, cycle
):
    cycle.waiting_list = False
    cycle.save()
    s = sessions_of(cycle)
    register(cycle, "bruno", [s["Séance B"]])
    anne = register(cycle, "anne", [s["Séance A"]])

    page = visible_text(client.get(link(anne)))
    assert "Complet" in page and "vous serez sur sa liste d'attente" not in page
    response = client.post(link(anne), {"action": "seances", "seances": [s["Séance B"].pk]})

    assert "est complète et cet événement n'a pas de liste d'attente" in visible_text(response)
    assert statuses("anne") == {"Séance A": RegistrationStatus.CONFIRMED}
    assert not outbox(CHANGED)


def test_the_same_change_posted_twice_changes_nothing_more(client, cycle):
    s = sessions_of(cycle)
    anne = register(cycle, "anne", [s["Séance A"]])
    data = {"action": "seances", "seances": [s["Séance B"].pk]}

    client.post(link(anne), data)
    response = client.post(link(anne), data)

    assert "rien n'a changé" in visible_text(response)
    assert Registration.objects.filter(lead__email="anne@oph-exemple.fr").count() == 2
    assert statuses("anne") == {"Séance B": RegistrationStatus.CONFIRMED}
    assert len(outbox(CHANGED)) == 1


def test_unticking_every_seance_is_refused_cancelling_is_the_way(client, cycle):
    s = sessions_of(cycle)
    anne = register(cycle, "anne", [s["Séance A"]])

    response = client.post(link(anne), {"action": "seances"})

    assert response.status_code == 400
    assert "Choisissez au moins une séance" in visible_text(response)
    assert statuses("anne") == {"Séance A": RegistrationStatus.CONFIRMED}


@pytest.mark.parametrize("value", ["999999", "abc", "1\x00", "-1", "٣", "9" * 40])
def test_an_unknown_or_hostile_seance_is_refused(client, cycle, value):
    s = sessions_of(cycle)
    anne = register(cycle, "anne", [s["Séance A"]])

    response = client.post(link(anne), {"action": "seances", "seances": [value]})

    assert response.status_code == 400
    assert statuses("anne") == {"Séance A": RegistrationStatus.CONFIRMED}
    assert outbox(CHANGED) == []


def test_after_the_deadline_the_seances_cannot_change(client, cycle):
    s = sessions_of(cycle)
    anne = register(cycle, "anne", [s["Séance A"]])
    cycle.self_service_days = 15  # the first séance is in 10 days
    cycle.save_revision().publish()

    page = visible_text(client.get(link(anne)))
    response = client.post(link(anne), {"action": "seances", "seances": [s["Séance B"].pk]})

    assert "Changer mes séances" not in page and "Confirmer l'annulation" in page
    assert "délai pour modifier cette inscription est dépassé" in visible_text(response)
    assert statuses("anne") == {"Séance A": RegistrationStatus.CONFIRMED}


def test_a_past_event_cannot_be_changed(client, agenda):
    past = EventPageFactory(
        parent=agenda,
        registration_mode="site",
        registration_scope=RegistrationScope.PER_SESSION,
        self_service_days=0,
        sessions=[session(-6, title="Séance A"), session(-5, title="Séance B")],
    )
    s = sessions_of(past)
    anne = register(past, "anne", [s["Séance A"]])

    response = client.post(link(anne), {"action": "seances", "seances": [s["Séance B"].pk]})

    assert "Cet événement a eu lieu" in visible_text(response)
    assert statuses("anne") == {"Séance A": RegistrationStatus.CONFIRMED}


def test_a_tampered_link_is_refused(client, cycle):
    s = sessions_of(cycle)
    anne = register(cycle, "anne", [s["Séance A"]])

    response = client.post(
        link(anne)[:-3] + "x/", {"action": "seances", "seances": [s["Séance B"].pk]}
    )

    assert response.status_code == 403
    assert statuses("anne") == {"Séance A": RegistrationStatus.CONFIRMED}


def test_the_booking_page_and_its_posts_keep_a_query_budget(
    client, agenda, django_assert_max_num_queries
):
    many = EventPageFactory(
        parent=agenda,
        registration_mode="site",
        registration_scope=RegistrationScope.PER_SESSION,
        capacity=5,
        sessions=[session(10 + day, title=f"Séance {day}") for day in range(12)],
    )
    chosen = list(many.sessions.all())
    anne = register(many, "anne", chosen[:6])

    with django_assert_max_num_queries(16):
        assert client.get(link(anne)).status_code == 200
    with django_assert_max_num_queries(36):
        client.post(link(anne), {"action": "seances", "seances": [c.pk for c in chosen[6:]]})
    assert len(statuses("anne")) == 6
    with django_assert_max_num_queries(36):
        client.post(
            link(anne),
            {"action": "transfert", **form("dominique", "dominique@oph-exemple.fr")},
        )
    assert SeatTransfer.objects.count() == 1


# --- Hand the seat to a colleague --------------------------------------------------------------


def form(name, email, last_name="Petit"):
    return {
        "transfert-first_name": name.capitalize(),
        "transfert-last_name": last_name,
        "transfert-email": email,
    }


@pytest.fixture
def event(agenda):
    """One seat for the whole event, taken by Anne; Bruno waits."""
    return EventPageFactory(parent=agenda, title="Journée", registration_mode="site", capacity=1)


@pytest.mark.parametrize(
    ("email", "says"),
    [
        ("dominique@autre-oph.fr", "même domaine que la vôtre"),
        ("dominique@gmail.com", "fournisseur grand public"),
        ("anne@oph-exemple.fr", "c'est déjà la vôtre"),
        ("ANNE@oph-exemple.fr", "c'est déjà la vôtre"),
    ],
)
def test_a_seat_is_handed_only_to_a_colleague(client, event, email, says):
    anne = register(event, "anne")

    response = client.post(link(anne), {"action": "transfert", **form("dominique", email)})

    assert response.status_code == 400
    assert says in visible_text(response)
    assert SeatTransfer.objects.count() == 0 and outbox(ASKED) == []


@pytest.mark.parametrize(
    "name", ["Dom\x00inique", "Dom\x07inique", "D" * 101, "Dom\u202eique"], ids=repr
)
def test_hostile_names_are_refused(client, event, name):
    anne = register(event, "anne")

    response = client.post(
        link(anne), {"action": "transfert", **form(name, "dominique@oph-exemple.fr")}
    )

    assert response.status_code == 400
    assert SeatTransfer.objects.count() == 0


@pytest.mark.parametrize(
    "email", ["dominique\x00@oph-exemple.fr", "a" * 250 + "@oph-exemple.fr", "dominique@"]
)
def test_hostile_addresses_are_refused(client, event, email):
    anne = register(event, "anne")

    response = client.post(link(anne), {"action": "transfert", **form("dominique", email)})

    assert response.status_code == 400
    assert SeatTransfer.objects.count() == 0


def test_a_colleague_of_the_same_organisation_in_the_register_may_take_the_seat(client, event):
    organisation = Organisation.objects.create(name="OPH de l'Exemple")
    OrganisationDomain.objects.create(organisation=organisation, domain="oph-exemple.fr")
    OrganisationDomain.objects.create(organisation=organisation, domain="groupe-exemple.fr")
    anne = register(event, "anne")

    client.post(link(anne), {"action": "transfert", **form("dominique", "dom@groupe-exemple.fr")})

    assert SeatTransfer.objects.get().email == "dom@groupe-exemple.fr"


def confirmation_path(message):
    match = re.search(r"https?://[^/\s]+(/inscriptions/transfert/\S+/)", message.body)
    return match.group(1)


def accept(client, path, **changes):
    page = client.get(path)
    data = {
        "first_name": "Dominique",
        "last_name": "Petit",
        "organisation": "OPH de l'Exemple",
        "organisation_type": "oph",
        "job_title": "Chargée de mission",
        "phone": "",
        "consent": "on",
        "started": page.context["form"]["started"].value(),
        **changes,
    }
    return client.post(path, data)


def test_the_colleague_confirms_and_takes_the_registration_as_it_is(client, event):
    anne = register(event, "anne")
    register(event, "bruno")  # waits
    client.post(link(anne), {"action": "transfert", **form("dominique", "dom@oph-exemple.fr")})
    (asked,) = outbox(ASKED, "dom@oph-exemple.fr")
    before = Registration.objects.get(pk=anne[0].pk)
    assert Lead.objects.filter(email="dom@oph-exemple.fr").count() == 0  # nothing on her word
    assert actions(before) == [history.Action.REGISTERED, history.Action.TRANSFER_ASKED]

    page = client.get(confirmation_path(asked))
    assert "Reprendre la place de Anne Dupont" in visible_text(page)
    response = accept(client, confirmation_path(asked))

    assert response.status_code == 200
    assert "La place est à votre nom" in visible_text(response)
    after = Registration.objects.get(pk=anne[0].pk)
    dominique = Lead.objects.get(email="dom@oph-exemple.fr")
    assert after.lead == dominique and after.booking != before.booking
    assert (after.status, after.price_label, after.session_id, after.is_member) == (
        before.status,
        before.price_label,
        before.session_id,
        before.is_member,
    )
    assert "traiter mon inscription" in after.consent_text
    assert Registration.objects.confirmed().filter(event=event).count() == 1
    assert Registration.objects.waiting().filter(event=event).count() == 1
    assert SeatTransfer.objects.get().email == ""  # nothing kept of her but her lead
    (told,) = outbox(TRANSFERRED, "anne@oph-exemple.fr")
    assert "Dominique Petit" in told.body
    assert len(outbox("events.registration", "dom@oph-exemple.fr")) == 1
    entry = list(history.entries(after))[-1]
    assert entry.action == history.Action.TRANSFERRED
    assert entry.data["to_lead"] == dominique.pk and entry.data["lead"] == before.lead_id
    # Anne's link no longer manages the booking; Dominique's does.
    assert client.get(link(anne)).status_code == 403
    assert client.get(link([after])).status_code == 200


def test_a_used_withdrawn_or_expired_link_does_nothing(client, event):
    anne = register(event, "anne")
    client.post(link(anne), {"action": "transfert", **form("dominique", "dom@oph-exemple.fr")})
    path = confirmation_path(outbox(ASKED)[0])

    client.post(link(anne), {"action": "retirer"})
    assert client.get(path).status_code == 403
    assert "la place reste à votre nom" not in visible_text(client.get(link(anne)))
    assert Registration.objects.get(pk=anne[0].pk).lead.email == "anne@oph-exemple.fr"

    client.post(link(anne), {"action": "transfert", **form("dominique", "dom@oph-exemple.fr")})
    SeatTransfer.objects.filter(status=SeatTransfer.Status.PENDING).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    assert client.get(confirmation_path(outbox(ASKED)[-1])).status_code == 403

    client.post(link(anne), {"action": "transfert", **form("dominique", "dom@oph-exemple.fr")})
    path = confirmation_path(outbox(ASKED)[-1])
    assert accept(client, path).status_code == 200
    response = client.post(path, {"first_name": "X", "consent": "on"})
    assert response.status_code == 403
    assert Registration.objects.filter(event=event).count() == 1
    assert len(outbox(TRANSFERRED)) == 1


def test_a_tampered_confirmation_link_is_refused(client, event):
    anne = register(event, "anne")
    client.post(link(anne), {"action": "transfert", **form("dominique", "dom@oph-exemple.fr")})
    path = confirmation_path(outbox(ASKED)[0])

    assert client.get(path[:-3] + "x/").status_code == 403
    assert client.get("/inscriptions/transfert/\x00/").status_code in (403, 404)


def test_the_colleague_must_give_their_own_consent(client, event):
    anne = register(event, "anne")
    client.post(link(anne), {"action": "transfert", **form("dominique", "dom@oph-exemple.fr")})
    path = confirmation_path(outbox(ASKED)[0])

    response = accept(client, path, consent="")

    assert response.status_code == 400
    assert Registration.objects.get(pk=anne[0].pk).lead.email == "anne@oph-exemple.fr"
    assert not Lead.objects.filter(email="dom@oph-exemple.fr").exists()


def test_the_colleague_page_keeps_a_query_budget(client, cycle, django_assert_max_num_queries):
    anne = register(cycle, "anne", list(cycle.sessions.all()))
    client.post(link(anne), {"action": "transfert", **form("dominique", "dom@oph-exemple.fr")})
    path = confirmation_path(outbox(ASKED)[0])

    with django_assert_max_num_queries(10):
        assert client.get(path).status_code == 200
    with django_assert_max_num_queries(45):
        assert accept(client, path).status_code == 200
    assert Registration.objects.filter(lead__email="dom@oph-exemple.fr").count() == 3
