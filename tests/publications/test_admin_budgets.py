"""The requests' listing, the leads report and a paper's editor at scale (issue #25): at most
20 queries for the listing and the report, the same with many rows as with a few; the editor
of a paper costs the same whatever the number of requests for it."""

from django.contrib.auth.models import Group
from django.core.management import call_command

import pytest

from contacts.models import Lead
from publications.models import DownloadRequest, PaperDailyViews
from tests.factories.publications import WhitePaperPageFactory

BUDGET = 20
PASSWORD = "un mot de passe assez long"


@pytest.fixture
def lead_manager(client, django_user_model):
    user = django_user_model.objects.create_user("gestionnaire", password=PASSWORD)
    user.groups.add(Group.objects.get(name="Gestionnaires de leads"))
    client.force_login(user)
    return client


@pytest.fixture
def superuser_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("admin", password=PASSWORD))
    return client


def add_requests(papers, count, start=0):
    leads = Lead.objects.bulk_create(
        Lead(
            email=f"demande{number}@echelle.fr",
            first_name="Dominique",
            last_name=f"Échelle {number}",
            organisation="Office",
            organisation_type="esh",
            job_title="Chargé de mission",
        )
        for number in range(start, start + count)
    )
    DownloadRequest.objects.bulk_create(
        DownloadRequest(
            lead=lead,
            paper=papers[number % len(papers)],
            paper_title=papers[number % len(papers)].title,
            consent_text="oui",
            download_count=number % 3,
        )
        for number, lead in enumerate(leads)
    )
    call_command("recount_paper_totals")  # rows written in bulk, as the scale data's are


def queries(client, url, django_assert_max_num_queries, budget=BUDGET):
    client.get(url)  # what a first view does once (a user's profile…) is not counted
    with django_assert_max_num_queries(budget) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context), response


@pytest.mark.parametrize(
    "url", ["/admin/demandes/", "/admin/demandes/?paper={paper}", "/admin/rapport-leads/"]
)
def test_requests_and_report_cost_the_same_with_three_times_the_rows(
    lead_manager, catalogue, django_assert_max_num_queries, url
):
    papers = [WhitePaperPageFactory(parent=catalogue, title=f"Livre {n}") for n in range(3)]
    url = url.format(paper=papers[0].pk)
    add_requests(papers, 60)
    few, _ = queries(lead_manager, url, django_assert_max_num_queries)

    papers += [WhitePaperPageFactory(parent=catalogue, title=f"Livre {n}") for n in range(3, 9)]
    add_requests(papers, 180, start=60)
    many, _ = queries(lead_manager, url, django_assert_max_num_queries)

    assert many == few


def test_the_report_counts_requests_and_downloads_per_paper(lead_manager, catalogue):
    papers = [WhitePaperPageFactory(parent=catalogue, title=f"Livre {n}") for n in range(2)]
    add_requests(papers, 6)  # three requests each; download counts 0, 1, 2, 0, 1, 2
    PaperDailyViews.objects.create(paper=papers[0], day="2026-01-05", views=30)

    response = lead_manager.get("/admin/rapport-leads/")

    rows = {row.title: row for row in response.context["papers"]}
    assert rows["Livre 0"].requests == 3 and rows["Livre 0"].views == 30
    assert rows["Livre 0"].downloads == 0 + 2 + 1  # numbers 0, 2, 4
    assert rows["Livre 0"].downloaded_requests == 2
    assert rows["Livre 1"].requests == 3 and rows["Livre 1"].downloads == 1 + 0 + 2


def test_a_papers_editor_costs_the_same_whatever_its_requests(
    superuser_client, paper, django_assert_max_num_queries
):
    url = f"/admin/pages/{paper.pk}/edit/"
    add_requests([paper], 5)
    few, response = queries(superuser_client, url, django_assert_max_num_queries, budget=60)
    assert "Un livre blanc" in response.content.decode()

    add_requests([paper], 100, start=5)
    many, _ = queries(superuser_client, url, django_assert_max_num_queries, budget=60)

    assert many == few


@pytest.mark.parametrize(
    "params",
    [
        {"paper": "9" * 30},
        {"paper": "\x00"},
        {"paper": "١٢"},
        {"p": "\x00"},
        {"q": "\ufeff" * 3000},
    ],
)
def test_hostile_query_strings_break_no_request_listing(
    lead_manager, paper, django_assert_max_num_queries, params
):
    add_requests([paper], 3)

    with django_assert_max_num_queries(BUDGET):
        response = lead_manager.get("/admin/demandes/", params)

    assert response.status_code == 200
    if "q" not in params:  # the list unfiltered, the filter refused (a search finds nobody)
        assert "Dominique" in response.content.decode()
