"""Each registration keeps its history: who did what, when, in French, from the first
booking to the offer of a freed seat and its expiry; nothing in it names the person."""

import pytest

from events import history, services
from events.models import Registration
from tests.factories.events import EventPageFactory, session

from .test_waiting_list_offers import expire, register


def actions(name):
    registration = Registration.objects.get(lead__email=f"{name}@oph-exemple.fr")
    return [entry.action.removeprefix(history.PREFIX) for entry in history.entries(registration)]


@pytest.fixture
def event(agenda):
    event = EventPageFactory(
        parent=agenda, registration_mode="site", capacity=1, sessions=[session()]
    )
    for name in ("anne", "bruno", "carla"):
        register(event, name)
    return event


def test_a_seat_s_life_is_recorded(event):
    services.cancel(Registration.objects.get(lead__email="anne@oph-exemple.fr").booking)
    expire("bruno")
    assert services.expire_offers() == 1

    assert actions("anne") == ["registered", "cancelled"]
    assert actions("bruno") == ["registered", "offered", "offer_expired"]
    assert actions("carla") == ["registered", "offered"]


def test_the_history_reads_in_french_and_names_nobody(event):
    anne = Registration.objects.get(lead__email="anne@oph-exemple.fr")
    services.cancel_by_staff(anne.pk)

    entries = list(history.entries(anne))
    messages = [entry.message for entry in entries]
    assert messages == [
        "Inscription – par la personne, depuis le lien de son e-mail",
        "Annulation – personne prévenue par e-mail",
    ]
    for entry in entries:
        assert "anne" not in str(entry.data).lower() and "anne" not in entry.label.lower()
