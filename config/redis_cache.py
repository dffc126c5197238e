"""Django's Redis cache, with one Redis client per connection pool instead of one per call.

Django's RedisCacheClient.get_client() builds a new ``redis.Redis`` for every cache operation,
and redis-py fills a dict of some 170 response callbacks in each constructor: about 0.3 ms a
call, several calls a page. A client is thread-safe and only wraps its pool, so one per pool
is kept and reused.
"""

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class ReusingRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ReusingRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
