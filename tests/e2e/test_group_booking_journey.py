"""A member's colleague books the seed cycle for herself and a colleague, from a phone: the
colleagues' rows open from their disclosure (keyboard), both people are on the thank-you page
and each gets their own confirmation, with the calendar and their own link to cancel."""

import re

import pytest
from playwright.sync_api import expect

from contacts.models import Membership, Organisation, OrganisationDomain, OutboundEmail
from events.choices import MembershipCheck
from events.models import Registration

from .a11y import assert_no_axe_violations
from .test_registration_journey import CYCLE_PATH, upcoming_cycle  # noqa: F401 - the fixture

pytestmark = pytest.mark.usefixtures("upcoming_cycle")


@pytest.fixture
def member_organisation(upcoming_cycle):  # noqa: F811 - the fixture imported above
    """The booker's organisation, a member of the club for the year of the cycle."""
    member = Organisation.objects.create(name="OPH de l'Exemple")
    OrganisationDomain.objects.create(organisation=member, domain="oph-exemple.fr")
    Membership.objects.create(organisation=member, year=upcoming_cycle.first_date.year)
    return member


def test_a_visitor_books_for_herself_and_a_colleague(page, site_url, member_organisation):
    page.goto(site_url + CYCLE_PATH)
    page.locator("#inscription").get_by_role("link", name=re.compile("^S'inscrire")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Inscription")

    # The booker's own fields come first; the colleagues' rows are collapsed.
    page.get_by_label("Prénom").first.fill("Marie")
    page.get_by_label(re.compile(r"^\s*Nom\b")).first.fill("Dupont")
    page.get_by_label("E-mail professionnel").first.fill("marie.dupont@oph-exemple.fr")
    page.get_by_label(re.compile(r"^\s*Organisme\b")).fill("OPH de l'Exemple")
    page.get_by_label("Type d'organisme").select_option("oph")
    page.get_by_label("Fonction").first.fill("Directrice de la proximité")
    # A member's address: the member price is chosen from the register, nothing to tick.

    colleague = page.get_by_role("group", name="Collègue 1")
    expect(colleague).to_be_hidden()
    summary = page.locator("summary", has_text="Inscrire aussi des collègues")
    summary.focus()
    page.keyboard.press("Enter")
    expect(colleague).to_be_visible()
    assert_no_axe_violations(page, "the registration form with the colleagues' rows open")

    colleague.get_by_label("Prénom").fill("Paul")
    colleague.get_by_label(re.compile(r"^\s*Nom\b")).fill("Martin")
    colleague.get_by_label("E-mail professionnel").fill("paul.martin@gmail.com")
    colleague.get_by_label("Fonction").fill("Responsable de secteur")
    page.get_by_label(re.compile("J.ai pris connaissance")).check()
    page.get_by_role("button", name="Je m'inscris").click()

    # A public provider's address is refused for a colleague, in French, the rows left open.
    expect(page.get_by_role("alert").first).to_be_visible()
    expect(colleague).to_contain_text("adresse professionnelle de ce collègue")
    colleague.get_by_label("E-mail professionnel").fill("paul.martin@oph-exemple.fr")
    page.get_by_label(re.compile("J.ai pris connaissance")).check()
    page.get_by_role("button", name="Je m'inscris").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Votre inscription est confirmée")
    expect(page.get_by_text("Paul Martin (paul.martin@oph-exemple.fr)")).to_contain_text(
        "inscription confirmée"
    )
    assert_no_axe_violations(page, "the thank-you page of a group booking")

    registrations = Registration.objects.select_related("lead")
    assert {(r.lead.email, r.membership, r.price_label) for r in registrations} == {
        ("marie.dupont@oph-exemple.fr", MembershipCheck.MEMBER, "Adhérent : 500\u00a0€"),
        ("paul.martin@oph-exemple.fr", MembershipCheck.MEMBER, "Adhérent : 500\u00a0€"),
    }
    mails = {row.to: row for row in OutboundEmail.objects.filter(kind="events.registration")}
    assert set(mails) == {"marie.dupont@oph-exemple.fr", "paul.martin@oph-exemple.fr"}
    to_paul = mails["paul.martin@oph-exemple.fr"]
    assert "Bonjour Paul" in to_paul.body
    assert "Marie Dupont a fait votre inscription" in to_paul.body
    assert [a["filename"] for a in to_paul.attachments] == ["revisiter-la-proximite.ics"]
    links = {re.search(r"/inscriptions/annuler/\S+/", row.body).group(0) for row in mails.values()}
    assert len(links) == 2  # each person cancels only their own seat
