"""What visitors do purges nothing (issue #16): a registration, a cancellation and the
promotion it causes leave the page cache's generation as it was and call no CDN, while the
event's page, still served from the cache, shows the seats as they are."""

from unittest import mock

from django.core import mail
from django.test import Client

import pytest

from wagtail.contrib.frontend_cache.backends import BaseBackend

from contacts.models import ContactSettings
from events.models import Registration
from home.models import SiteSettings
from pagecache import store as page_cache
from tests.factories.events import EventPageFactory, session

from .conftest import visible_text
from .test_registration import cancel_link, prices
from .test_registration import register as register  # the fixture, shared


class RecordingBackend(BaseBackend):
    """A CDN that only writes down what it was asked to purge."""

    purged = []

    def purge(self, url):
        self.purged.append(url)


@pytest.fixture
def cdn(settings):
    settings.WAGTAILFRONTENDCACHE = {
        "test": {"BACKEND": f"{__name__}.RecordingBackend", "HOSTNAMES": ["localhost"]}
    }
    RecordingBackend.purged.clear()
    return RecordingBackend.purged


@pytest.fixture
def event(agenda, settings):
    settings.PAGE_CACHE_SECONDS = 600
    SiteSettings.load()  # created on first use otherwise, which purges once
    ContactSettings.load()
    return EventPageFactory(
        parent=agenda,
        slug="atelier",
        title="Revisiter la proximité",
        registration_mode="site",
        capacity=1,
        waiting_list=True,
        sessions=[session(10)],
        prices=prices(),
    )


def test_registering_cancelling_and_promoting_purge_nothing(event, register, cdn):
    visitor = Client()
    visitor.get(event.url)
    assert visitor.get(event.url)["X-Page-Cache"] == "hit"
    generation = page_cache.generation()

    register(event, email="a@oph-exemple.fr")  # the last seat
    full = visitor.get(event.url)
    assert full["X-Page-Cache"] == "hit"
    assert "liste d'attente" in visible_text(full)

    register(event, email="b@oph-exemple.fr")  # waits
    link = cancel_link(mail.outbox[0])
    with mock.patch("django.db.transaction.on_commit", lambda callback: callback()):
        Client().post(link)  # a cancels: b is offered the seat, held for them

    statuses = dict(Registration.objects.values_list("lead__email", "status"))
    assert statuses == {"a@oph-exemple.fr": "cancelled", "b@oph-exemple.fr": "offered"}
    assert page_cache.generation() == generation
    assert cdn == []
    again = visitor.get(event.url)
    assert again["X-Page-Cache"] == "hit"
    assert "liste d'attente" in visible_text(again)  # b holds the one seat


def test_the_seats_are_live_in_the_structured_data_and_the_etag(event, register):
    visitor = Client()
    first = visitor.get(event.url)
    assert '"https://schema.org/InStock"' in first.content.decode()

    register(event, email="a@oph-exemple.fr")
    repeat = visitor.get(event.url, headers={"if-none-match": first["ETag"]})

    assert repeat.status_code == 200  # not a 304 of the page with a seat left
    assert '"https://schema.org/SoldOut"' in repeat.content.decode()
    assert "__page_slot_" not in repeat.content.decode()


def test_an_editor_sees_the_seats_filled_in_too(event, editor_client):
    html = editor_client.get(event.url).content.decode()

    assert "__page_slot_" not in html
    assert "1 place restante" in " ".join(html.split())
