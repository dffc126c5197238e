"""Rate limits read the client's address correctly behind one trusted proxy."""

from django.test import RequestFactory

import pytest

from contacts.client_ip import client_ip
from tests.services import needs_redis


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.7", "10.0.0.1"),  # no proxy configured: the header is ignored
        (1, "203.0.113.7", "203.0.113.7"),  # the proxy's entry
        (1, "1.2.3.4, 203.0.113.7", "203.0.113.7"),  # a forged entry on the left is skipped
        (1, "", "10.0.0.1"),  # a direct connection
        (1, "pas-une-adresse", "10.0.0.1"),
        (2, "1.2.3.4, 203.0.113.7, 10.0.0.9", "203.0.113.7"),
    ],
)
def test_client_ip(settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)

    assert client_ip(request) == expected


def test_a_forged_forwarded_for_does_not_reset_the_limit(client, paper, form_data, settings):
    from publications.models import DownloadRequest

    settings.TRUSTED_PROXY_COUNT = 1
    settings.LEAD_FORM_RATE = "2/h"
    statuses = [
        client.post(
            paper.url,
            form_data(email=f"p{n}@oph-exemple.fr"),
            # The client writes a new address each time; the proxy appends the real one.
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}, 203.0.113.7",
        ).status_code
        for n in range(3)
    ]

    assert statuses == [302, 302, 429]
    assert DownloadRequest.objects.count() == 2


@needs_redis
def test_limits_are_shared_by_every_worker_through_redis(client, paper, form_data, settings):
    """Two workers are two processes with two cache clients: the count lives in Redis."""
    from django.core.cache import caches

    from publications.models import DownloadRequest

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/15",
            "KEY_PREFIX": "club-test",
        }
    }
    settings.PAGE_CACHE_LOCAL_ALIAS = None
    settings.LEAD_FORM_RATE = "2/h"
    caches["default"].clear()
    try:
        first = client.post(paper.url, form_data(email="a@oph-exemple.fr")).status_code
        # Another worker: a new cache client, the same Redis.
        del caches["default"]
        second = client.post(paper.url, form_data(email="b@oph-exemple.fr")).status_code
        del caches["default"]
        third = client.post(paper.url, form_data(email="c@oph-exemple.fr")).status_code
    finally:
        caches["default"].clear()

    assert (first, second, third) == (302, 302, 429)
    assert DownloadRequest.objects.count() == 2
