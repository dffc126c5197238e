"""The minimum fill time never refuses a person (issue #16): a form the browser fills at once
(autofill) and that is sent once the minimum has passed since the page loaded goes through, and
so does one field fixed and sent again at once after an error. A minimum is on (4 s here, 2 s on
the site)."""

import time

import pytest
from playwright.sync_api import expect

from publications.models import DownloadRequest

from .conftest import DESKTOP, PHONE, visitor_leads
from .test_white_paper_journey import PAPER_PATH, THANK_YOU_URL, fill_request_form

# The site's is 2; longer here, so that a loaded machine's slowness cannot pass for it.
MIN_SECONDS = 4


def wait_until(moment):
    time.sleep(max(0, moment - time.monotonic()))


def test_a_form_filled_at_once_and_sent_after_two_seconds_is_accepted(page, site_url, settings):
    settings.LEAD_FORM_MIN_SECONDS = MIN_SECONDS
    page.goto(site_url + PAPER_PATH)
    loaded = time.monotonic()
    fill_request_form(page)  # every field at once, as autofill does

    wait_until(loaded + MIN_SECONDS)
    with page.expect_download():
        page.locator("#demande").get_by_role("button", name="Obtenir le livre blanc").click()

    expect(page).to_have_url(THANK_YOU_URL)
    assert DownloadRequest.objects.count() == 1


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_field_fixed_and_sent_again_at_once_is_accepted(page, site_url, settings, viewport):
    settings.LEAD_FORM_MIN_SECONDS = MIN_SECONDS
    page.set_viewport_size(viewport)
    page.goto(site_url + PAPER_PATH)
    loaded = time.monotonic()
    form = page.locator("#demande")
    fill_request_form(page)
    form.get_by_label("E-mail professionnel").fill("marie.dupont@")

    wait_until(loaded + MIN_SECONDS)
    form.get_by_role("button", name="Obtenir le livre blanc").click()
    expect(form.get_by_role("alert")).to_contain_text("corrigez les champs signalés")
    errored = time.monotonic()
    assert not visitor_leads().exists()

    # The visitor fixes the address and sends the form again at once.
    form = page.locator("#demande")
    form.get_by_label("E-mail professionnel").fill("marie.dupont@oph-exemple.fr")
    # Sent before the minimum could have passed again since the error page: what is checked is
    # that the form keeps its first start time, whatever the download then takes.
    assert time.monotonic() - errored < MIN_SECONDS
    with page.expect_download():
        form.get_by_role("button", name="Obtenir le livre blanc").click()

    expect(page).to_have_url(THANK_YOU_URL)
    assert DownloadRequest.objects.get().lead.email == "marie.dupont@oph-exemple.fr"
