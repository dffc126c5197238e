"""One render per page after a purge.

The first visitor who misses a page takes a short lock (``cache.add``) and renders; those who
ask for the same page meanwhile wait for its entry (a burst right after publishing, when a
mailing goes out, renders the page once, not once per visitor). A render that stores nothing,
fails or takes longer than PAGE_CACHE_WAIT_SECONDS lets them render.
"""

import time
from contextlib import contextmanager

from django.conf import settings

from . import store

WAIT_STEP_SECONDS = 0.01


def lock_key(key):
    return f"{key}:rendering"


@contextmanager
def rendering(key):
    """Whether this request renders ``key`` (True: it holds the lock until the block ends)."""
    lock = lock_key(key)
    cache = store.shared()
    ours = cache.add(lock, 1, timeout=settings.PAGE_CACHE_WAIT_SECONDS * 2)
    try:
        yield ours
    finally:
        if ours:
            cache.delete(lock)


def wait_for(key):
    """The entry another request is rendering, once stored; None if it stored nothing, or took
    too long."""
    lock = lock_key(key)
    deadline = time.monotonic() + settings.PAGE_CACHE_WAIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(WAIT_STEP_SECONDS)
        found = store.shared().get_many([key, lock])
        if key in found:
            return found[key]
        if lock not in found:
            return None
    return None
