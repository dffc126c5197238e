import io

from django.core.management import call_command

import pytest

from wagtail.models import Page

from events.models import EventPage, EventSession


@pytest.mark.django_db
def test_generate_content_adds_events_once_in_a_sound_tree(client):
    def generate():
        call_command("generate_content", pages=0, papers=0, leads=0, events=9, stdout=io.StringIO())

    generate()
    generate()

    generated = EventPage.objects.filter(slug__startswith="genere-")
    assert generated.count() == 9
    assert all(event.live and event.first_date and event.session_count for event in generated)
    assert EventSession.objects.filter(page__in=generated).count() == 2 * 4 + 7
    assert Page.find_problems() == ([], [], [], [], [])
    assert client.get("/agenda/genere-4/").status_code == 200
    assert client.get("/agenda/").status_code == 200
    # Generated events are in the search index, as edited ones.
    assert "Événement généré n° 3" in client.get("/recherche/?q=généré").content.decode()
