"""Django's Redis cache, with one Redis client per connection pool instead of one per call, and
``incr`` in one round trip instead of two.

Django's RedisCacheClient.get_client() builds a new ``redis.Redis`` for every cache operation,
and redis-py fills a dict of some 170 response callbacks in each constructor: about 0.3 ms a
call, several calls a page. A client is thread-safe and only wraps its pool, so one per pool
is kept and reused.

Django's ``incr`` asks EXISTS, then INCRBY: two round trips, on every white paper's view (its
counter) and every purge. A Lua script does both in Redis, atomically: one round trip, and a
key that expires between the two can no longer be created by INCRBY as 1.
"""

from django.core.cache.backends.redis import RedisCache, RedisCacheClient

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
