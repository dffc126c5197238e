"""The database drops every connection (as in a restart): the site serves again at once, and no
request that was answered with a download is missing. PostgreSQL only."""

import http.cookiejar
import re
import urllib.parse
import urllib.request

from django.db import connection

import psycopg
import pytest

from publications.models import DownloadRequest
from tests.factories.publications import WhitePaperPageFactory

from .conftest import VALID_FORM

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def request_the_paper(live_server, paper, email):
    """A visitor on the live server: reads the form, then posts it. Returns the status."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect()
    )
    url = live_server.url + paper.url
    html = opener.open(url).read().decode()

    def hidden(name):
        return re.search(rf'name="{name}" value="([^"]*)"', html).group(1)

    data = {
        **VALID_FORM,
        "email": email,
        "csrfmiddlewaretoken": hidden("csrfmiddlewaretoken"),
        "started": hidden("started"),
    }
    request = urllib.request.Request(  # noqa: S310 - the live server's URL
        url, data=urllib.parse.urlencode(data).encode(), headers={"Referer": url}
    )
    try:
        return opener.open(request).status
    except urllib.error.HTTPError as error:
        return error.code


def drop_every_connection():
    settings = connection.settings_dict
    with psycopg.connect(
        host=settings["HOST"],
        port=settings["PORT"],
        user=settings["USER"],
        dbname="postgres",
        autocommit=True,
    ) as admin:
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            [settings["NAME"]],
        )


def test_the_site_serves_again_after_the_database_drops_its_connections(live_server, catalogue):
    paper = WhitePaperPageFactory(parent=catalogue, slug="panne")
    assert request_the_paper(live_server, paper, "avant@oph-exemple.fr") == 302

    drop_every_connection()

    # Django checks its connection at the start of each request (CONN_HEALTH_CHECKS) and
    # opens a new one: the very next visitor is served.
    assert request_the_paper(live_server, paper, "apres@oph-exemple.fr") == 302
    connection.close()  # this test's own connection was dropped too
    emails = set(DownloadRequest.objects.values_list("lead__email", flat=True))
    assert emails == {"avant@oph-exemple.fr", "apres@oph-exemple.fr"}
