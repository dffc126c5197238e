"""A visitor with a member's address registers for the seed cycle and sees the member price
applied; a visitor whose organisation is not a member meets a member-only event's explanation
and asks for an exception, which the club's staff receive."""

import re

from django.contrib.auth.models import Group

from playwright.sync_api import expect

from contacts.models import (
    Membership,
    Organisation,
    OrganisationDomain,
    OutboundEmail,
    StaffNotificationPreference,
)
from events.models import EventPage, Registration

from .a11y import assert_no_axe_violations
from .test_registration_journey import CYCLE_PATH, upcoming_cycle  # noqa: F401


def register_of_members(year):
    member = Organisation.objects.create(name="OPH Démo Adhérent")
    OrganisationDomain.objects.create(organisation=member, domain="oph-demo-adherent.fr")
    Membership.objects.create(organisation=member, year=year)
    other = Organisation.objects.create(name="Habitat Démo")
    OrganisationDomain.objects.create(organisation=other, domain="habitat-demo.fr")
    return member, other


def fill_contact(page, email, organisation):
    # The booker's own fields come first, before the colleagues' rows (collapsed).
    page.get_by_label("Prénom").first.fill("Marie")
    page.get_by_label(re.compile(r"^\s*Nom\b")).first.fill("Dupont")
    page.get_by_label("E-mail professionnel").first.fill(email)
    page.get_by_label(re.compile(r"^\s*Organisme\b")).fill(organisation)


def test_a_members_address_gets_the_member_price(page, site_url, upcoming_cycle):  # noqa: F811
    register_of_members(upcoming_cycle.first_date.year)
    page.goto(site_url + CYCLE_PATH + "inscription/")
    # The form says which price applies before the visitor sends it.
    expect(
        page.get_by_text(re.compile(r"Adhérent\s*:\s*500.*appliqué si votre adresse"))
    ).to_be_visible()

    fill_contact(page, "marie.dupont@direction.oph-demo-adherent.fr", "OPH Démo Adhérent")
    page.get_by_label("Type d'organisme").select_option("oph")
    page.get_by_label("Fonction").first.fill("Directrice de la proximité")
    page.get_by_label(re.compile("J.ai pris connaissance")).check()
    page.get_by_role("button", name="Je m'inscris").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Votre inscription est confirmée")
    expect(page.get_by_text(re.compile(r"Tarif\s*:\s*Adhérent\s*:\s*500"))).to_be_visible()
    expect(
        page.get_by_text("votre organisme, OPH Démo Adhérent, est adhérent du club")
    ).to_be_visible()
    assert_no_axe_violations(page, "the thank-you page with the member price")
    registration = Registration.objects.get()
    assert registration.membership == "member" and registration.is_member


def test_a_non_member_asks_for_an_exception_to_a_member_only_event(
    page,
    site_url,
    upcoming_cycle,  # noqa: F811
    django_user_model,
):
    register_of_members(upcoming_cycle.first_date.year)
    cycle = EventPage.objects.get(pk=upcoming_cycle.pk)
    cycle.members_only = True
    cycle.save()
    manager = django_user_model.objects.create_user("gestionnaire", email="equipe@club.example")
    manager.groups.add(Group.objects.get(name="Gestionnaires de leads"))
    StaffNotificationPreference.objects.create(user=manager, frequency="daily")

    page.goto(site_url + CYCLE_PATH)
    expect(page.get_by_text("Réservé aux adhérents du club.")).to_be_visible()
    # The page's own call, not the phone's register bar that repeats it.
    page.get_by_role("region", name="Inscription").get_by_role(
        "link", name=re.compile("^S'inscrire")
    ).click()
    fill_contact(page, "marie.dupont@habitat-demo.fr", "Habitat Démo")
    page.get_by_label("Type d'organisme").select_option("esh")
    page.get_by_label("Fonction").first.fill("Directrice")
    page.get_by_label(re.compile("J.ai pris connaissance")).check()
    page.get_by_role("button", name="Je m'inscris").click()

    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Votre organisme, Habitat Démo, n'est pas adhérent du club")
    assert_no_axe_violations(page, "the member-only refusal")
    alert.get_by_role("link", name="Demander une exception").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Demander une exception")
    fill_contact(page, "marie.dupont@habitat-demo.fr", "Habitat Démo")
    page.get_by_label("Votre message").fill("Notre adhésion est votée pour l'an prochain.")
    assert_no_axe_violations(page, "the exception request form")
    page.get_by_role("button", name="Envoyer ma demande").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Votre demande a été envoyée")
    assert_no_axe_violations(page, "the exception request sent")
    sent = OutboundEmail.objects.get(kind="events.exception_request")
    assert sent.to == "equipe@club.example"
    assert "Notre adhésion est votée pour l'an prochain." in sent.body
    assert Registration.objects.count() == 0
