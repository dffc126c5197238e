"""From the event form's choosers, an editor creates a venue or a person without leaving the
page: the chooser modal has a creation tab, and the new snippet comes back chosen."""

import pytest

from contacts.models import Person
from events.models import Venue


def test_the_event_form_offers_a_venue_chooser(editor_client, agenda):
    response = editor_client.get(f"/admin/pages/add/events/eventpage/{agenda.pk}/")

    assert response.status_code == 200
    assert "/admin/snippets/choose/events/venue/" in response.content.decode()


@pytest.mark.parametrize(
    ("model", "tab", "data", "title"),
    [
        (
            "events/venue",
            "Nouveau lieu",
            {"name": "Salons du Relais", "street": "1 rue X", "postcode": "75001", "city": "Paris"},
            "Salons du Relais, Paris",
        ),
        (
            "contacts/person",
            "Nouvelle personne",
            {"first_name": "Yvette", "last_name": "Molina", "job_title": "Directrice"},
            "Yvette Molina",
        ),
    ],
)
def test_a_snippet_is_created_and_chosen_from_the_chooser(editor_client, model, tab, data, title):
    url = f"/admin/snippets/choose/{model}/"

    modal = editor_client.get(url)
    created = editor_client.post(url + "create/", data)

    assert modal.status_code == 200
    assert tab in modal.json()["html"]
    assert created.status_code == 200
    answer = created.json()
    assert answer["step"] == "chosen"
    assert answer["result"]["string"] == title
    model_class = Venue if model == "events/venue" else Person
    assert model_class.objects.filter(pk=answer["result"]["id"]).exists()


def test_a_bad_venue_gets_the_form_again_in_french_and_creates_nothing(editor_client):
    response = editor_client.post("/admin/snippets/choose/events/venue/create/", {"name": ""})

    assert response.status_code == 200
    assert response.json()["step"] == "reshow_creation_form"
    assert "Champ requis." in response.json()["htmlFragment"]
    assert not Venue.objects.exists()
