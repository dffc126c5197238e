"""``/healthz``: what a load balancer and the benchmark ask. A small JSON body names each
dependency and its state; the answer is 503 only when the site cannot serve (the database is
down). The cache down or full, or mails waiting, still serve: 200, so the node is kept.

Checked at most once per HEALTHZ_CHECK_SECONDS per process, so the probe stays cheap however
often it is asked (the benchmark measures it as its baseline)."""

import threading
import time

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from contacts.models import OutboundEmail

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
    cache = caches[settings.PAGE_CACHE_ALIAS]
    cache.set(PROBE_KEY, 1, timeout=10)  # a write: a full Redis refuses it
    # "up", "down" or "full" for our Redis backend (config.redis_cache); local memory is up.
    state = getattr(cache, "state", "up")
    return "ok" if state == "up" else state


def _check():
    database, unsent = _database_and_outbox()
    return {
        "status": "ok" if database == "ok" else "down",
        "database": database,
        "cache": _cache(),
        "outbox": {"unsent": unsent},
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
