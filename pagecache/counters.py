"""A counter of something that happens on cached pages (a paper's page views, a search),
written to the database in batches.

A cached page is served without its view: what it counts runs as a page-cache hook on every
serve. Each event is an atomic ``incr`` of a counter in the shared cache; the database gets
``batch`` events at once, written by the request that reaches the batch, by the day's first
event (for the day before) and by ``flush_recent`` (a report, the worker). The database plus
the counters is always the true count. With ``batch`` 1, or while the cache does not answer,
each event is written at once: none is lost.

A counter whose keys cannot be listed from the database (search queries: any text) finds its
pending counters in the cache itself (django-redis' ``iter_keys``, a SCAN); on a cache that
cannot list its keys (local memory) such a counter writes each event at once.

Without a shared cache (``batch`` 1), a counter given ``tally_seconds`` keeps its events in the
process's memory for that long (a second) and then writes them, one UPDATE per key and day
instead of one per event: a cached paper's page no longer waits for a database write on every
view (issue #25: that write held it to a quarter of /healthz). The tally is written when the
process exits (gunicorn's graceful stop and recycling) and by ``flush_recent`` in the same
process; a process killed outright loses its last second of events.
"""

import atexit
import logging
import threading
import time
from collections import Counter
from contextlib import contextmanager
from datetime import timedelta

from django.core.cache import caches
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone

from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


@contextmanager
def counting_transaction():
    """On PostgreSQL, a transaction for a counter's write whose commit does not wait for the
    disk: a crash in the next split second may lose that batch of events, and nobody waits
    for the disk's flush (a few milliseconds a commit). Elsewhere, or inside a transaction
    already open (whose commit is its owner's to decide), nothing more than the write itself."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit = off")
        yield


class BatchedCounter:
    """``write(key, day, count)`` adds ``count`` events of ``key`` on ``day`` to the database;
    ``batch()`` says how many the cache may hold before they are written. ``keys()``, when
    given, returns every key that may have pending events (a table's ids); without it, the
    keys are listed from the cache."""

    def __init__(
        self, name, write, *, batch, keep_seconds, keys=None, alias="default", tally_seconds=None
    ):
        self.name, self.write, self.batch, self.keep_seconds = name, write, batch, keep_seconds
        self.keys, self.alias, self.tally_seconds = keys, alias, tally_seconds
        # This process's events not written yet ({(key, day): count}) and since when.
        self._tally, self._tally_since, self._lock = Counter(), None, threading.Lock()
        self._exit_hook = False

    @property
    def cache(self):
        return caches[self.alias]

    @property
    def batching(self):
        if self.batch() <= 1:
            return False
        return self.keys is not None or hasattr(self.cache, "iter_keys")

    def counter_key(self, key, day):
        return f"{self.name}:{key}:{day.isoformat()}"

    def add(self, key, count=1):
        """Counts ``count`` events of ``key`` today."""
        day = timezone.localdate()
        if not self.batching:
            if self.tally_seconds and self.tally_seconds() > 0:
                self._add_to_tally(key, day, count)
            else:
                self.write(key, day, count)
            return
        counter = self.counter_key(key, day)
        pending = self._incr(counter, count)
        if pending is None:  # the day's first here: start the counter, flush the day before
            self.cache.add(counter, 0, timeout=self.keep_seconds())
            pending = self._incr(counter, count)
            if pending is None:  # the cache does not answer: written at once, none is lost
                self.write(key, day, count)
                return
            self.flush([(key, day - timedelta(days=1))])
        if pending >= self.batch():
            self.flush([(key, day)])

    def _add_to_tally(self, key, day, count):
        now = time.monotonic()
        with self._lock:
            self._tally[(key, day)] += count
            if self._tally_since is None:
                self._tally_since = now
            if not self._exit_hook:
                atexit.register(self.flush_tally)
                self._exit_hook = True
            if now - self._tally_since < self.tally_seconds():
                return
        self.flush_tally()

    def flush_tally(self):
        """Writes this process's tally; what fails to be written stays for the next time."""
        with self._lock:
            tally, self._tally, self._tally_since = self._tally, Counter(), None
        for (key, day), count in tally.items():
            try:
                self.write(key, day, count)
            except IntegrityError:  # what they count is gone (a deleted paper): so are they
                logger.warning("%s: %s events of %s dropped", self.name, count, key)
            except DatabaseError:
                logger.warning("%s: %s events kept for the next flush", self.name, count)
                with self._lock:
                    self._tally[(key, day)] += count
                    self._tally_since = self._tally_since or time.monotonic()

    def _incr(self, counter, count):
        try:
            return self.cache.incr(counter, count)  # None from django-redis when Redis is away
        except ValueError:  # no such counter
            return None

    def flush(self, pairs):
        """Moves the counted events of these ``(key, day)`` pairs from the cache to the
        database. Events whose write fails go back to their counter for the next flush."""
        counters = {self.counter_key(key, day): (key, day) for key, day in pairs}
        for counter, pending in self.cache.get_many(list(counters)).items():
            if not pending or pending <= 0:
                continue
            try:
                left = self.cache.decr(counter, pending)  # events counted meanwhile stay
            except ValueError:  # the counter expired meanwhile: nothing to move
                continue
            if left is None:  # the cache went away meanwhile: they wait for the next flush
                continue
            try:
                self.write(*counters[counter], pending)
            except IntegrityError:  # what they count is gone (a deleted paper): so are they
                logger.warning("%s: %s events of %s dropped", self.name, pending, counter)
            except DatabaseError:
                logger.warning("%s: %s events kept for the next flush", self.name, pending)
                self._incr(counter, pending)

    def flush_recent(self, days=3):
        """Every pending event of the last ``days`` days, written."""
        self.flush_tally()
        today = timezone.localdate()
        recent = [today - timedelta(days=n) for n in range(days)]
        if self.keys is not None:
            self.flush([(key, day) for key in self.keys() for day in recent])
        elif hasattr(self.cache, "iter_keys"):
            for day in recent:
                self.flush(self._listed(day))

    def _listed(self, day):
        """The keys with a counter on ``day`` in the cache (none while it does not answer)."""
        suffix = f":{day.isoformat()}"
        try:
            counters = list(self.cache.iter_keys(f"{self.name}:*{suffix}"))
        except RedisError:
            logger.warning("%s: pending counters not listed", self.name, exc_info=True)
            return []
        return [(counter[len(self.name) + 1 : -len(suffix)], day) for counter in counters]
