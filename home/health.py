"""``/healthz``: what a load balancer and the benchmark ask. A small JSON body names each
dependency and its state; the answer is 503 only when the site cannot serve (the database is
down). The cache down or full, mails waiting, or the worker late (its heartbeat older than
WORKER_LATE_SECONDS, or none) still serve: 200, so the node is kept.

Checked at most once per HEALTHZ_CHECK_SECONDS per process, so the probe stays cheap however
often it is asked (the benchmark measures it as its baseline)."""

import threading
import time

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError
from django.db.models import Max
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache

import redis
from django_redis import get_redis_connection
from django_redis.cache import RedisCache

from contacts.models import OutboundEmail

from .models import WorkerHeartbeat

PROBE_KEY = "healthz:probe"

_lock = threading.Lock()
_last = {"at": None, "report": None}


def _database_and_outbox():
    try:
        unsent = OutboundEmail.objects.filter(sent_at__isnull=True).count()
    except DatabaseError:
        return "down", None
    return "ok", unsent


def _cache():
    """ "ok", "down" (Redis does not answer) or "full" (it refuses writes); local memory is ok."""
    cache = caches[settings.PAGE_CACHE_ALIAS]
    if not isinstance(cache, RedisCache):
        cache.set(PROBE_KEY, 1, timeout=10)
        return "ok"
    try:
        # A write, straight to Redis: a full one refuses it (the cache itself ignores errors).
        get_redis_connection(settings.PAGE_CACHE_ALIAS).set(PROBE_KEY, 1, ex=10)
    except redis.exceptions.OutOfMemoryError:
        return "full"
    except (redis.exceptions.RedisError, OSError):
        return "down"
    return "ok"


def _worker():
    """("ok" or "late", seconds since the latest heartbeat); ("off", None) when no worker is
    expected (OUTBOX_WORKER false), (None, None) when the database does not answer."""
    if not settings.OUTBOX_WORKER:
        return "off", None
    try:
        beat_at = WorkerHeartbeat.objects.aggregate(latest=Max("beat_at"))["latest"]
    except DatabaseError:
        return None, None
    if beat_at is None:
        return "late", None
    age = max(0, round((timezone.now() - beat_at).total_seconds()))
    return ("ok" if age <= settings.WORKER_LATE_SECONDS else "late"), age


def _check():
    database, unsent = _database_and_outbox()
    worker, worker_age = _worker() if database == "ok" else (None, None)
    return {
        "status": "ok" if database == "ok" else "down",
        "database": database,
        "cache": _cache(),
        "outbox": {"unsent": unsent},
        "worker": worker,
        "worker_heartbeat_age_seconds": worker_age,
    }


@never_cache
def healthz(request):
    now = time.monotonic()
    with _lock:
        fresh = _last["at"] is not None and now - _last["at"] < settings.HEALTHZ_CHECK_SECONDS
        report = _last["report"] if fresh else None
    if report is None:
        report = _check()
        with _lock:
            _last.update(at=now, report=report)
    return JsonResponse(report, status=200 if report["database"] == "ok" else 503)
