"""Django's Redis cache, with one Redis client per connection pool instead of one per call, and
``incr`` in one round trip instead of two.

Django's RedisCacheClient.get_client() builds a new ``redis.Redis`` for every cache operation,
and redis-py fills a dict of some 170 response callbacks in each constructor: about 0.3 ms a
call, several calls a page. A client is thread-safe and only wraps its pool, so one per pool
is kept and reused.

Django's ``incr`` asks EXISTS, then INCRBY: two round trips, on every white paper's view (its
counter) and every purge. A Lua script does both in Redis, atomically: one round trip, and a
key that expires between the two can no longer be created by INCRBY as 1.

ResilientRedisCache (the one settings use) adds what a failing dependency needs: Redis down,
slow or full is a cache miss, never an error page (see its docstring).
"""

import logging
import threading
import time
from collections import defaultdict
from urllib.parse import urlsplit

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

import redis

logger = logging.getLogger(__name__)

INCR_IF_EXISTS = """
if redis.call('EXISTS', KEYS[1]) == 1 then
    return redis.call('INCRBY', KEYS[1], ARGV[1])
end
return false
"""


class ReusingRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}
        self._incr_scripts = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
            # EVALSHA, and the script loaded again if Redis has forgotten it.
            self._incr_scripts[id(client)] = client.register_script(INCR_IF_EXISTS)
        return client

    def incr(self, key, delta):
        client = self.get_client(key, write=True)
        value = self._incr_scripts[id(client)](keys=[key], args=[delta], client=client)
        if value is None:
            raise ValueError(f"Key '{key}' not found.")
        return value


class ReusingRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient


# --- A cache that is down, slow or full never fails a request ------------------------------

# While Redis is known down or full, it is not asked again for this long.
BACKOFF_SECONDS = 2.0
LOG_EVERY_SECONDS = 60.0
CACHE_ERRORS = (redis.exceptions.RedisError, OSError)


class _Health:
    """What this process knows of one Redis: shared by the threads' cache instances (Django
    makes one per thread), so that one failure spares every thread the next timeouts."""

    def __init__(self):
        self.lock = threading.Lock()
        self.down_until = 0.0  # monotonic: no call to Redis before
        self.full_until = 0.0  # monotonic: no write to Redis before (reads still go)
        self.logged_at = -LOG_EVERY_SECONDS
        self.outages = 0  # times it went from answering to not

    def failed(self, location, error):
        full = isinstance(error, redis.exceptions.OutOfMemoryError)
        with self.lock:
            now = time.monotonic()
            if full:
                self.full_until = now + BACKOFF_SECONDS
            else:
                if self.down_until <= now:
                    self.outages += 1
                self.down_until = now + BACKOFF_SECONDS
            log = now - self.logged_at >= LOG_EVERY_SECONDS
            if log:
                self.logged_at = now
        if log:  # one line a minute, not a traceback per request
            logger.error(
                "Cache %s %s (%s: %s): pages are served without it",
                location,
                "full" if full else "down",
                type(error).__name__,
                error,
            )

    def state(self):
        now = time.monotonic()
        if self.down_until > now:
            return "down"
        if self.full_until > now:
            return "full"
        return "up"


_health = defaultdict(_Health)  # per Redis server, for the whole process


def _public_name(location):
    """host:port/db of a Redis URL, without its password, for the logs."""
    parts = urlsplit(location)
    return f"{parts.hostname}:{parts.port or 6379}{parts.path}"


class ResilientRedisCache(ReusingRedisCache):
    """The Redis cache of every page and form: an error (refused, timed out, out of memory) is
    logged once a minute and answered as a miss, so the page is rendered without the cache.
    While Redis is known down it is not asked for BACKOFF_SECONDS, so a page never pays a
    timeout per call; short socket timeouts are set in OPTIONS (settings).

    ``incr`` and ``decr`` of an unreachable counter raise ValueError, Django's "no such key".
    OPTIONS ``LOCAL_FALLBACK`` (a number of entries): while Redis is away, counters and
    entries are kept in this process's memory instead, bounded (the rate limits)."""

    def __init__(self, server, params):
        params = dict(params)
        options = dict(params.get("OPTIONS", {}))
        fallback_entries = options.pop("LOCAL_FALLBACK", None)
        params["OPTIONS"] = options
        super().__init__(server, params)
        self.health = _health[self._servers[0]]
        self.name = _public_name(self._servers[0])
        self.fallback = None
        if fallback_entries:
            self.fallback = LocMemCache(
                f"redis-fallback:{id(self.health)}:{params.get('KEY_PREFIX', '')}",
                {**params, "OPTIONS": {"MAX_ENTRIES": fallback_entries}},
            )

    @property
    def state(self):
        """ "up", "down" (not answering) or "full" (refuses writes), as this process saw it."""
        return self.health.state()

    @property
    def outages(self):
        return self.health.outages

    def _call(self, name, args, kwargs, *, write, default):
        state = self.health.state()
        if state == "down" or (write and state == "full"):
            return self._unavailable(name, args, kwargs, default)
        try:
            return getattr(super(), name)(*args, **kwargs)
        except CACHE_ERRORS as error:
            self.health.failed(self.name, error)
            return self._unavailable(name, args, kwargs, default)

    def _unavailable(self, name, args, kwargs, default):
        if self.fallback is not None:
            return getattr(self.fallback, name)(*args, **kwargs)
        if isinstance(default, Exception):
            raise default
        return default(*args, **kwargs) if callable(default) else default

    def add(self, *args, **kwargs):
        return self._call("add", args, kwargs, write=True, default=False)

    def get(self, key, default=None, version=None):
        return self._call("get", (key, default, version), {}, write=False, default=default)

    def set(self, *args, **kwargs):
        return self._call("set", args, kwargs, write=True, default=None)

    def touch(self, *args, **kwargs):
        return self._call("touch", args, kwargs, write=True, default=False)

    def delete(self, *args, **kwargs):
        return self._call("delete", args, kwargs, write=False, default=False)

    def get_many(self, *args, **kwargs):
        return self._call("get_many", args, kwargs, write=False, default={})

    def has_key(self, *args, **kwargs):
        return self._call("has_key", args, kwargs, write=False, default=False)

    def incr(self, key, delta=1, version=None):
        return self._call("incr", (key, delta, version), {}, write=True, default=ValueError(key))

    def set_many(self, data, *args, **kwargs):
        return self._call(
            "set_many", (data, *args), kwargs, write=True, default=lambda data, *a, **k: list(data)
        )

    def delete_many(self, *args, **kwargs):
        return self._call("delete_many", args, kwargs, write=False, default=None)

    def clear(self):
        return self._call("clear", (), {}, write=False, default=False)
