"""The news consent kept and provable: the box asks, a mailed link confirms (double opt-in),
a withdrawal is recorded and never undone by a later form; every mail to a lead carries a
receipt and the link to their preferences page; a news mail carries RFC 8058's one-click
unsubscribe, which works without a session."""

import csv
import io
import re
from datetime import timedelta

from django.core import signing
from django.test import Client

import pytest

from contacts import consent
from contacts.models import ConsentEvent, ExportLog, Lead
from contacts.services import ask_news
from publications.models import DownloadRequest
from tests.factories.publications import LeadFactory
from tests.publications.conftest import VALID_FORM, hidden

LINK = re.compile(r"http://testserver(/donnees/actualites/confirmer/[^/\s]+/)")


@pytest.fixture
def form_data(client, paper):
    def make(**changes):
        response = client.get(f"{paper.url}?formulaire=complet")
        data = {**VALID_FORM, "started": hidden(response.content.decode(), "started"), **changes}
        return {key: value for key, value in data.items() if value is not None}

    return make


@pytest.fixture
def submit(client, paper, form_data, django_capture_on_commit_callbacks):
    """Posts the white paper's form and runs what waits for the commit (its mails)."""

    def post(**changes):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(paper.url, form_data(**changes))

    return post


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """A request (the expired link's "new link") whose mails go out at its commit."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def confirmation_links(inbox):
    return [
        LINK.search(message.get_body(("plain",)).get_content())[1]
        for message in inbox.received()
        if message["Subject"] == "Confirmez votre inscription aux actualités du club"
    ]


def test_ticking_the_box_mails_one_confirmation_and_subscribes_nobody(smtp_inbox, submit, paper):
    submit(news_opt_in="on")
    submit(news_opt_in="on")  # a second form at once: still one link

    lead = Lead.objects.get()
    assert lead.news_opt_in is False and lead.news_asked_at is not None
    assert len(confirmation_links(smtp_inbox)) == 1
    (message,) = [m for m in smtp_inbox.received() if m["Subject"].startswith("Confirmez")]
    assert message["To"] == "marie.dupont@oph-exemple.fr"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert (
        message["List-Unsubscribe"].strip().startswith("<http://testserver/donnees/desinscription/")
    )
    # The form's own ask is kept on the request; the exports read the confirmed state.
    assert DownloadRequest.objects.filter(news_opt_in=True).count() >= 1


def test_the_link_shows_a_button_confirms_once_and_says_so_again(smtp_inbox, submit, client):
    submit(news_opt_in="on")
    (path,) = confirmation_links(smtp_inbox)

    page = client.get(path)
    assert page.status_code == 200
    assert "Je confirme mon inscription" in page.content.decode()
    assert Lead.objects.get().news_opt_in is False  # a GET (a mail scanner) confirms nothing

    strict = Client(enforce_csrf_checks=True)
    assert strict.post(path).status_code == 403  # the button's form carries its CSRF token

    first = client.post(path)
    second = client.post(path)
    assert "Votre inscription aux actualités est confirmée" in first.content.decode()
    assert "Votre inscription aux actualités est confirmée" in second.content.decode()
    lead = Lead.objects.get()
    assert lead.news_opt_in is True and lead.news_confirmed_at is not None
    actions = list(lead.consent_events.values_list("action", flat=True))
    assert actions == ["asked", "confirmed"]


def test_an_expired_link_confirms_nothing_and_offers_a_new_one(
    smtp_inbox, submit, client, settings, on_commit
):
    submit(news_opt_in="on")
    (path,) = confirmation_links(smtp_inbox)
    # Older than the links' lifetime: as if NEWS_CONFIRM_MAX_AGE_DAYS had passed.
    Lead.objects.update(news_asked_at=Lead.objects.get().news_asked_at - timedelta(days=8))
    settings.NEWS_CONFIRM_MAX_AGE_DAYS = -1

    expired = client.get(path)
    assert expired.status_code == 410
    assert "Ce lien de confirmation a expiré" in expired.content.decode()
    assert client.post(path).status_code == 410
    assert Lead.objects.get().news_opt_in is False

    token = path.rstrip("/").rsplit("/", 1)[1]
    with on_commit():
        again = client.post(f"/donnees/actualites/nouveau-lien/{token}/")
    assert again.status_code == 200
    assert len(confirmation_links(smtp_inbox)) == 2

    settings.NEWS_CONFIRM_MAX_AGE_DAYS = 7
    client.post(confirmation_links(smtp_inbox)[1])
    assert Lead.objects.get().news_opt_in is True


@pytest.mark.parametrize(
    "token",
    [
        "abc",
        "x" * 5000,
        "%00",
        "a%00b:c:d",
        signing.dumps({"l": "not-a-uuid"}, salt="contacts.news-confirm"),
        signing.dumps({"l": "00000000-0000-0000-0000-000000000000"}, salt="contacts.news-confirm"),
        signing.dumps([1, 2], salt="contacts.news-confirm"),
        signing.dumps("x", salt="another.salt"),
    ],
    # Stable ids: a signed token holds the time, and pytest-xdist's workers must collect the
    # same names.
    ids=[
        "short",
        "huge",
        "nul",
        "nul-inside",
        "signed-not-a-uuid",
        "signed-unknown-lead",
        "signed-list",
        "other-salt",
    ],
)
@pytest.mark.parametrize(
    "method, path",
    [
        ("get", "actualites/confirmer/{}/"),
        ("post", "actualites/confirmer/{}/"),
        ("post", "actualites/nouveau-lien/{}/"),
        ("get", "mes-donnees/{}/"),
        ("post", "mes-donnees/{}/retrait/"),
        ("post", "mes-donnees/{}/effacement/"),
        ("get", "mes-donnees/{}/mes-donnees.json"),
        ("get", "mes-donnees/{}/mes-donnees.csv"),
        ("get", "desinscription/{}/"),
        ("post", "desinscription/{}/"),
        ("get", "effacement/{}/"),
        ("post", "effacement/{}/"),
    ],
)
def test_hostile_links_get_a_french_404_never_a_500(client, db, method, path, token):
    response = getattr(client, method)("/donnees/" + path.format(token))
    assert response.status_code == 404
    assert "Ce lien n'est pas valable" in response.content.decode()


def test_a_withdrawal_is_recorded_and_a_new_form_asks_again(smtp_inbox, submit, client):
    submit(news_opt_in="on")
    client.post(confirmation_links(smtp_inbox)[0])
    lead = Lead.objects.get()

    page = client.post(f"/donnees/mes-donnees/{consent.preferences_token(lead)}/retrait/")
    assert "Votre accord pour recevoir les actualités du club est retiré" in page.content.decode()
    lead.refresh_from_db()
    withdrawn_at = lead.news_withdrawn_at
    assert lead.news_opt_in is False and withdrawn_at is not None

    # Ticked again on a later form: a new double opt-in, never a subscription by itself.
    submit(news_opt_in="on")
    lead.refresh_from_db()
    assert lead.news_opt_in is False and lead.news_withdrawn_at == withdrawn_at
    assert len(confirmation_links(smtp_inbox)) == 2
    assert list(lead.consent_events.values_list("action", flat=True)) == [
        "asked",
        "confirmed",
        "withdrawn",
        "asked",
    ]


def test_one_click_unsubscribe_works_without_session_is_idempotent_and_is_exported(
    smtp_inbox, submit, client, django_user_model
):
    submit(news_opt_in="on")
    client.post(confirmation_links(smtp_inbox)[0])
    (message,) = [m for m in smtp_inbox.received() if m["Subject"].startswith("Confirmez")]
    url = message["List-Unsubscribe"].strip().strip("<>").removeprefix("http://testserver")

    mail_client = Client(enforce_csrf_checks=True)  # no session, no CSRF token: a mail client
    for _ in range(2):
        response = mail_client.post(
            url,
            "List-Unsubscribe=One-Click",
            content_type="application/x-www-form-urlencoded",
        )
        assert response.status_code == 200
        assert "Vous êtes désinscrit des actualités du club" in response.content.decode()

    lead = Lead.objects.get()
    assert lead.news_opt_in is False
    assert lead.consent_events.filter(action="withdrawn").count() == 1
    assert lead.consent_events.get(action="withdrawn").channel == "one_click"

    staff = django_user_model.objects.create_superuser("gestionnaire", password="x" * 20)
    client.force_login(staff)
    export = client.get("/admin/leads/?export=csv")
    rows = list(csv.reader(io.StringIO(b"".join(export).decode("utf-8-sig")), delimiter=";"))
    header, row = rows[0], rows[1]
    assert row[header.index("Actualités acceptées")] == "non"
    assert row[header.index("Actualités retirées le")] != ""
    assert row[header.index("Actualités confirmées le")] != ""
    inspect = client.get(f"/admin/leads/inspect/{lead.pk}/").content.decode()
    assert "historique du consentement" in inspect
    assert "désinscription en un clic (messagerie)" in inspect


def test_every_mail_to_a_lead_carries_its_receipt_and_preferences_link(smtp_inbox, submit, client):
    submit()

    (message,) = smtp_inbox.received()  # the download link: no news asked, no confirmation
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Actualités du club : refusées." in text
    assert "Vos coordonnées nous ont été transmises le" in text
    assert "Vos choix" in html
    path = re.search(r"http://testserver(/donnees/mes-donnees/[^/\s]+/)", text)[1]
    page = client.get(path)
    assert page.status_code == 200
    assert "marie.dupont@oph-exemple.fr" in page.content.decode()
    # The download link is not a news mail: no unsubscribe headers.
    assert message["List-Unsubscribe"] is None


def test_existing_single_opt_ins_are_kept_and_marked_as_such(db):
    """The migration's choice (contacts 0005): run it again on a lead of before."""
    from importlib import import_module

    from django.apps import apps

    migration = import_module("contacts.migrations.0005_consent_lifecycle")
    lead = LeadFactory(news_opt_in=True)
    other = LeadFactory(news_opt_in=False)

    migration.keep_single_opt_ins(apps, None)

    lead.refresh_from_db()
    other.refresh_from_db()
    assert lead.news_opt_in is True and lead.news_confirmed_at == lead.updated_at
    assert lead.consent_events.get().action == ConsentEvent.Action.LEGACY
    assert other.news_confirmed_at is None and not other.consent_events.exists()


def test_asking_twice_within_the_hour_mails_once(db, django_capture_on_commit_callbacks):
    lead = LeadFactory()
    with django_capture_on_commit_callbacks(execute=False):
        assert ask_news(lead) is not None
        assert ask_news(lead) is None
    assert ExportLog.objects.count() == 0


def test_the_requests_listing_shows_the_confirmed_consent(client, db, django_user_model, paper):
    from tests.factories.publications import DownloadRequestFactory

    asked = DownloadRequestFactory(paper=paper, news_opt_in=True, lead__last_name="Demande")
    DownloadRequestFactory(paper=paper, news_opt_in=False, lead__news_opt_in=True)
    DownloadRequestFactory(paper=paper, lead=None)  # an erased person's request
    staff = django_user_model.objects.create_superuser("gestionnaire", password="x" * 20)
    client.force_login(staff)

    confirmed = client.get("/admin/demandes/?news_opt_in=true")
    refused = client.get("/admin/demandes/?news_opt_in=false")

    assert confirmed.status_code == refused.status_code == 200
    assert "Demande" not in confirmed.content.decode().split("<tbody")[-1]
    assert asked.lead.email in refused.content.decode()


def test_a_huge_one_click_post_is_read_as_a_signed_withdrawal(client, db):
    lead = LeadFactory(news_opt_in=True)

    response = client.post(
        f"/donnees/desinscription/{consent.unsubscribe_token(lead)}/",
        "List-Unsubscribe=One-Click&" + "x" * 5_000_000,
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    lead.refresh_from_db()
    assert lead.news_opt_in is False
