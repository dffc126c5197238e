"""Without Redis, a cached paper's views are tallied in the process for a moment and written
in one UPDATE (issue #25): none is lost, the report and the command write them first."""

from django.core.management import call_command
from django.db.models import Sum

import pytest

from publications.models import PaperDailyViews
from publications.services import page_views


def stored_views(paper):
    return PaperDailyViews.objects.filter(paper=paper).aggregate(total=Sum("views"))["total"] or 0


@pytest.fixture
def tallied(settings):
    settings.PAGE_VIEWS_TALLY_SECONDS = 3600
    yield
    page_views.flush_tally()


def test_views_wait_in_the_tally_then_are_all_written(client, paper, tallied):
    for _ in range(5):
        assert client.get(paper.url).status_code == 200

    assert stored_views(paper) == 0  # no database write per view

    call_command("flush_page_views")

    assert stored_views(paper) == 5


def test_the_report_writes_the_tally_first(client, paper, tallied, admin_client):
    client.get(paper.url)
    client.get(paper.url)

    response = admin_client.get("/admin/rapport-leads/")

    assert response.status_code == 200
    assert stored_views(paper) == 2
    assert [row.views for row in response.context["papers"]] == [2]


def test_the_tally_is_written_once_its_time_is_up(client, paper, settings):
    settings.PAGE_VIEWS_TALLY_SECONDS = 0.000001
    client.get(paper.url)
    client.get(paper.url)  # the second view finds the tally old enough: both are written

    assert stored_views(paper) == 2
