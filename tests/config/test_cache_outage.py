"""A failing, slow or full cache never takes a page down (issue #16), and nobody can fill it.

Each test starts its own ``redis-server`` on a free port (never the machine's shared one) and
points the project's Redis backend at it, as production settings do with REDIS_URL."""

import re
import time

from django.test import Client

import pytest
import redis

from contacts.models import ContactSettings
from events.models import EventPrice
from home.models import SiteSettings
from publications.models import DownloadRequest
from tests.factories.events import EventIndexPageFactory, EventPageFactory, session
from tests.publications.conftest import VALID_FORM, hidden
from tests.servers import REDIS_SERVER, PrivateRedis, cached_by, free_port

pytestmark = pytest.mark.skipif(REDIS_SERVER is None, reason="redis-server is not installed")

# Long enough for the connection pool to give up on the stopped server and reconnect.
BACKOFF = 2.1


@pytest.fixture
def server(settings):
    server = PrivateRedis(free_port())
    server.start()
    cached_by(settings, server)
    yield server
    server.stop()


@pytest.fixture
def full_server(settings):
    server = PrivateRedis(free_port(), "--maxmemory", "4mb", "--maxmemory-policy", "noeviction")
    server.start()
    cached_by(settings, server)
    yield server
    server.stop()


@pytest.fixture
def site(home, standard_page, catalogue, paper):
    SiteSettings.load()
    ContactSettings.load()
    agenda = EventIndexPageFactory(parent=home)
    event = EventPageFactory(
        parent=agenda,
        slug="atelier",
        registration_mode="site",
        capacity=20,
        sessions=[session(10)],
        prices=[EventPrice(audience="Tous", amount=None)],
    )
    return {
        "home": "/",
        "standard page": standard_page.url,
        "catalogue": catalogue.url,
        "white paper": paper.url,
        "agenda": agenda.url,
        "event": event.url,
        "search": "/recherche/?q=livre",
    }


def request_the_paper(paper_url, email):
    """A new visitor asks for the paper and downloads it. Returns the PDF's response, whose
    ``download_path`` is the gated link."""
    visitor = Client()
    page = visitor.get(paper_url)
    assert page.status_code == 200
    data = {**VALID_FORM, "email": email, "started": hidden(page.content.decode(), "started")}
    posted = visitor.post(paper_url, data)
    assert posted.status_code == 302, posted.content.decode()[:500]
    thank_you = visitor.get(posted["Location"])
    assert thank_you.status_code == 200
    download = re.search(r'href="(/telechargement/[^"]+)"', thank_you.content.decode())[1]
    response = visitor.get(download)
    response.download_path = download
    return response


def test_with_redis_stopped_every_page_answers_and_a_lead_is_stored(server, site, client):
    for path in site.values():
        client.get(path)
        assert client.get(path)["X-Page-Cache"] == "hit", path

    server.stop()
    started = time.monotonic()
    for name, path in site.items():
        assert client.get(path).status_code == 200, name
    assert time.monotonic() - started < 5  # no page waits for Redis
    download = request_the_paper(site["white paper"], "panne@oph-exemple.fr")

    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert DownloadRequest.objects.filter(lead__email="panne@oph-exemple.fr").exists()
    health = client.get("/healthz")
    assert health.status_code == 200
    assert health.json()["cache"] == "down" and health.json()["database"] == "ok"


def test_once_redis_is_back_pages_are_cached_again(server, site, client):
    client.get(site["standard page"])
    server.stop()
    assert client.get(site["standard page"]).status_code == 200

    server.start()  # the same port, empty
    time.sleep(BACKOFF)

    client.get(site["standard page"])
    for path in site.values():
        client.get(path)
        assert client.get(path)["X-Page-Cache"] == "hit", path
    assert client.get("/healthz").json()["cache"] == "ok"


def test_the_rate_limit_still_holds_per_worker_with_redis_stopped(server, site, settings):
    settings.LEAD_FORM_RATE = "2/h"
    server.stop()
    visitor = Client()
    page = visitor.get(site["white paper"])
    data = {**VALID_FORM, "started": hidden(page.content.decode(), "started")}

    statuses = [
        visitor.post(site["white paper"], {**data, "email": f"p{n}@oph-exemple.fr"}).status_code
        for n in range(3)
    ]

    assert statuses == [302, 302, 429]


def fill(server, prefix):
    """Writes to Redis until it refuses: full, for the next write of any size."""
    writer = server.client()
    with pytest.raises(redis.exceptions.OutOfMemoryError):
        for n in range(10_000):
            writer.set(f"{prefix}:{n}", b"x" * 10_000)
    with pytest.raises(redis.exceptions.OutOfMemoryError):
        for n in range(10_000):
            writer.set(f"{prefix}:small:{n}", b"x")


def test_a_full_redis_refusing_writes_serves_every_page(full_server, site, client):
    fill(full_server, "lest")

    for name, path in site.items():
        assert client.get(path).status_code == 200, name
    download = request_the_paper(site["white paper"], "plein@oph-exemple.fr")
    assert download.status_code == 200
    # Keys that expired meanwhile (a slow machine) may have made room: full again, then ask.
    fill(full_server, "again")
    assert client.get("/healthz").json()["cache"] == "full"


def test_junk_query_strings_add_no_cache_entries(server, site, client):
    pages = [site[name] for name in ("home", "standard page", "white paper", "event")]
    pages += [site["catalogue"], site["agenda"]]
    for path in pages:
        client.get(path)
        client.get(path)
    before = server.client().dbsize()

    served = []
    for n in range(1000):
        path = pages[n % len(pages)]
        junk = f"x{n}={n}&utm_source=lettre{n}" if n % 2 else f"page={10_000 + n}&annee=abc{n}"
        if path in (site["catalogue"], site["agenda"]) or n % 2:
            served.append(client.get(f"{path}?{junk}").status_code)
        else:
            served.append(client.get(f"{path}?{junk}")["X-Page-Cache"])

    assert set(served) <= {200, "hit"}
    assert server.client().dbsize() == before


def test_a_papers_form_keeps_the_utm_tags_of_its_address(server, site):
    Client().get(site["white paper"])  # cached without any tag
    visitor = Client()

    page = visitor.get(f"{site['white paper']}?utm_source=lettre&utm_campaign=mars")

    assert page["X-Page-Cache"] == "hit"
    assert "utm_source=lettre&amp;utm_campaign=mars#demande" in page.content.decode()


def test_the_gated_pdf_is_never_served_from_or_kept_in_the_page_cache(server, site, paper):
    pdf = paper.pdf.open("rb").read()

    first = request_the_paper(site["white paper"], "gate@oph-exemple.fr")
    again = Client().get(first.download_path)  # the mailed link, opened elsewhere

    for response in (first, again):
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == pdf
        assert "X-Page-Cache" not in response
    redis_client = server.client()
    values = [redis_client.get(key) for key in redis_client.scan_iter(_type="string")]
    assert values  # the pages around it were kept
    assert not any(pdf in value for value in values if value)
