"""The leads list shows each lead's number of requests and last request, and sorts on them."""

import re
from datetime import timedelta

from django.contrib.auth.models import Group
from django.utils import timezone

import pytest

from contacts.models import Lead
from publications.models import DownloadRequest
from publications.services import recount_requests
from tests.factories.publications import DownloadRequestFactory, LeadFactory

PASSWORD = "un mot de passe assez long"


@pytest.fixture
def manager_client(client, django_user_model):
    user = django_user_model.objects.create_user("gestionnaire", password=PASSWORD)
    user.groups.add(Group.objects.get(name="Gestionnaires de leads"))
    client.force_login(user)
    return client


def request_on(lead, paper, days_ago):
    request = DownloadRequestFactory(lead=lead, paper=paper)
    DownloadRequest.objects.filter(pk=request.pk).update(
        created_at=timezone.now() - timedelta(days=days_ago)
    )
    recount_requests(Lead.objects.filter(pk=lead.pk))  # the request's date changed


@pytest.fixture
def leads(paper):
    """Anne asked three times, long ago; Bruno once, yesterday; Chloé only registered."""
    anne = LeadFactory(first_name="Anne", last_name="Ancienne", email="anne@oph-exemple.fr")
    for days_ago in (300, 200, 100):
        request_on(anne, paper, days_ago)
    bruno = LeadFactory(first_name="Bruno", last_name="Récent", email="bruno@oph-exemple.fr")
    request_on(bruno, paper, 1)
    LeadFactory(first_name="Chloé", last_name="Inscrite", email="chloe@oph-exemple.fr")


def rows(response):
    """Each row of the table as its cells' text, as a staff member reads it."""
    html = response.content.decode()
    html = html[html.index('<table class="listing') :]
    table = html[html.index("<tbody") : html.index("</tbody>")]
    return [
        [
            " ".join(re.sub(r"<[^>]+>", " ", cell).split())
            for cell in re.findall(r"<td.*?</td>", row, re.S)
        ]
        for row in re.findall(r"<tr.*?</tr>", table, re.S)
    ]


def emails(response):
    return [cells[1] for cells in rows(response)]


def test_each_lead_shows_its_number_of_requests_and_its_last_one(manager_client, leads):
    response = manager_client.get("/admin/leads/")

    assert response.status_code == 200
    by_email = {cells[1]: cells for cells in rows(response)}
    last_for_anne = timezone.localtime(timezone.now() - timedelta(days=100))
    assert by_email["anne@oph-exemple.fr"][4] == "3"
    assert str(last_for_anne.year) in by_email["anne@oph-exemple.fr"][5]
    assert by_email["bruno@oph-exemple.fr"][4] == "1"
    assert by_email["chloe@oph-exemple.fr"][4] == "0"


def test_newest_request_first_and_leads_without_a_request_last(manager_client, leads):
    assert emails(manager_client.get("/admin/leads/")) == [
        "bruno@oph-exemple.fr",
        "anne@oph-exemple.fr",
        "chloe@oph-exemple.fr",
    ]
    assert emails(manager_client.get("/admin/leads/?ordering=last_request_at")) == [
        "anne@oph-exemple.fr",
        "bruno@oph-exemple.fr",
        "chloe@oph-exemple.fr",
    ]


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("request_count", ["chloe", "bruno", "anne"]),
        ("-request_count", ["anne", "bruno", "chloe"]),
    ],
)
def test_sorting_on_the_number_of_requests(manager_client, leads, ordering, expected):
    response = manager_client.get(f"/admin/leads/?ordering={ordering}")

    assert response.status_code == 200
    assert emails(response) == [f"{name}@oph-exemple.fr" for name in expected]


def test_sorting_works_with_a_search_and_a_filter(manager_client, leads):
    response = manager_client.get("/admin/leads/?q=anne&news_opt_in=false&ordering=-request_count")

    assert response.status_code == 200


def test_the_list_costs_the_same_queries_with_many_leads(
    manager_client, paper, django_assert_max_num_queries
):
    for number in range(120):
        lead = LeadFactory(email=f"personne{number}@oph-exemple.fr")
        for _ in range(number % 3 + 1):
            DownloadRequestFactory(lead=lead, paper=paper)

    for ordering in ("", "?ordering=-request_count", "?ordering=last_request_at"):
        with django_assert_max_num_queries(15):
            response = manager_client.get(f"/admin/leads/{ordering}")
        assert len(rows(response)) == 50  # one page of the 120


def test_the_counts_follow_what_a_visitor_asks_for(manager_client, paper, submit):
    # Asked, then asked again at once (a double click: one request), then ten minutes later.
    submit()
    submit()
    DownloadRequest.objects.update(created_at=timezone.now() - timedelta(minutes=11))
    recount_requests(Lead.objects.all())
    submit()

    (cells,) = rows(manager_client.get("/admin/leads/"))
    latest = timezone.localtime(DownloadRequest.objects.latest("created_at").created_at)
    assert cells[1] == "marie.dupont@oph-exemple.fr"
    assert cells[4] == "2"
    assert latest.strftime("%H:%M") in cells[5]
