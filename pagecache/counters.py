"""A counter of something that happens on cached pages (a paper's page views), written to the
database in batches.

A cached page is served without its view: what it counts runs as a page-cache hook on every
serve. Each event is an atomic ``incr`` of a counter in the shared cache; the database gets
``batch`` events at once, written by the request that reaches the batch, by the day's first
event (for the day before) and by ``flush`` (a report, a command). The database plus the
counters is always the true count. With ``batch`` 1, or while the cache does not answer, each
event is written at once: none is lost.
"""

from datetime import timedelta

from django.core.cache import caches
from django.utils import timezone


class BatchedCounter:
    """``write(key, day, count)`` adds ``count`` events of ``key`` (a row's id) on ``day`` to
    the database; ``batch()`` says how many the cache may hold before they are written."""

    def __init__(self, name, write, *, batch, keep_seconds, alias="default"):
        self.name, self.write, self.batch, self.keep_seconds = name, write, batch, keep_seconds
        self.alias = alias

    @property
    def cache(self):
        return caches[self.alias]

    def counter_key(self, key, day):
        return f"{self.name}:{key}:{day.isoformat()}"

    def add(self, key, count=1):
        """Counts ``count`` events of ``key`` today."""
        day = timezone.localdate()
        if self.batch() <= 1:
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
            self.flush([key], [day - timedelta(days=1)])
        if pending >= self.batch():
            self.flush([key], [day])

    def _incr(self, counter, count):
        try:
            return self.cache.incr(counter, count)  # None from django-redis when Redis is away
        except ValueError:  # no such counter
            return None

    def flush(self, keys, days):
        """Moves the counted events of these keys and days from the cache to the database."""
        counters = {self.counter_key(key, day): (key, day) for key in keys for day in days}
        for counter, pending in self.cache.get_many(list(counters)).items():
            if pending and pending > 0:
                try:
                    left = self.cache.decr(counter, pending)  # events counted meanwhile stay
                except ValueError:  # the counter expired meanwhile: nothing to move
                    continue
                if left is None:  # the cache went away meanwhile: they wait for the next flush
                    continue
                self.write(*counters[counter], pending)

    def flush_recent(self, keys, days=3):
        today = timezone.localdate()
        self.flush(keys, [today - timedelta(days=n) for n in range(days)])
