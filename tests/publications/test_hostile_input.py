"""Hostile input on the white-paper form (issue #16): what a visitor sends is cleaned at one point
before it is stored, refused in French where refusing is right, and never breaks a later step.
Run on PostgreSQL too (DATABASE_URL), which refuses NUL in text."""

import re
import unicodedata
from datetime import timedelta
from unittest import mock
from urllib.parse import parse_qs, urlencode, urlsplit

from django.core.cache import cache
from django.test import Client
from django.utils import timezone

import pytest

from contacts.cleaning import CONTROL_CHARACTERS
from contacts.forms import ALREADY_SENT, EXPIRED_FORM, NO_PUBLIC_DOMAIN, TOO_FAST
from contacts.models import Lead
from publications import services
from publications.models import DownloadRequest

from .conftest import VALID_FORM, hidden

HOSTILE_UTM = {
    "utm_source": "news\x00letter",
    "utm_medium": "e\x01mail\x7f",
    "utm_campaign": "promo\x01",
    "utm_term": "cafe\u0301\x1b[31m",  # a decomposed "é" and an ANSI escape
    "utm_content": "\u202egnp.exe\x00",  # a right-to-left override
}


def is_clean(value):
    return value == unicodedata.normalize("NFC", value) and not any(
        unicodedata.category(char) == "Cc" or char == "\u202e" for char in value
    )


def stored_values():
    lead = Lead.objects.get()
    request = DownloadRequest.objects.get()
    lead_fields = ("first_name", "last_name", "email", "organisation", "job_title", "phone")
    request_fields = ("referrer", "page_url", *HOSTILE_UTM)
    return [getattr(lead, name) for name in lead_fields] + [
        getattr(request, name) for name in request_fields
    ]


def test_a_lead_with_control_characters_everywhere_is_stored_clean_and_served(
    client, paper, form_data, django_capture_on_commit_callbacks
):
    data = form_data(
        # Whitespace controls in one-line fields become spaces; a decomposed accent is composed.
        first_name="He\u0301le\u0300ne\t",
        last_name="Du\r\npont\x0b",
        email="Helene.Dupont@oph-exemple.fr",
        organisation="OPH\x0cde  l'Exemple",
        job_title="Directrice\n de la proximite\u0301",
        referrer="https://exemple.fr/\x00page\x01?\u202eutm",
    )
    url = f"{paper.url}?{urlencode(HOSTILE_UTM)}"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data, headers={"referer": "https://x.fr/\x00"})

    assert response.status_code == 302
    lead = Lead.objects.get()
    assert (lead.first_name, lead.last_name) == ("Hélène", "Du pont")
    assert lead.organisation == "OPH de l'Exemple"
    assert lead.job_title == "Directrice de la proximité"
    request = DownloadRequest.objects.get()
    assert request.utm_campaign == "promo"
    assert request.utm_source == "news letter"
    assert request.utm_term == "café [31m"
    assert request.referrer == "https://exemple.fr/ page ?utm"
    assert all(is_clean(value) for value in stored_values())

    # Every later step works: the thank-you page, the download, the leads export.
    thank_you = client.get(response["Location"])
    assert thank_you.status_code == 200
    download = client.get(thank_you.context["download_url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")


@pytest.mark.parametrize("name", ["Ma\x01rie", "Ma\x00rie", "Marie\x7f", "Ma\u202erie"])
def test_a_name_with_a_control_character_is_refused_in_french(submit, nothing_stored, name):
    response = submit(first_name=name)

    assert response.status_code == 200
    assert CONTROL_CHARACTERS in response.content.decode()
    assert nothing_stored()


def test_a_utm_parameter_cannot_overflow_its_column(client, paper, form_data):
    client.post(f"{paper.url}?{urlencode({'utm_campaign': 'é' * 5000})}", form_data())

    assert DownloadRequest.objects.get().utm_campaign == "é" * 100


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/x-www-form-urlencoded; charset=utf-16", "utf-16"),
        ("application/x-www-form-urlencoded; charset=utf-16", "ascii"),
        ("application/x-www-form-urlencoded; charset=latin-1", "ascii"),
        ("application/x-www-form-urlencoded", "not-utf-8"),
        ("multipart/form-data; boundary=x; charset=utf-16", "ascii"),
    ],
)
def test_a_body_that_is_not_utf8_gets_the_french_400(paper, nothing_stored, content_type, body):
    # A browser's client, with the CSRF check on: Django's own 400 view re-reads the body.
    browser = Client(enforce_csrf_checks=True)
    html = browser.get(f"{paper.url}?formulaire=complet").content.decode()
    fields = {
        **VALID_FORM,
        "started": hidden(html, "started"),
        "csrfmiddlewaretoken": hidden(html, "csrfmiddlewaretoken"),
    }
    encoded = {
        "utf-16": urlencode(fields).encode("utf-16"),
        "ascii": urlencode(fields).encode(),
        "not-utf-8": urlencode(fields).encode() + b"&first_name=%FF%FE\xff",
    }[body]

    response = browser.generic("POST", paper.url, encoded, content_type=content_type)

    assert response.status_code == 400
    assert "Requête non valable" in response.content.decode()
    assert nothing_stored()


@pytest.mark.parametrize("email", ["a@localhost", "a@[127.0.0.1]", "a@[::1]"])
def test_an_address_without_a_public_domain_is_refused_in_french(submit, nothing_stored, email):
    response = submit(email=email)

    assert response.status_code == 200
    assert NO_PUBLIC_DOMAIN in response.content.decode()
    assert nothing_stored()


# --- The fill-time token ------------------------------------------------------------------------


def test_a_replayed_token_is_refused(client, paper, form_data):
    data = form_data()
    first = client.post(paper.url, data)
    replays = [
        client.post(paper.url, {**data, "email": f"bot{n}@oph-exemple.fr"}) for n in range(3)
    ]

    assert first.status_code == 302
    assert all(replay.status_code == 200 for replay in replays)
    assert all(ALREADY_SENT in replay.content.decode() for replay in replays)
    assert Lead.objects.count() == 1
    assert DownloadRequest.objects.count() == 1


def test_a_refused_replay_can_be_sent_again_with_the_fresh_token_it_got(client, paper, form_data):
    data = form_data()
    client.post(paper.url, data)
    refused = client.post(paper.url, {**data, "email": "collegue@oph-exemple.fr"})
    fresh = hidden(refused.content.decode(), "started")

    again = client.post(paper.url, {**data, "email": "collegue@oph-exemple.fr", "started": fresh})

    assert again.status_code == 302
    assert Lead.objects.count() == 2


def test_the_same_person_sending_the_same_form_twice_gets_the_same_request(
    client, paper, form_data
):
    data = form_data()
    first = client.post(paper.url, data)
    second = client.post(paper.url, {**data, "email": data["email"].upper()})

    assert first.status_code == second.status_code == 302
    assert DownloadRequest.objects.count() == 1
    assert linked_request(first) == linked_request(second) == DownloadRequest.objects.get()


def linked_request(response):
    token = parse_qs(urlsplit(response["Location"]).query)["lien"][0]
    return services.read_download_token(token)


def test_a_token_from_another_papers_form_is_refused(client, catalogue, paper, form_data):
    from tests.factories.publications import WhitePaperPageFactory

    other = WhitePaperPageFactory(parent=catalogue, slug="un-autre", title="Un autre")
    response = client.post(other.url, form_data())

    assert response.status_code == 200
    assert EXPIRED_FORM in response.content.decode()
    assert DownloadRequest.objects.count() == 0


def test_too_fast_names_the_reason_not_fields(client, paper, form_data, settings):
    settings.LEAD_FORM_MIN_SECONDS = 60
    response = client.post(paper.url, form_data())

    html = response.content.decode()
    assert TOO_FAST in html
    assert "champs signalés" not in html
    assert DownloadRequest.objects.count() == 0


def test_a_field_fixed_after_an_error_can_be_sent_again_at_once(client, paper, form_data, settings):
    settings.LEAD_FORM_MIN_SECONDS = 1
    data = form_data()
    with mock.patch("time.time", return_value=timezone.now().timestamp() + 1.5):
        # Sent 1.5 s after the page was shown, with a typo: the form comes back.
        wrong = client.post(paper.url, {**data, "email": "marie.dupont@"})
        html = wrong.content.decode()
        # Fixed and sent again at once.
        fixed = client.post(paper.url, {**data, "started": hidden(html, "started")})

    assert wrong.status_code == 200
    assert "corrigez les champs signalés" in html
    assert fixed.status_code == 302
    assert DownloadRequest.objects.count() == 1


def test_with_the_cache_down_a_token_is_still_accepted(client, paper, form_data, settings):
    settings.RATELIMIT_ENABLE = False
    data = form_data()
    with mock.patch.object(cache, "add", side_effect=ConnectionError("cache down")):
        response = client.post(paper.url, data)

    assert response.status_code == 302
    assert DownloadRequest.objects.count() == 1


# --- Slot markers and the thank-you page --------------------------------------------------------


def test_a_search_for_a_slot_marker_shows_no_csrf_token(client, home):
    response = client.get("/recherche/", {"q": "__page_slot_csrf__ ___page_slot_csrf__"})

    html = response.content.decode()
    value = re.search(r'<input[^>]*name="q"[^>]*value="([^"]*)"', html)[1]
    assert value == "_page_slot_csrf__ _page_slot_csrf__"
    assert "__page_slot_" not in html
    assert re.search(r"[A-Za-z0-9]{64}", value) is None


def test_a_slot_marker_in_the_referrer_is_never_filled(client, paper):
    response = client.get(
        f"{paper.url}?formulaire=complet", headers={"referer": "https://x.fr/__page_slot_csrf__"}
    )

    assert hidden(response.content.decode(), "referrer") == "https://x.fr/_page_slot_csrf__"


def test_the_thank_you_page_shown_twice_gives_the_same_link_and_masks_the_address(
    client, paper, submit
):
    thank_you_url = submit()["Location"]
    first = client.get(thank_you_url)
    second = client.get(thank_you_url)

    assert first.context["download_url"] == second.context["download_url"]
    html = first.content.decode()
    assert "m•••@oph-exemple.fr" in html
    assert VALID_FORM["email"] not in html


def test_an_old_link_keeps_its_expiry_on_the_thank_you_page(client, paper, submit):
    submit()
    request = DownloadRequest.objects.get()
    signed_at = timezone.now() - timedelta(days=6, hours=23)
    with mock.patch("django.core.signing.time.time", return_value=signed_at.timestamp()):
        token = services.make_download_token(request)
    thank_you_url = paper.url + paper.reverse_subpage("thank_you") + f"?lien={token}"

    response = client.get(thank_you_url)

    assert response.context["download_url"].endswith(f"/{token}/")
    # Valid for one more hour, not seven days from now.
    expires = timezone.localtime(signed_at + timedelta(days=7))
    shown = re.search(r"valable jusqu'au ([^.]*)\.", response.content.decode())[1]
    assert shown.startswith(f"{expires.day} ")
    assert shown.endswith(f"{expires:%H}h{expires:%M}")
