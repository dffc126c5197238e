from datetime import timedelta
from unittest import mock
from urllib.parse import parse_qs, urlsplit

from django.core import mail
from django.utils import timezone

import pytest

from contacts.models import Lead
from publications import services
from publications.forms import CONSENT_TEXT
from publications.models import DownloadRequest

from .conftest import VALID_FORM, hidden


def test_the_page_offers_the_form_unticked(client, paper):
    response = client.get(paper.url)

    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="csrfmiddlewaretoken"' in html
    for field in ("first_name", "last_name", "email", "organisation", "organisation_type"):
        assert f'name="{field}"' in html
    assert 'name="consent"' in html and 'name="news_opt_in"' in html
    assert "checked" not in html.split('name="news_opt_in"')[1].split(">")[0]
    assert "Collectivité territoriale" in html


def test_a_valid_request_is_stored_then_redirects_to_the_file(client, paper, submit):
    response = submit(headers={"referer": "https://www.linkedin.com/"})

    assert response.status_code == 302
    assert response["Location"].startswith(f"{paper.url}merci/?lien=")
    lead = Lead.objects.get()
    assert (lead.email, lead.first_name, lead.organisation_type) == (
        "marie.dupont@oph-exemple.fr",
        "Marie",
        "oph",
    )
    download_request = DownloadRequest.objects.get()
    assert download_request.paper == paper
    assert download_request.consent_text == CONSENT_TEXT
    assert download_request.news_opt_in is False
    assert download_request.page_url == f"http://testserver{paper.url}"


def test_utm_parameters_and_referrer_are_kept(client, paper, form_data):
    client.post(
        f"{paper.url}?utm_source=newsletter&utm_campaign=novembre",
        form_data(),
        HTTP_REFERER="https://exemple.fr/lettre",
    )

    download_request = DownloadRequest.objects.get()
    assert download_request.utm_source == "newsletter"
    assert download_request.utm_campaign == "novembre"
    assert download_request.referrer == "https://exemple.fr/lettre"


def test_the_link_is_mailed_whatever_the_news_opt_in(client, paper, submit):
    submit()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["marie.dupont@oph-exemple.fr"]
    assert "/telechargement/" in message.body
    assert paper.title in message.subject


def test_a_mail_failure_loses_nothing(client, paper, submit):
    from contacts.models import OutboundEmail

    with mock.patch("contacts.outbox.get_connection", side_effect=ConnectionRefusedError):
        response = submit()

    assert response.status_code == 302
    assert DownloadRequest.objects.count() == 1
    assert client.get(response["Location"]).status_code == 200
    mail_left = OutboundEmail.objects.get()
    assert mail_left.sent_at is None and mail_left.attempts == 1
    assert mail_left.to == "marie.dupont@oph-exemple.fr"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("email", "pas-une-adresse", "Saisissez une adresse e-mail valide"),
        ("email", "quelquun@mailinator.com", "Les adresses jetables ne sont pas acceptées"),
        ("first_name", "   ", "Ce champ est obligatoire."),
        ("organisation_type", "inconnu", "Sélectionnez un choix valide."),
        ("phone", "appelez-moi", "Saisissez un numéro de téléphone"),
        ("consent", None, "Votre accord est nécessaire pour recevoir le livre blanc."),
    ],
)
def test_bad_input_gets_the_form_back_in_french_and_stores_nothing(
    submit, nothing_stored, field, value, message
):
    response = submit(**{field: value})

    assert response.status_code == 200
    assert message in response.content.decode()
    assert nothing_stored()


def test_entered_values_are_kept_on_error(submit):
    response = submit(email="faux")

    html = response.content.decode()
    assert 'value="Marie"' in html
    assert "OPH de l&#x27;Exemple" in html


def test_a_double_click_reuses_the_same_request(client, paper, submit):
    first = submit()
    second = submit(email="MARIE.Dupont@oph-exemple.fr")

    assert Lead.objects.count() == 1
    assert DownloadRequest.objects.count() == 1
    # Both lead to that request (the links may differ: a signature carries its second).
    assert request_linked_by(first) == request_linked_by(second) == DownloadRequest.objects.get()


def request_linked_by(response):
    token = parse_qs(urlsplit(response["Location"]).query)["lien"][0]
    return services.read_download_token(token)


def test_a_request_after_ten_minutes_is_a_new_one(client, paper, submit):
    submit()
    DownloadRequest.objects.update(created_at=timezone.now() - timedelta(minutes=11))
    submit()

    assert Lead.objects.count() == 1
    assert DownloadRequest.objects.count() == 2


def test_extra_fields_are_ignored(client, paper, submit, catalogue):
    submit(
        paper="999",
        lead="1",
        consent_text="Rien accepté",
        created_at="2000-01-01",
        download_count="1000",
        public_id="00000000-0000-0000-0000-000000000000",
    )

    download_request = DownloadRequest.objects.get()
    assert download_request.paper == paper
    assert download_request.consent_text == CONSENT_TEXT
    assert download_request.download_count == 0
    assert download_request.created_at.year == timezone.now().year


def test_the_honeypot_turns_bots_away_without_storing(submit, nothing_stored):
    response = submit(website="http://spam.example")

    assert response.status_code == 400
    assert nothing_stored()
    assert "/telechargement/" not in response.content.decode()


def test_a_form_sent_too_fast_is_refused(submit, nothing_stored, settings):
    settings.LEAD_FORM_MIN_SECONDS = 60

    response = submit()

    assert response.status_code == 200
    assert "trop vite" in response.content.decode()
    assert nothing_stored()


def test_a_forged_start_time_is_refused(submit, nothing_stored):
    response = submit(started="1700000000")

    assert "Le formulaire a expiré" in response.content.decode()
    assert nothing_stored()


def test_an_oversized_post_is_refused_and_stores_nothing(client, paper, form_data, nothing_stored):
    response = client.post(paper.url, form_data(job_title="x" * 3_000_000))

    assert response.status_code == 400
    assert "Rien n'a été enregistré" in response.content.decode()
    assert nothing_stored()


def test_a_post_with_too_many_fields_is_refused_and_stores_nothing(
    client, paper, form_data, nothing_stored
):
    data = {**form_data(), **{f"champ{n}": "x" for n in range(1100)}}

    response = client.post(paper.url, data)

    assert response.status_code == 400
    assert nothing_stored()


def test_a_csrf_failure_gets_a_french_page(paper, form_data):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(paper.url, form_data())

    assert response.status_code == 403
    assert "Le formulaire a expiré" in response.content.decode()


def test_an_overlong_field_gets_a_message(submit, nothing_stored):
    response = submit(organisation="x" * 201)

    assert "Assurez-vous que cette valeur comporte au plus 200 caractères" in (
        response.content.decode()
    )
    assert nothing_stored()


def test_posts_are_rate_limited_per_address(client, paper, form_data, settings):
    settings.LEAD_FORM_RATE = "3/h"
    # Each visitor's form, with its own single-use start token.
    statuses = [
        client.post(paper.url, form_data(email=f"p{n}@oph-exemple.fr")).status_code
        for n in range(4)
    ]

    assert statuses == [302, 302, 302, 429]
    assert "Trop de demandes" in client.post(paper.url, form_data()).content.decode()
    assert DownloadRequest.objects.count() == 3


def test_csrf_is_enforced(paper, form_data):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(paper.url, form_data())

    assert response.status_code == 403
    assert DownloadRequest.objects.count() == 0


def test_a_returning_visitor_gets_a_one_click_form(client, catalogue, paper, submit):
    from tests.factories.publications import WhitePaperPageFactory

    submit(news_opt_in="on")
    other = WhitePaperPageFactory(parent=catalogue, slug="un-autre")

    page = client.get(other.url)
    assert "Vous êtes <strong>Marie Dupont</strong>" in page.content.decode()
    started = page.context["quick_form"]["started"].value()
    response = client.post(other.url, {"quick": "1", "started": started, "website": ""})

    assert response.status_code == 302
    assert Lead.objects.count() == 1
    assert DownloadRequest.objects.filter(paper=other).count() == 1
    # One click changes nothing of their choices: the news asked, awaiting its confirmation.
    lead = Lead.objects.get()
    assert lead.news_pending and lead.news_opt_in is False


def test_a_returning_visitor_can_change_their_details(client, catalogue, paper, submit):
    submit()

    response = client.get(f"{paper.url}?formulaire=complet")

    assert response.context["form"].initial["email"] == VALID_FORM["email"]
    assert "consent" not in response.context["form"].initial


def test_utm_and_referrer_survive_the_round_trip_through_the_form(client, paper):
    """The visitor arrives from a newsletter link; the form posts back to the page."""
    landing = f"{paper.url}?utm_source=lettre&utm_campaign=mars"
    page = client.get(landing, headers={"referer": "https://mail.exemple.fr/"})
    html = page.content.decode()
    assert (
        'action="/livres-blancs/un-livre-blanc/?utm_source=lettre&amp;utm_campaign=mars#demande"'
        in html
    )
    data = {**VALID_FORM, "started": hidden(html, "started"), "referrer": hidden(html, "referrer")}

    client.post(landing, data, headers={"referer": f"http://testserver{landing}"})

    download_request = DownloadRequest.objects.get()
    assert (download_request.utm_source, download_request.utm_campaign) == ("lettre", "mars")
    assert download_request.referrer == "https://mail.exemple.fr/"


def test_the_form_carries_one_csrf_token(client, paper):
    assert client.get(paper.url).content.decode().count('name="csrfmiddlewaretoken"') == 1


def test_a_database_outage_gets_a_french_503_and_stores_nothing(client, paper, form_data):
    from django.db import OperationalError

    data = form_data()
    with mock.patch(
        "publications.services.capture_request", side_effect=OperationalError("server closed")
    ):
        response = client.post(paper.url, data)

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "Service momentanément indisponible" in response.content.decode()
    assert DownloadRequest.objects.count() == 0
