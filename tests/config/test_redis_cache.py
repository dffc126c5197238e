"""The shared cache is django-redis, on a private ``redis-server``: ``incr`` keeps Django's
contract (what the page views' counter and the purge rely on), and an error is a miss."""

import time

from django.core.cache import caches

import pytest

from tests.config.test_cache_outage import REDIS_SERVER, PrivateRedis, cached_by, free_port

pytestmark = pytest.mark.skipif(REDIS_SERVER is None, reason="redis-server is not installed")


@pytest.fixture
def server(settings):
    server = PrivateRedis(free_port())
    server.start()
    cached_by(settings, server)
    yield server
    server.stop()


def test_incr_adds_to_a_counter(server):
    cache = caches["default"]
    cache.set("vues", 0)

    assert cache.incr("vues") == 1
    assert cache.incr("vues", 5) == 6
    assert cache.decr("vues", 3) == 3
    assert cache.get("vues") == 3


def test_incr_of_a_missing_key_raises_and_creates_nothing(server):
    cache = caches["default"]
    with pytest.raises(ValueError):
        cache.incr("absente")

    assert cache.get("absente") is None


def test_with_redis_stopped_reads_miss_and_writes_are_dropped_quickly(server):
    cache = caches["default"]
    cache.set("page", b"html")
    server.stop()

    started = time.monotonic()
    assert cache.get("page") is None
    cache.set("page", b"autre")
    assert cache.get_many(["page", "autre"]) == {}
    assert time.monotonic() - started < 2


def test_an_outage_is_logged_once_a_minute(server, caplog):
    cache = caches["default"]
    server.stop()

    with caplog.at_level("ERROR", logger="pagecache.outage.redis"):
        for _ in range(20):
            cache.get("page")

    lines = [r for r in caplog.records if r.name == "pagecache.outage.redis"]
    assert len(lines) <= 1
