"""A visitor finds the seed white paper, leaves their details and gets the PDF."""

import io
import re

from playwright.sync_api import expect
from pypdf import PdfReader

from publications.forms import CONSENT_TEXT, QUICK_CONSENT_TEXT
from publications.models import DownloadRequest
from tests.e2e.conftest import visitor_leads

from .a11y import assert_no_axe_violations

TITLE = "La culture de service, un levier de la transformation des offices"
PAPER_PATH = "/livres-blancs/la-culture-de-service/"
EMAIL = "marie.dupont@oph-exemple.fr"
THANK_YOU_URL = re.compile(re.escape(PAPER_PATH) + r"merci/\?lien=")


def fill_request_form(page):
    form = page.locator("#demande")
    # Required fields' names end with crispy's asterisk ("Nom*"), hence the patterns.
    form.get_by_label("Prénom").fill("Marie")
    form.get_by_role("textbox", name=re.compile(r"^Nom\b")).fill("Dupont")
    form.get_by_label("E-mail professionnel").fill(EMAIL)
    form.get_by_role("textbox", name=re.compile(r"^Organisme\b")).fill("OPH Exemple")
    form.get_by_label("Type d'organisme").select_option(label="OPH")
    form.get_by_label("Fonction").fill("Directrice de la proximité")
    form.get_by_label(CONSENT_TEXT).check()


def submit_and_download(page, button):
    """Clicks, lands on the thank-you page, and returns the PDF's bytes and file name.

    The thank-you page starts the download by itself (meta refresh); the download event of
    that automatic start is what is awaited here.
    """
    with page.expect_download() as download_info:
        button.click()
    expect(page).to_have_url(THANK_YOU_URL)
    download = download_info.value
    assert download.failure() is None
    return download.path().read_bytes(), download.suggested_filename


def assert_is_the_seed_pdf(content, filename):
    assert filename == "la-culture-de-service.pdf"
    assert content.startswith(b"%PDF")
    assert len(PdfReader(io.BytesIO(content)).pages) == 32


def test_a_visitor_requests_and_downloads_the_white_paper(page, site_url):
    page.goto(site_url + "/")
    page.get_by_role("link", name="Tout le catalogue").click()

    expect(page).to_have_url(site_url + "/livres-blancs/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Livres blancs")
    assert_no_axe_violations(page, "the catalogue")

    page.get_by_role("link", name=TITLE).click()

    expect(page).to_have_url(site_url + PAPER_PATH)
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_text("Version PDF - 32 pages - 2018 - Français")).to_be_visible()
    request_form = page.locator("#demande")
    expect(request_form.get_by_role("heading", level=2)).to_have_text(
        "Pour recevoir ce livre blanc, merci de cliquer ci-dessous :"
    )
    assert_no_axe_violations(page, "the white paper's page and its form")

    # The call to action leads to the form.
    page.get_by_role("link", name="Obtenir le livre blanc").click()
    expect(page).to_have_url(re.compile(r"#demande$"))
    expect(request_form.get_by_role("heading", level=2)).to_be_in_viewport()
    submit = request_form.get_by_role("button", name="Obtenir le livre blanc")

    # Sent empty: errors, announced and tied to their fields.
    submit.click()
    expect(request_form.get_by_role("alert")).to_contain_text("Le formulaire contient")
    expect(request_form.get_by_label("Prénom")).to_have_attribute("aria-invalid", "true")
    assert_no_axe_violations(page, "the form sent empty")
    assert not visitor_leads().exists()

    fill_request_form(page)
    content, filename = submit_and_download(page, submit)

    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    # The address masked, as on the expired link's page.
    expect(page.get_by_text("m•••@oph-exemple.fr")).to_be_visible()
    expect(page.get_by_text(EMAIL)).to_have_count(0)
    assert_is_the_seed_pdf(content, filename)
    assert_no_axe_violations(page, "the thank-you page")

    # The fallback link, for browsers that do not follow the automatic start, serves it too.
    with page.expect_download() as again:
        page.get_by_role("link", name=re.compile(r"^Télécharger le PDF")).click()
    assert again.value.path().read_bytes() == content

    lead = visitor_leads().get()
    assert (lead.email, lead.first_name, lead.last_name) == (EMAIL, "Marie", "Dupont")
    assert (lead.organisation, lead.organisation_type) == ("OPH Exemple", "oph")
    assert lead.job_title == "Directrice de la proximité"
    assert lead.news_opt_in is False
    download_request = DownloadRequest.objects.get()
    assert download_request.lead == lead
    assert download_request.paper.title == TITLE
    assert download_request.consent_text == CONSENT_TEXT
    assert download_request.page_url.endswith(PAPER_PATH)
    assert download_request.download_count == 2


def test_a_returning_visitor_gets_the_paper_in_one_click(page, site_url):
    page.goto(site_url + PAPER_PATH)
    fill_request_form(page)
    submit_and_download(page, page.locator("#demande").get_by_role("button"))

    page.goto(site_url + PAPER_PATH)
    request_form = page.locator("#demande")
    expect(request_form).to_contain_text(
        f"Vous êtes Marie Dupont ({EMAIL}), de OPH Exemple.", use_inner_text=True
    )
    expect(request_form.get_by_label("Prénom")).to_have_count(0)
    expect(request_form).to_contain_text(QUICK_CONSENT_TEXT)
    assert_no_axe_violations(page, "the one-click form")

    content, filename = submit_and_download(
        page, request_form.get_by_role("button", name="Obtenir le livre blanc")
    )

    assert_is_the_seed_pdf(content, filename)
    # Same lead; a second request for the same paper within minutes reuses the first one.
    assert visitor_leads().count() == 1
    download_request = DownloadRequest.objects.get()
    assert download_request.download_count == 2
