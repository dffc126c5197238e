"""What is kept under the site-wide generation, on two levels.

Purging is one *generation* number in the shared cache, part of every key: publishing,
unpublishing, moving or deleting a page, or saving a model shown on pages bumps it
(pagecache.purge). Cheap, and nothing stale can be served.

What is kept under a generation never changes until the next purge, which changes the
generation: so each worker keeps the last values it read in its own memory as well
(settings.PAGE_CACHE_LOCAL_ALIAS, a bounded local-memory cache) and asks the shared cache only
for what it has not read yet. The generation itself is read from the shared cache once per
request, so a purge is seen by every worker at once.

A shared cache that does not answer (django-redis with IGNORE_EXCEPTIONS: an error is a miss)
gives no generation: nothing is then read or kept, and pages are rendered as if it were off.
A purge that could not reach it is made again by the first read that does.
"""

import time
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import caches

GENERATION_KEY = "page-cache:generation"

# The generation read once per request (the page's key, then the site, the menu…): set by the
# middleware for the time of a request (``per_request``), empty elsewhere (commands, admin).
_request_generation = ContextVar("page_cache_generation", default=None)

# Set when a purge could not reach the shared cache: the next read that reaches it purges.
_purge_missed = False


def shared():
    return caches[settings.PAGE_CACHE_ALIAS]


def _local():
    alias = settings.PAGE_CACHE_LOCAL_ALIAS
    return caches[alias] if alias else None


def per_request():
    """Starts a request's memo of the generation; give the token to ``end_request``."""
    return _request_generation.set([])


def end_request(token):
    _request_generation.reset(token)


def generation():
    """The current generation, or None while the cache does not answer: nothing is then read
    from or kept in it (not even in this worker's memory), so no purge can be missed."""
    global _purge_missed
    memo = _request_generation.get()
    if memo:
        return memo[0]
    cache = shared()
    value = cache.get(GENERATION_KEY)
    # Starts from the clock, so that a cache flushed and refilled never reuses old keys.
    # django-redis answers None instead of True or False when Redis does not answer.
    if value is None and cache.add(GENERATION_KEY, time.time_ns(), timeout=None) is not None:
        value = cache.get(GENERATION_KEY)
    if value is not None and _purge_missed:
        _purge_missed = False
        purge_all()
        value = cache.get(GENERATION_KEY)
    if memo is not None:
        memo.append(value)
    return value


def purge_all():
    """Every cached page is stale from now on (their keys are never read again)."""
    global _purge_missed
    memo = _request_generation.get()
    if memo:
        memo.clear()  # a request that changes content reads the new generation after
    cache = shared()
    try:
        bumped = cache.incr(GENERATION_KEY)
    except ValueError:  # no generation yet, or it was evicted
        cache.set(GENERATION_KEY, time.time_ns(), timeout=None)
        bumped = cache.get(GENERATION_KEY)
    if bumped is None:  # django-redis answers None when Redis did not answer
        _purge_missed = True


def versioned_key(name):
    current = generation()
    return None if current is None else f"page-cache:{current}:{name}"


def get(key):
    if key is None:  # the cache is down
        return None
    local = _local()
    value = None if local is None else local.get(key)
    if value is None:
        value = shared().get(key)
        if value is not None and local is not None:
            local.set(key, value, settings.PAGE_CACHE_LOCAL_SECONDS)
    return value


def get_many(keys):
    keys = [key for key in keys if key is not None]
    if not keys:
        return {}
    local = _local()
    found = {} if local is None else local.get_many(keys)
    missing = [key for key in keys if key not in found]
    if missing:
        from_shared = shared().get_many(missing)
        if from_shared and local is not None:
            local.set_many(from_shared, settings.PAGE_CACHE_LOCAL_SECONDS)
        found.update(from_shared)
    return found


def set(key, value, timeout):  # noqa: A001 - the cache's own verb
    if key is None:
        return
    shared().set(key, value, timeout)
    local = _local()
    if local is not None:
        local.set(key, value, min(timeout, settings.PAGE_CACHE_LOCAL_SECONDS))


def set_many(data, timeout):
    data = {key: value for key, value in data.items() if key is not None}
    if not data:
        return
    shared().set_many(data, timeout)
    local = _local()
    if local is not None:
        local.set_many(data, min(timeout, settings.PAGE_CACHE_LOCAL_SECONDS))


# --- What pages share until the next purge ------------------------------------------------------


def cached(name):
    """What ``store(name, …)`` kept since the last purge, or None."""
    return get(versioned_key(name))


def store(name, value, timeout=None):
    set(versioned_key(name), value, timeout or settings.PAGE_CACHE_DATA_SECONDS)


def versioned(name, compute, timeout=None):
    """``compute()``, kept in the cache until the next purge: what many pages read and only
    publishing changes (the site, the menu, the settings, a listing's filters)."""
    value = cached(name)
    if value is None:
        value = compute()
        store(name, value, timeout)
    return value


def page_data(request, page, compute):
    """What ``page`` shows of other rows (its authors, sessions, related pages…): ``compute()``,
    kept like ``versioned`` until the next purge, which every page, snippet or image saved
    causes. Computed afresh in a preview, where the page is an editor's draft."""
    if getattr(request, "is_preview", False) or page.pk is None:
        return compute()
    return versioned(f"page-data:{page.pk}", compute)


def versioned_many(prefix, ids, compute):
    """{id: value} for each of ``ids``: what was kept as ``prefix:id`` since the last purge, and
    for the others ``compute(missing ids)`` ({id: value}), kept in turn; one round trip to the
    shared cache each way at most. An id that ``compute`` leaves out has no value."""
    if generation() is None:  # the cache is down
        return compute(list(ids))
    keys = {versioned_key(f"{prefix}:{id_}"): id_ for id_ in ids}
    found = {keys[key]: value for key, value in get_many(list(keys)).items()}
    missing = [id_ for id_ in ids if id_ not in found]
    if missing:
        computed = compute(missing)
        set_many(
            {versioned_key(f"{prefix}:{id_}"): value for id_, value in computed.items()},
            settings.PAGE_CACHE_DATA_SECONDS,
        )
        found.update(computed)
    return found
