"""The organisations in the admin: the register's listing (columns, filters, search, a fixed
number of queries), an organisation's page (its years, domains, people and what they did),
lead managers who read it without editing it, and a lead attached or detached by hand, which
the automatic matching then keeps."""

import csv
import io

from django.utils import timezone

import pytest
from openpyxl import load_workbook

from contacts import organisations, services
from contacts.models import Lead, OrganisationLink
from events.models import Registration
from tests.factories.publications import LeadFactory

from .conftest import organisation, visible_text

LIST = "/admin/snippets/contacts/organisation/"


def inspect_url(org):
    return f"{LIST}inspect/{org.pk}/"


def names_in(response):
    text = visible_text(response)
    return {name for name in ("Habitat Exemple", "Autre Office", "Coop Sud") if name in text}


@pytest.fixture
def register_(known):
    year = timezone.localdate().year
    coop = organisation("Coop Sud", organisation_type="coop", siren="732829320", years=[year])
    return known, coop


# --- The listing ---------------------------------------------------------------------------


def test_the_listing_shows_the_register(manager_client, register_):
    response = manager_client.get(LIST)

    assert response.status_code == 200
    text = visible_text(response)
    for heading in ["Nom", "Type", "SIREN", "Adhérent cette année", "Domaines", "Personnes"]:
        assert heading in text
    assert "Habitat Exemple ESH 552100554" in text
    assert "habitat-exemple.fr" in text
    # Habitat Exemple: a member in 2025 and 2026 (this year), three people attached.
    assert f'href="{inspect_url(register_[0].organisation)}"' in response.content.decode()


def test_filters_by_type_and_membership_year(manager_client, register_):
    year = timezone.localdate().year
    assert names_in(manager_client.get(LIST, {"organisation_type": "coop"})) == {"Coop Sud"}
    assert names_in(manager_client.get(LIST, {"member_in": "2025"})) == {"Habitat Exemple"}
    assert names_in(manager_client.get(LIST, {"member_in": str(year)})) == {
        "Habitat Exemple",
        "Coop Sud",
    }
    page = visible_text(manager_client.get(LIST))
    assert "Adhérent en" in page


@pytest.mark.parametrize(
    ("term", "found"),
    [
        ("exemple", {"Habitat Exemple"}),
        ("HabEx", {"Habitat Exemple"}),
        ("552 100 554", {"Habitat Exemple"}),
        ("autre-office.fr", {"Autre Office"}),
        ("Coop", {"Coop Sud"}),
        ("rien du tout", set()),
    ],
)
def test_search_by_name_siren_or_domain(manager_client, register_, term, found):
    assert names_in(manager_client.get(LIST, {"q": term})) == found


@pytest.mark.parametrize("term", ["\x00", "a\x00b", "é" * 5000, "\u202e\ufeff", "%_\\"])
def test_hostile_searches_break_nothing(manager_client, register_, term):
    assert manager_client.get(LIST, {"q": term}).status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        {"member_in": "abc"},
        {"member_in": "9" * 40},
        {"member_in": "\x00"},
        {"organisation_type": "<script>"},
        {"ordering": "\x00"},
        {"p": "9" * 40},
    ],
)
def test_hostile_filters_break_nothing(manager_client, register_, query):
    assert manager_client.get(LIST, query).status_code in (200, 404)


def test_sorted_by_name(manager_client, register_):
    text = visible_text(manager_client.get(LIST, {"ordering": "-name"}))
    assert text.index("Habitat Exemple") < text.index("Coop Sud") < text.index("Autre Office")


def test_the_listing_takes_a_fixed_number_of_queries(
    manager_client, register_, django_assert_max_num_queries
):
    for number in range(35):
        org = organisation(
            f"Office {number:02d}", domains=[f"office{number}.fr", f"o{number}.fr"], years=[2026]
        )
        LeadFactory(email=f"x{number}@office{number}.fr", linked_organisation=org)
    with django_assert_max_num_queries(15):
        response = manager_client.get(LIST)
    assert "Office 34" in visible_text(response) or "Office 00" in visible_text(response)


def test_lead_managers_read_the_register_but_do_not_edit_it(manager_client, register_):
    org = register_[0].organisation
    assert manager_client.get(f"{LIST}edit/{org.pk}/").status_code in (302, 403)
    assert manager_client.get(f"{LIST}add/").status_code in (302, 403)
    assert manager_client.post(f"{LIST}delete/{org.pk}/").status_code in (302, 403)
    assert org.__class__.objects.filter(pk=org.pk).exists()
    assert "Organisations" in manager_client.get("/admin/").content.decode()


def test_superusers_edit_the_register(client, make_user, register_):
    client.force_login(make_user("admin", superuser=True))
    org = register_[0].organisation
    assert client.get(f"{LIST}edit/{org.pk}/").status_code == 200


# --- An organisation's page ----------------------------------------------------------------


def test_an_organisations_page(manager_client, known):
    response = manager_client.get(inspect_url(known.organisation))

    assert response.status_code == 200
    text = visible_text(response)
    assert "Adhérent en 2026, 2025" in text
    assert "habitat-exemple.fr" in text
    assert "Personnes rattachées (3)" in text
    people = text[text.index("Personnes rattachées (3)") : text.index("Demandes de livres")]
    assert "Alice Martin" in people and "Chloé Durand" in people and "Émile" not in people
    assert "par le domaine de l'adresse" in text and "par l'équipe" in text
    # All of their requests and registrations (Émile's as Habitat Exemple among them).
    assert "Demandes de livres blancs (4)" in text
    assert "Inscriptions aux événements (6)" in text
    assert "Engagement sur les 12 derniers mois" in text
    assert "séances passées" in text
    assert "/bilan/" in response.content.decode()


def test_the_last_twelve_months(manager_client, known):
    """What happened a year ago and more is not in the summary; what is recent is."""
    recent = known.alice.requests.create(paper_title="Récent", consent_text="oui")
    assert timezone.localtime(recent.created_at).date() == timezone.localdate()  # in Paris
    text = visible_text(manager_client.get(inspect_url(known.organisation)))
    summary = text[text.index("Engagement sur les 12") : text.index("Personnes rattachées (")]
    assert "Livres blancs téléchargés (demandes) 1" in summary
    assert "Inscriptions aux événements 0" in summary


def test_staff_who_see_organisations_but_not_leads_see_no_person(client, make_user, known):
    from django.contrib.auth.models import Permission

    user = make_user("editeur", group="Éditeurs")
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="contacts", codename="view_organisation")
    )
    client.force_login(user)

    response = client.get(inspect_url(known.organisation))

    assert response.status_code == 200
    text = visible_text(response)
    assert "Habitat Exemple" in text and "habitat-exemple.fr" in text
    assert "Alice" not in text and "/bilan/" not in response.content.decode()
    assert "réservées aux gestionnaires de leads" in text
    assert client.get(f"{LIST}bilan/{known.organisation.pk}/2025/").status_code in (302, 403)


def test_the_page_takes_a_fixed_number_of_queries(
    manager_client, known, django_assert_max_num_queries
):
    event = Registration.objects.filter(lead=known.alice).first().event
    for number in range(40):
        lead = LeadFactory(
            email=f"p{number}@habitat-exemple.fr", linked_organisation=known.organisation
        )
        lead.requests.create(paper_title=f"Livre {number}", consent_text="oui")
        Registration.objects.create(event=event, lead=lead, status="confirmed", consent_text="oui")
    with django_assert_max_num_queries(28):
        response = manager_client.get(inspect_url(known.organisation))
    text = visible_text(response)
    assert "Personnes rattachées (43)" in text
    assert "Les 20 plus récentes sur 44" in text


# --- A lead attached by hand ----------------------------------------------------------------


def lead_url(lead):
    return f"/admin/leads/inspect/{lead.pk}/"


def test_a_leads_page_shows_its_organisation_and_suggestions(manager_client, known):
    lead = LeadFactory(email="zoe@gmail.com", organisation="Autre Office")

    text = visible_text(manager_client.get(lead_url(lead)))
    assert "Organisme rattaché" in text
    assert "ne correspond à aucun organisme" in text
    assert "Rattacher à Autre Office" in text

    text = visible_text(manager_client.get(lead_url(known.alice)))
    assert "Habitat Exemple , par le domaine de l'adresse" in text
    assert "Détacher de Habitat Exemple" in text


def test_attach_and_detach_by_hand_and_the_matching_keeps_it(manager_client, known):
    alice = known.alice

    response = manager_client.post(
        f"/admin/leads/{alice.pk}/rattacher/", {"organisation": known.other.pk}
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert (alice.linked_organisation, alice.organisation_link) == (
        known.other,
        OrganisationLink.STAFF,
    )
    organisations.attach_all()
    services.save_lead(
        {
            "email": alice.email,
            "first_name": "Alice",
            "last_name": "Martin",
            "organisation": "Habitat Exemple",
            "organisation_type": "esh",
            "job_title": "Directrice",
            "phone": "",
        }
    )
    alice.refresh_from_db()
    assert alice.linked_organisation == known.other

    manager_client.post(f"/admin/leads/{alice.pk}/detacher/")
    organisations.attach_all()
    alice.refresh_from_db()
    assert (alice.linked_organisation, alice.organisation_link) == (
        None,
        OrganisationLink.DETACHED,
    )
    assert "détaché par l'équipe" in visible_text(manager_client.get(lead_url(alice)))


def test_attaching_needs_a_post_the_permission_and_a_real_organisation(
    client, manager_client, make_user, known
):
    url = f"/admin/leads/{known.alice.pk}/rattacher/"
    assert manager_client.get(url).status_code == 405
    manager_client.post(url, {"organisation": "\x00abc"})
    manager_client.post(url, {"organisation": "999999"})
    assert manager_client.post(url, {"organisation": "9" * 40}).status_code == 302
    assert manager_client.post(url, {"organisation": "٣"}).status_code == 302  # a digit, not ASCII
    known.alice.refresh_from_db()
    assert known.alice.organisation_link == OrganisationLink.DOMAIN
    client.force_login(make_user("editrice", group="Éditeurs"))
    assert client.post(url, {"organisation": known.other.pk}).status_code in (302, 403)
    assert Lead.objects.get(pk=known.alice.pk).linked_organisation == known.organisation


def test_a_leads_page_takes_a_fixed_number_of_queries(
    manager_client, known, django_assert_max_num_queries
):
    lead = LeadFactory(email="zoe@gmail.com", organisation="Office")
    for number in range(30):
        organisation(f"Office {number:02d}", domains=[f"office{number}.fr"])
    with django_assert_max_num_queries(16):
        text = visible_text(manager_client.get(lead_url(lead)))
    assert "Rattacher à Office 00" in text and "Office 29" in text


def test_the_leads_list_shows_the_organisation_in_fixed_queries(
    manager_client, known, django_assert_max_num_queries
):
    for number in range(30):
        org = organisation(f"Office {number:02d}")
        LeadFactory(email=f"z{number}@office{number}.fr", linked_organisation=org)
    with django_assert_max_num_queries(14):
        text = visible_text(manager_client.get("/admin/leads/"))
    assert "Organisme rattaché" in text and "Habitat Exemple" in text and "Office 07" in text


# --- Exports gain the organisation -----------------------------------------------------------


def read_csv(response):
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(content), delimiter=";"))


def test_the_leads_export_has_the_organisation_columns(manager_client, known):
    rows = {
        row["E-mail"]: row
        for row in read_csv(manager_client.get("/admin/leads/", {"export": "csv"}))
    }
    alice = rows["alice@habitat-exemple.fr"]
    assert alice["Organisme rattaché"] == "Habitat Exemple"
    assert alice["Type (registre)"] == "ESH"
    assert alice["Adhérent cette année"] == "oui"
    emile = rows["emile@autre-office.fr"]
    assert (emile["Organisme rattaché"], emile["Adhérent cette année"]) == ("Autre Office", "non")


def test_the_requests_and_registrations_exports_have_them_too(manager_client, known):
    response = manager_client.get("/admin/demandes/", {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    headings = list(rows[0])
    for heading in ["Organisme rattaché", "Type (registre)", "Adhérent cette année"]:
        assert heading in headings
    by_email = {row[headings.index("E-mail")]: row for row in rows[1:]}
    bruno = by_email["bruno@idf.habitat-exemple.fr"]
    assert bruno[headings.index("Organisme rattaché")] == "Habitat Exemple"
    assert bruno[headings.index("Adhérent cette année")] == "oui"

    rows = read_csv(manager_client.get("/admin/inscriptions/", {"export": "csv"}))
    assert {row["Organisme rattaché"] for row in rows} == {"Habitat Exemple", "Autre Office"}


def test_a_hostile_organisation_name_is_plain_text_in_the_exports(manager_client, known):
    known.organisation.name = "=cmd|'/c calc'!A1\x1b"
    known.organisation.save()
    rows = read_csv(manager_client.get("/admin/leads/", {"export": "csv"}))
    names = {row["Organisme rattaché"] for row in rows}
    assert "'=cmd|'/c calc'!A1" in names


def test_exports_keep_a_fixed_number_of_queries(
    manager_client, known, django_assert_max_num_queries
):
    for number in range(30):
        org = organisation(f"Office {number}", years=[timezone.localdate().year])
        LeadFactory(email=f"y{number}@x{number}.fr", linked_organisation=org)
    with django_assert_max_num_queries(10):
        response = manager_client.get("/admin/leads/", {"export": "csv"})
        rows = read_csv(response)
    assert len(rows) == 34
