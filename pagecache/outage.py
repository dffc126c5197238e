"""What a cache that is down, slow or full does: the page is served without it.

The shared cache is django-redis with IGNORE_EXCEPTIONS (an error is a miss, a write that
fails is dropped) and short socket timeouts (REDIS_TIMEOUT_SECONDS); it logs each ignored
error through the logger DJANGO_REDIS_LOGGER, which ``OncePerMinute`` thins out to one line a
minute, without the traceback. The rate limits' counters use ``FallbackCache``: Redis while
it answers, this worker's memory while it does not, so that a limit still holds.
"""

import logging
import threading
import time

from django.core.cache import caches
from django.core.cache.backends.base import BaseCache

import redis
from django_redis.exceptions import ConnectionInterrupted

LOG_EVERY_SECONDS = 60.0
CACHE_ERRORS = (ConnectionInterrupted, redis.exceptions.RedisError, OSError)

# The logger settings name as DJANGO_REDIS_LOGGER, thinned out by OncePerMinute.
logger = logging.getLogger("pagecache.outage.redis")


class OncePerMinute(logging.Filter):
    """Lets one record a minute through, as one line that says what failed."""

    def __init__(self, name=""):
        super().__init__(name)
        self.lock = threading.Lock()
        self.logged_at = -LOG_EVERY_SECONDS

    def filter(self, record):
        now = time.monotonic()
        with self.lock:
            if now - self.logged_at < LOG_EVERY_SECONDS:
                return False
            self.logged_at = now
        error = record.exc_info[1] if record.exc_info else None
        cause = getattr(error, "__cause__", None) or error
        record.msg = "Cache unavailable (%s: %s): pages are served without it"
        record.args = (type(cause).__name__, cause)
        record.exc_info = record.exc_text = None
        return True


class FallbackCache(BaseCache):
    """OPTIONS ``PRIMARY`` and ``FALLBACK`` name two cache aliases: every call goes to the
    first (a django-redis cache that raises its errors), and to the second while it fails."""

    def __init__(self, location, params):
        super().__init__(params)
        options = params.get("OPTIONS", {})
        self.primary, self.fallback = options["PRIMARY"], options["FALLBACK"]

    def _call(self, name, *args, **kwargs):
        try:
            return getattr(caches[self.primary], name)(*args, **kwargs)
        except CACHE_ERRORS:
            logger.exception("Rate-limit counters kept in this worker's memory")
            return getattr(caches[self.fallback], name)(*args, **kwargs)

    def add(self, key, value, timeout=300, version=None):
        return self._call("add", key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call("get", key, default, version)

    def set(self, key, value, timeout=300, version=None):
        return self._call("set", key, value, timeout, version)

    def touch(self, key, timeout=300, version=None):
        return self._call("touch", key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", key, version)

    def incr(self, key, delta=1, version=None):
        return self._call("incr", key, delta, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", keys, version)

    def clear(self):
        return self._call("clear")
