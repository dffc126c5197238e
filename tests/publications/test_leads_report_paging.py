"""The leads report pages its papers, most asked first, on totals kept as requests and
downloads happen; the requests list's paper is chosen in the page chooser (issue #25)."""

from django.contrib.auth.models import Group
from django.core.management import call_command

import pytest

from contacts.models import Lead
from publications.models import DownloadRequest
from tests.factories.publications import WhitePaperPageFactory

BUDGET = 20
PASSWORD = "un mot de passe assez long"
REPORT = "/admin/rapport-leads/"


@pytest.fixture
def manager(django_user_model):
    from django.test import Client

    user = django_user_model.objects.create_user("gestionnaire", password=PASSWORD)
    user.groups.add(Group.objects.get(name="Gestionnaires de leads"))
    client = Client()  # not the visitor's: the report is read beside the visitor's session
    client.force_login(user)
    return client


@pytest.fixture
def download_link(client, submit):
    """The thank-you page's link after a request sent through the form."""
    return client.get(submit()["Location"]).context["download_url"]


def asked(papers, counts):
    """``counts[i]`` requests for ``papers[i]``, written in bulk then counted by the command
    (as the scale data and generated content are)."""
    requests = []
    for paper, count in zip(papers, counts, strict=True):
        for number in range(count):
            lead = Lead(email=f"{paper.slug}-{number}@oph-exemple.fr", last_name="Échelle")
            requests.append((lead, paper, number))
    Lead.objects.bulk_create(lead for lead, _, _ in requests)
    DownloadRequest.objects.bulk_create(
        DownloadRequest(
            lead=lead,
            paper=paper,
            paper_title=paper.title,
            consent_text="oui",
            download_count=number % 2,
        )
        for lead, paper, number in requests
    )
    call_command("recount_paper_totals")


def titles(response):
    return [row.title for row in response.context["papers"]]


def test_a_request_and_its_downloads_reach_the_report_as_they_happen(
    client, manager, paper, download_link
):
    client.get(download_link)
    client.get(download_link)  # the same request downloaded twice: one downloaded request

    row = manager.get(REPORT).context["papers"][0]

    assert (row.title, row.requests, row.downloads, row.downloaded_requests) == (
        "Un livre blanc",
        1,
        2,
        1,
    )
    assert row.views >= 1  # the form's page was read before it was sent
    assert row.download_rate == 100
    assert sum(bar.count for bar in row.weekly) == 1


def test_a_paper_only_viewed_is_in_the_report_without_requests(client, manager, paper):
    client.get(paper.url)

    rows = manager.get(REPORT).context["papers"]

    assert [(row.title, row.views, row.requests) for row in rows] == [("Un livre blanc", 1, 0)]
    assert rows[0].download_rate is None


def test_the_report_pages_the_papers_most_asked_first(manager, catalogue):
    papers = [WhitePaperPageFactory(parent=catalogue, title=f"Livre {n:02}") for n in range(30)]
    asked(papers, [n + 1 for n in range(30)])  # « Livre 29 » the most asked, with 30

    first = manager.get(REPORT)
    second = manager.get(REPORT, {"p": 2})

    assert titles(first) == [f"Livre {n:02}" for n in range(29, 4, -1)]
    assert titles(second) == [f"Livre {n:02}" for n in range(4, -1, -1)]
    assert [row.requests for row in second.context["papers"]] == [5, 4, 3, 2, 1]
    html = first.content.decode()
    assert "Page 1 sur 2" in html and "30 livres blancs" in html
    assert 'href="?p=2"' in html
    assert "Livre 04" not in html  # the second page's papers are not drawn on the first


def test_a_page_number_that_is_not_one_shows_the_first_page(manager, catalogue):
    asked([WhitePaperPageFactory(parent=catalogue, title="Livre")], [2])

    for value in ("\x00", "9" * 30, "deux", "-1"):
        response = manager.get(REPORT, {"p": value})
        assert response.status_code == 200
        assert titles(response) in (["Livre"], [])  # first or last page, never an error


def queries(client, url, django_assert_max_num_queries):
    client.get(url)  # what a first view does once (a user's profile…) is not counted
    with django_assert_max_num_queries(BUDGET) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context)


@pytest.mark.parametrize("url", [REPORT, f"{REPORT}?p=2"])
def test_the_report_costs_the_same_with_ten_times_the_papers(
    manager, catalogue, django_assert_max_num_queries, url
):
    papers = [WhitePaperPageFactory(parent=catalogue, title=f"Livre {n}") for n in range(30)]
    asked(papers, [2] * 30)
    few = queries(manager, url, django_assert_max_num_queries)

    papers += [WhitePaperPageFactory(parent=catalogue, title=f"Autre {n}") for n in range(270)]
    asked(papers[30:], [3] * 270)
    many = queries(manager, url, django_assert_max_num_queries)

    assert many == few
    assert len(manager.get(url).context["papers"]) == 25


# --- The requests list's paper, chosen in the page chooser -------------------------------------


def test_the_requests_filter_offers_a_chooser_not_every_paper(manager, catalogue):
    papers = [WhitePaperPageFactory(parent=catalogue, title=f"Livre {n}") for n in range(40)]
    asked(papers[:2], [1, 1])

    html = manager.get("/admin/demandes/").content.decode()

    assert "Choisissez une page (Livre blanc)" in html
    assert "Livre 39" not in html  # no option per paper


def test_a_chosen_paper_narrows_the_list_and_is_shown_chosen(manager, catalogue):
    chosen, other = (WhitePaperPageFactory(parent=catalogue, title=t) for t in ("Choisi", "Autre"))
    asked([chosen, other], [2, 3])

    response = manager.get("/admin/demandes/", {"paper": chosen.pk})

    html = response.content.decode()
    assert response.status_code == 200
    assert [row.paper_id for row in response.context["object_list"]] == [chosen.pk] * 2
    assert "Choisi" in html  # the chooser's title and the active filter's chip


@pytest.mark.parametrize("value", ["abc", "\x00", "9" * 30, "١٢", "{catalogue}"])
def test_a_value_that_is_no_paper_leaves_the_list_unfiltered(manager, catalogue, paper, value):
    asked([paper], [2])

    response = manager.get("/admin/demandes/", {"paper": value.format(catalogue=catalogue.pk)})

    assert response.status_code == 200
    assert len(response.context["object_list"]) == 2  # the filter refused, not an error
