"""The people domain's admin listings at scale (issue #25): at most 20 queries, the same with
many rows as with a few, and a count that stops at COUNT_CAP rows instead of reading them all."""

from django.contrib.auth.models import Group

import pytest

from contacts import paginator
from contacts.models import ExportLog, Lead, Organisation, OrganisationDomain
from publications.models import DownloadRequest

from .conftest import visible_text

BUDGET = 20
LEADS = "/admin/leads/"
EXPORT_LOG = "/admin/exports-leads/"
ORGANISATIONS = "/admin/snippets/contacts/organisation/"
HOSTILE = [
    {"p": "\x00"},
    {"p": "99999999999999999999999"},
    {"p": "-1"},
    {"q": "\x00\x1b" + "é" * 5000},
    {"q": "\U0001f3e0" * 300},
    {"ordering": "\x00request_count"},
    {"ordering": "password"},
    {"organisation_type": "\x00"},
]


@pytest.fixture
def lead_manager(client, make_user):
    client.force_login(make_user("gestionnaire", group="Gestionnaires de leads"))
    return client


def add_leads(count, paper=None, start=0):
    """``count`` leads, each with one or two requests, half attached to an organisation."""
    organisation = Organisation.objects.get_or_create(name="Office de l'échelle")[0]
    leads = Lead.objects.bulk_create(
        Lead(
            email=f"personne{number}@echelle.fr",
            first_name="Camille",
            last_name=f"Échelle {number}",
            organisation="Office",
            organisation_type="oph",
            job_title="Directrice",
            linked_organisation=organisation if number % 2 else None,
        )
        for number in range(start, start + count)
    )
    DownloadRequest.objects.bulk_create(
        DownloadRequest(lead=lead, paper=paper, paper_title="Livre", consent_text="oui")
        for number, lead in enumerate(leads)
        for _ in range(1 + number % 2)
    )


def add_organisations(count, start=0):
    organisations = Organisation.objects.bulk_create(
        Organisation(name=f"Organisme {number}") for number in range(start, start + count)
    )
    OrganisationDomain.objects.bulk_create(
        OrganisationDomain(organisation=organisation, domain=f"org-{organisation.pk}.fr")
        for organisation in organisations
    )


def add_export_logs(count):
    ExportLog.objects.bulk_create(
        ExportLog(username="echelle", format="csv", source="admin", row_count=number)
        for number in range(count)
    )


def queries(client, url, django_assert_max_num_queries, **params):
    with django_assert_max_num_queries(BUDGET) as context:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(context)


@pytest.mark.parametrize(
    ("url", "add"),
    [
        (LEADS, add_leads),
        (LEADS + "?ordering=-request_count", add_leads),
        (LEADS + "?organisation_type=oph&q=camille", add_leads),
        (EXPORT_LOG, add_export_logs),
        (ORGANISATIONS, add_organisations),
        (ORGANISATIONS + "?ordering=-people_count", add_organisations),
    ],
)
def test_listings_cost_the_same_queries_with_three_times_the_rows(
    lead_manager, django_assert_max_num_queries, url, add, home
):
    add(60)
    few = queries(lead_manager, url, django_assert_max_num_queries)
    if add is add_leads:
        add_leads(120, start=60)
    elif add is add_organisations:
        add_organisations(120, start=60)
    else:
        add(120)
    assert queries(lead_manager, url, django_assert_max_num_queries) == few


def test_organisations_show_how_many_people_each_holds(lead_manager, home):
    add_leads(6)  # three of them attached to « Office de l'échelle »

    text = visible_text(lead_manager.get(ORGANISATIONS, {"q": "échelle"}))

    assert "Office de l'échelle" in text
    assert text.split("Office de l'échelle", 1)[1].split()[:12].count("3") == 1


def test_past_the_cap_staff_read_more_than_and_the_pages_stop(lead_manager, monkeypatch, home):
    monkeypatch.setattr(paginator, "COUNT_CAP", 100)
    add_leads(120)

    text = visible_text(lead_manager.get(LEADS))

    assert "Plus de 100 leads" in text
    assert "Page 1 sur 2" in text
    # A page past the last one shows the last one, not an error.
    assert "Page 2 sur 2" in visible_text(lead_manager.get(LEADS, {"p": 9}))


def test_under_the_cap_the_count_is_exact(lead_manager, home):
    add_leads(7)

    response = lead_manager.get(LEADS, {"q": "camille"})

    assert "7 leads" in visible_text(response)
    assert len(response.context["object_list"]) == 7


@pytest.mark.parametrize("params", HOSTILE)
@pytest.mark.parametrize("url", [LEADS, EXPORT_LOG, ORGANISATIONS])
def test_hostile_query_strings_break_no_listing(
    lead_manager, django_assert_max_num_queries, url, params, home
):
    add_leads(3)

    with django_assert_max_num_queries(BUDGET):
        response = lead_manager.get(url, params)

    assert response.status_code in (200, 400)


def test_staff_without_the_group_see_no_lead_count(client, make_user, home):
    user = make_user("editrice")
    user.groups.add(Group.objects.get(name="Éditeurs"))
    client.force_login(user)
    add_leads(3)

    response = client.get(LEADS)

    assert response.status_code in (302, 403)
    assert "personne0@echelle.fr" not in response.content.decode()
