"""Our Redis cache backend (config.redis_cache), against the Redis of the machine when there
is one: ``incr`` keeps Django's contract in one round trip."""

import secrets

import pytest

from config.redis_cache import ReusingRedisCache
from tests.services import needs_redis

pytestmark = needs_redis


@pytest.fixture
def cache():
    cache = ReusingRedisCache(
        "redis://127.0.0.1:6379/15", {"KEY_PREFIX": f"club-test-{secrets.token_hex(4)}"}
    )
    yield cache
    cache.clear()


def round_trips(cache, monkeypatch):
    client = cache._cache.get_client(write=True)
    calls = []
    original = client.execute_command

    def counted(*args, **kwargs):
        calls.append(args[0])
        return original(*args, **kwargs)

    monkeypatch.setattr(client, "execute_command", counted)
    return calls


def test_incr_counts_in_one_round_trip(cache, monkeypatch):
    cache.set("vues", 0)
    cache.incr("vues")  # loads the script, if Redis does not have it yet
    calls = round_trips(cache, monkeypatch)

    assert cache.incr("vues") == 2
    assert cache.incr("vues", 5) == 7
    assert cache.decr("vues", 3) == 4
    assert calls == ["EVALSHA", "EVALSHA", "EVALSHA"]
    assert cache.get("vues") == 4


def test_incr_of_a_missing_key_raises_and_creates_nothing(cache):
    with pytest.raises(ValueError, match="not found"):
        cache.incr("absente")

    assert cache.get("absente") is None


def test_incr_still_works_after_redis_forgets_its_scripts(cache):
    cache.set("vues", 1)
    cache.incr("vues")
    cache._cache.get_client(write=True).script_flush()

    assert cache.incr("vues") == 3
