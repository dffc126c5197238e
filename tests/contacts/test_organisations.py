"""The register of organisations: SIREN and domain checks, which organisation an address
belongs to, membership on a date, and leads attached by domain without undoing staff's choice."""

import datetime

from django.core.exceptions import ValidationError
from django.core.management import call_command

import pytest

from contacts import organisations
from contacts.identifiers import is_public_provider, siren_is_valid, validate_domain
from contacts.models import (
    Lead,
    Membership,
    Organisation,
    OrganisationDomain,
    OrganisationLink,
)
from contacts.services import save_lead

pytestmark = pytest.mark.django_db

ON_2027 = datetime.date(2027, 3, 15)


def organisation(name, *domains, years=(), siren=""):
    org = Organisation.objects.create(name=name, siren=siren, organisation_type="oph")
    for domain in domains:
        OrganisationDomain.objects.create(organisation=org, domain=domain)
    for year in years:
        Membership.objects.create(organisation=org, year=year)
    return org


def details(email, organisation_name="OPH de l'Exemple"):
    return {
        "email": email,
        "first_name": "Claire",
        "last_name": "Martin",
        "organisation": organisation_name,
        "organisation_type": "oph",
        "job_title": "Directrice",
        "phone": "",
        "news_opt_in": False,
    }


# --- SIREN and domains ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("siren", "valid"),
    [
        ("552100554", True),
        ("732829320", True),
        ("356000000", True),  # La Poste, the one exception to the key
        ("552100555", False),  # wrong key
        ("55210055", False),  # eight digits
        ("5521005540", False),
        ("abcdefghi", False),
        ("", False),
    ],
)
def test_a_siren_has_nine_digits_and_a_right_key(siren, valid):
    assert siren_is_valid(siren) is valid


def test_staff_typing_a_siren_with_spaces_get_it_stored_as_digits():
    org = Organisation(name="Habitat Exemple", siren="552 100 554")
    org.full_clean()
    assert org.siren == "552100554"


def test_a_wrong_siren_is_refused_in_french():
    org = Organisation(name="Habitat Exemple", siren="552 100 555")
    with pytest.raises(ValidationError) as error:
        org.full_clean()
    assert "clé de contrôle" in str(error.value.message_dict["siren"])


@pytest.mark.parametrize("domain", ["gmail.com", "orange.fr", "wanadoo.fr", "sfr.fr", "free.fr"])
def test_a_public_provider_can_never_be_an_organisations_domain(domain):
    assert is_public_provider(domain)
    assert is_public_provider(f"smtp.{domain}")
    with pytest.raises(ValidationError, match="grand public"):
        validate_domain(domain)


@pytest.mark.parametrize("domain", ["habitat exemple.fr", "@", "exemple", "-x.fr", "a@b.fr"])
def test_a_domain_that_is_not_one_is_refused(domain):
    with pytest.raises(ValidationError, match="nom de domaine"):
        validate_domain(domain)


def test_a_domain_is_stored_in_lower_case_without_its_at():
    org = organisation("Habitat Exemple")
    domain = OrganisationDomain(organisation=org, domain="@Habitat-Exemple.FR")
    domain.full_clean()
    assert domain.domain == "habitat-exemple.fr"


# --- Which organisation, member when ----------------------------------------------------------


def test_an_address_belongs_to_its_domains_organisation_subdomains_too():
    org = organisation("Habitat Exemple", "habitat-exemple.fr", years=[2027])
    assert organisations.check("c.martin@habitat-exemple.fr", ON_2027).organisation == org
    found = organisations.check("c.martin@idf.Habitat-Exemple.fr", ON_2027)
    assert found.organisation == org
    assert found.is_member


def test_the_most_specific_domain_wins():
    group = organisation("Groupe Exemple", "groupe-exemple.fr")
    branch = organisation("Filiale Exemple", "sud.groupe-exemple.fr")
    assert organisations.organisation_for_email("a@sud.groupe-exemple.fr") == branch
    assert organisations.organisation_for_email("a@nord.groupe-exemple.fr") == group


def test_membership_is_for_the_year_of_the_date():
    organisation("Habitat Exemple", "habitat-exemple.fr", years=[2026])
    assert organisations.check("a@habitat-exemple.fr", datetime.date(2026, 12, 31)).is_member
    in_2027 = organisations.check("a@habitat-exemple.fr", ON_2027)
    assert in_2027.is_known
    assert not in_2027.is_member


def test_a_public_provider_or_an_unknown_domain_says_nothing():
    organisation("Habitat Exemple", "habitat-exemple.fr", years=[2027])
    public = organisations.check("claire.martin@gmail.com", ON_2027)
    assert public.public_provider
    assert not public.is_known
    unknown = organisations.check("claire@autre-bailleur.fr", ON_2027)
    assert not unknown.public_provider
    assert not unknown.is_known
    assert not unknown.is_member


def test_a_check_costs_two_queries_at_most(django_assert_max_num_queries):
    organisation("Habitat Exemple", "habitat-exemple.fr", years=[2027])
    with django_assert_max_num_queries(2):
        organisations.check("a@b.c.d.habitat-exemple.fr", ON_2027)


# --- Leads attached ------------------------------------------------------------------------------


def test_a_new_lead_is_attached_by_its_domain():
    org = organisation("Habitat Exemple", "habitat-exemple.fr")
    lead = save_lead(details("claire@habitat-exemple.fr"))
    lead.refresh_from_db()
    assert lead.linked_organisation == org
    assert lead.organisation_link == OrganisationLink.DOMAIN


def test_a_lead_at_a_public_provider_is_never_attached_by_domain():
    organisation("Habitat Exemple", "habitat-exemple.fr")
    lead = save_lead(details("claire@gmail.com", organisation_name="Habitat Exemple"))
    lead.refresh_from_db()
    assert lead.linked_organisation is None
    # Staff get a suggestion by the name the person typed instead.
    assert [org.name for org in organisations.suggestions(lead)] == ["Habitat Exemple"]


def test_staffs_choice_is_kept_by_the_matching():
    org = organisation("Habitat Exemple", "habitat-exemple.fr")
    other = organisation("Autre Bailleur")
    lead = save_lead(details("claire@habitat-exemple.fr"))
    organisations.attach(lead, other)
    save_lead(details("claire@habitat-exemple.fr"))
    organisations.attach_all()
    lead.refresh_from_db()
    assert lead.linked_organisation == other
    assert lead.organisation_link == OrganisationLink.STAFF

    organisations.attach(lead, None)  # detached by hand: not re-attached to its domain's
    save_lead(details("claire@habitat-exemple.fr"))
    organisations.attach_all()
    lead.refresh_from_db()
    assert lead.linked_organisation is None
    assert lead.organisation_link == OrganisationLink.DETACHED
    assert org.leads.count() == 0


def test_existing_leads_are_attached_by_the_command_and_detached_when_the_domain_goes():
    for number in range(5):
        save_lead(details(f"p{number}@habitat-exemple.fr"))
    save_lead(details("p@sud.habitat-exemple.fr"))
    save_lead(details("p@gmail.com"))
    assert not Lead.objects.filter(linked_organisation__isnull=False).exists()

    org = organisation("Habitat Exemple", "habitat-exemple.fr")
    assert organisations.attach_all(chunk_size=2) == 6
    assert org.leads.count() == 6
    assert organisations.attach_all(chunk_size=2) == 0  # again: nothing to change

    org.domains.all().delete()
    call_command("attach_leads")
    assert not Lead.objects.filter(linked_organisation__isnull=False).exists()
