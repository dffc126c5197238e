"""A person opens their preferences page from the link at the foot of a mail, withdraws the
news consent in one click and downloads what the site holds on them."""

import json
import re

from django.db import transaction

from playwright.sync_api import expect

from contacts import consent
from contacts.models import ConsentEvent, OutboundEmail
from contacts.services import ask_news
from publications.services import queue_download_link
from tests.e2e.conftest import visitor_leads
from tests.factories.publications import DownloadRequestFactory, LeadFactory

from .a11y import assert_no_axe_violations

EMAIL = "camille.martin@oph-exemple.fr"


def test_a_person_withdraws_the_news_and_downloads_their_data(page, site_url, settings):
    settings.WAGTAILADMIN_BASE_URL = site_url  # mailed links point to the live server
    with transaction.atomic():
        lead = LeadFactory(email=EMAIL, first_name="Camille", last_name="Martin")
        ask_news(lead)
        consent.confirm_news(lead)
        lead.refresh_from_db()
        download = DownloadRequestFactory(lead=lead, paper_title="Habiter demain")
        queue_download_link(download)
    body = OutboundEmail.objects.get(kind="publications.download_link").body
    assert "Actualités du club : acceptées (confirmé le" in body
    link = re.search(re.escape(site_url) + r"/donnees/mes-donnees/[^/\s]+/", body)[0]

    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes données et mes choix")
    expect(page.locator("#news-state")).to_contain_text("acceptées")
    assert_no_axe_violations(page, "the preferences page")

    page.get_by_role("button", name="Ne plus recevoir les actualités").click()
    expect(page.get_by_role("status")).to_contain_text("est retiré")
    expect(page.locator("#news-state")).to_contain_text("accord retiré le")
    lead.refresh_from_db()
    assert lead.news_opt_in is False and lead.news_withdrawn_at is not None
    assert lead.consent_events.filter(
        action=ConsentEvent.Action.WITHDRAWN, channel=ConsentEvent.Channel.PREFERENCES
    ).exists()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Mes données (JSON)").click()
    data = json.loads(download_info.value.path().read_text(encoding="utf-8"))
    assert data["Vos coordonnées"][0]["e-mail"] == EMAIL
    assert data["Vos coordonnées"][0]["actualités acceptées (confirmées)"] is False
    assert [row["livre blanc"] for row in data["Demandes de livres blancs"]] == ["Habiter demain"]
    assert [row["action"] for row in data["Actualités du club"]][-1] == "retiré"
    assert visitor_leads().count() >= 1
