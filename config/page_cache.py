"""A full-page cache for anonymous visitors, safe for pages that carry a form.

Why our own middleware and not wagtail-cache or Django's per-site cache: both store the bytes
a view rendered, so a page with a form would hand every visitor the first visitor's CSRF token,
form start time and referrer, or would not be cached at all. Here a view renders *slots* in
place of what is per visitor (``slot("csrf")`` …); the cache keeps the page with its slots, and
every response, hit or miss, fills them for the visitor at hand (settings.PAGE_CACHE_SLOTS:
a name → a callable that takes the request). No database, no JavaScript.

- Only GET and HEAD from visitors without a session, a message or a returning-visitor cookie
  are cached (editors and returning leads always get a fresh page), and only 200 answers that
  set no cookie, are not private and rendered no real CSRF token or CSP nonce.
- Purging is one site-wide *generation* number in the cache, part of every key: publishing,
  unpublishing, moving or deleting a page, or saving a snippet, a setting or an image bumps it
  (home.cache_purge). Cheap, and nothing stale can be served: a page's listing of the latest
  papers, the catalogue's count or the agenda are purged with the page that changed them.
- Every answer carries an ETag of the cached bytes (with the visitor's CSRF cookie and the day
  when the page has slots), so a repeat visit gets a 304.
- ``response.page_cache_hooks`` (dotted path, args) run on every serve, hit or miss: a white
  paper's view counter counts cached views too.

- One render per page after a purge: the first visitor who misses takes a short lock and
  renders; those who ask for the same page meanwhile wait for its entry (a burst right after
  publishing, when a mailing goes out, renders the page once, not once per visitor). A render
  that stores nothing, fails or takes longer than PAGE_CACHE_WAIT_SECONDS lets them render.

- A page's key is its address and the query parameters it declares it reads (``reads()``),
  never the whole query string: junk parameters and UTM tags cannot add entries. A cache that
  does not answer (config.redis_cache) gives no generation: nothing is then read or kept, and
  pages are rendered as if the cache were off.

PAGE_CACHE_SECONDS=0 turns storing off (the bench's cold run); slots, hooks and ETags still run.
"""

import hashlib
import re
import time
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_cache_control
from django.utils.functional import cached_property
from django.utils.html import conditional_escape
from django.utils.http import urlencode
from django.utils.module_loading import import_string
from django.utils.timezone import localdate

GENERATION_KEY = "page-cache:generation"
SLOT_PREFIX = b"__page_slot_"
WAIT_STEP_SECONDS = 0.01


SLOT_MARKER = re.compile(rb"__page_slot_([a-z-]+)(?::([0-9]+))?__")


def slot(name, arg=None):
    """The marker a template renders where a per-visitor (or live) value goes: settings'
    PAGE_CACHE_SLOTS names the callable that fills it, called with the request, and ``arg``
    (a number, such as a page's id) when given. Its value is escaped unless it is safe HTML."""
    return f"__page_slot_{name}__" if arg is None else f"__page_slot_{name}:{int(arg)}__"


def full_path(request):
    """The address asked for, query string included (a form's action, as a slot)."""
    return request.get_full_path()


def _cache():
    return caches[settings.PAGE_CACHE_ALIAS]


# What is kept under a generation never changes until the next purge, which changes the
# generation: so each worker keeps the last values it read in its own memory as well (a bounded
# local-memory cache, which hands out a fresh copy on every read), and asks the shared cache
# only for what it has not read yet. The generation itself is always read from the shared
# cache, once per request, so a purge is seen by every worker at once.


def _get(key):
    if key is None:  # the cache is down
        return None
    local = _local()
    value = None if local is None else local.get(key)
    if value is None:
        value = _cache().get(key)
        if value is not None and local is not None:
            local.set(key, value, settings.PAGE_CACHE_LOCAL_SECONDS)
    return value


def _get_many(keys):
    keys = [key for key in keys if key is not None]
    if not keys:
        return {}
    local = _local()
    found = {} if local is None else local.get_many(keys)
    missing = [key for key in keys if key not in found]
    if missing:
        shared = _cache().get_many(missing)
        if shared and local is not None:
            local.set_many(shared, settings.PAGE_CACHE_LOCAL_SECONDS)
        found.update(shared)
    return found


def _set(key, value, timeout):
    if key is None:
        return
    _cache().set(key, value, timeout)
    local = _local()
    if local is not None:
        local.set(key, value, min(timeout, settings.PAGE_CACHE_LOCAL_SECONDS))


def _set_many(data, timeout):
    data = {key: value for key, value in data.items() if key is not None}
    if not data:
        return
    _cache().set_many(data, timeout)
    local = _local()
    if local is not None:
        local.set_many(data, min(timeout, settings.PAGE_CACHE_LOCAL_SECONDS))


def _local():
    alias = settings.PAGE_CACHE_LOCAL_ALIAS
    return caches[alias] if alias else None


# The generation read once per request (the page's key, then the site, the menu…): set by
# PageCacheMiddleware for the time of a request, empty elsewhere (commands, the admin).
_request_generation = ContextVar("page_cache_generation", default=None)


# How many outages of the shared cache this process had seen when it last read the generation
# (config.redis_cache): a purge may have failed during one, so the first read after it purges.
_outages_seen = 0


def generation():
    """The current generation, or None while the cache does not answer: nothing is then read
    from or kept in it (not even in this worker's memory), so no purge can be missed."""
    global _outages_seen
    memo = _request_generation.get()
    if memo:
        return memo[0]
    cache = _cache()
    value = cache.get(GENERATION_KEY)
    if value is None:
        # Starts from the clock, so that a cache flushed and refilled never reuses old keys.
        cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
        value = cache.get(GENERATION_KEY)
    outages = getattr(cache, "outages", 0)
    if value is not None and outages != _outages_seen:
        _outages_seen = outages
        purge_all()
        value = cache.get(GENERATION_KEY)
    if memo is not None:
        memo.append(value)
    return value


def purge_all():
    """Every cached page is stale from now on (their keys are never read again)."""
    memo = _request_generation.get()
    if memo:
        memo.clear()  # a request that changes content reads the new generation after
    cache = _cache()
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # no generation yet, or it was evicted
        cache.set(GENERATION_KEY, time.time_ns(), timeout=None)


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


def cached(name):
    """What ``store(name, …)`` kept since the last purge, or None."""
    return _get(_versioned_key(name))


def store(name, value, timeout=None):
    _set(_versioned_key(name), value, timeout or settings.PAGE_CACHE_DATA_SECONDS)


def versioned_many(prefix, ids, compute):
    """{id: value} for each of ``ids``: what was kept as ``prefix:id`` since the last purge, and
    for the others ``compute(missing ids)`` ({id: value}), kept in turn; one round trip to the
    shared cache each way at most. An id that ``compute`` leaves out has no value."""
    if generation() is None:  # the cache is down
        return compute(list(ids))
    keys = {_versioned_key(f"{prefix}:{id_}"): id_ for id_ in ids}
    found = {keys[key]: value for key, value in _get_many(list(keys)).items()}
    missing = [id_ for id_ in ids if id_ not in found]
    if missing:
        computed = compute(missing)
        _set_many(
            {_versioned_key(f"{prefix}:{id_}"): value for id_, value in computed.items()},
            settings.PAGE_CACHE_DATA_SECONDS,
        )
        found.update(computed)
    return found


def _versioned_key(name):
    current = generation()
    return None if current is None else f"page-cache:{current}:{name}"


def reads(request, **values):
    """Declares, while a page renders, the query parameters it reads and the values it used
    ("" for none): the page cache keys the page by these alone, so ``?x=1``, ``?x=2``… are the
    same entry, and keeps it only when the request's values are the ones used (a page number
    past the end, a filter no link offers, a cleaned search are rendered, not kept). A page
    that reads none calls ``reads(request)``; one that declares nothing is kept only for a
    request without a query string."""
    request.page_cache_params = {name: str(value) for name, value in values.items()}


def _excluded(path):
    return path.startswith(tuple(settings.PAGE_CACHE_EXCLUDED_PATHS))


class PageCacheMiddleware:
    """Place it right after CsrfViewMiddleware: that one then sets the token's cookie on hits."""

    def __init__(self, get_response):
        self.get_response = get_response

    @cached_property
    def slots(self):
        return {
            name.encode(): import_string(path) for name, path in settings.PAGE_CACHE_SLOTS.items()
        }

    def __call__(self, request):
        token = _request_generation.set([])
        try:
            return self.respond(request)
        finally:
            _request_generation.reset(token)

    def respond(self, request):
        if not self.anonymous_get(request):
            response = self.get_response(request)
            # An editor's page may hold slots too (the seats of an event): filled, not kept.
            return response if _excluded(request.path_info) else self.filled(request, response)
        if settings.PAGE_CACHE_SECONDS <= 0:
            return self.render(request, status="off")
        key = self.known_key(request)
        if key is None:  # the cache is down, or this path's parameters are not known yet
            return self.render(request, status="miss")
        entry = _get(key)
        if entry is not None:
            return self.serve(request, entry, "hit")
        with self.rendering(key) as ours:
            if ours:
                return self.render(request, status="miss")
        entry = self.wait_for(key)
        if entry is not None:
            return self.serve(request, entry, "hit")
        return self.render(request, status="miss")

    def render(self, request, status):
        response = self.get_response(request)
        if not self.storable(request, response):
            return self.serve_uncached(request, response)
        entry = self.entry(response)
        if status != "off" and len(entry["content"]) <= settings.PAGE_CACHE_MAX_BYTES:
            declared = getattr(request, "page_cache_params", None)
            key = self.storing_key(request, declared)
            if key is not None:
                _set(key, entry, settings.PAGE_CACHE_SECONDS)
                if declared is not None:
                    _set(self.params_key(request), sorted(declared), settings.PAGE_CACHE_SECONDS)
        return self.serve(request, entry, status)

    # --- One render at a time per page ------------------------------------------------------

    @staticmethod
    def lock_key(key):
        return f"{key}:rendering"

    @classmethod
    @contextmanager
    def rendering(cls, key):
        """Whether this request renders ``key`` (True: it holds the lock until the block ends)."""
        lock = cls.lock_key(key)
        ours = _cache().add(lock, 1, timeout=settings.PAGE_CACHE_WAIT_SECONDS * 2)
        try:
            yield ours
        finally:
            if ours:
                _cache().delete(lock)

    @classmethod
    def wait_for(cls, key):
        """The entry another request is rendering, once stored; None if it stored nothing, or
        took too long."""
        lock = cls.lock_key(key)
        deadline = time.monotonic() + settings.PAGE_CACHE_WAIT_SECONDS
        while time.monotonic() < deadline:
            time.sleep(WAIT_STEP_SECONDS)
            found = _cache().get_many([key, lock])
            if key in found:
                return found[key]
            if lock not in found:
                return None
        return None

    # --- What is cached -------------------------------------------------------------------

    @staticmethod
    def anonymous_get(request):
        if request.method not in ("GET", "HEAD") or _excluded(request.path_info):
            return False
        if "authorization" in request.headers:
            return False
        return not any(name in request.COOKIES for name in settings.PAGE_CACHE_BYPASS_COOKIES)

    # A page's key is its address and the query parameters it reads (``reads()``), nothing
    # else: a query string of junk or of UTM tags (which the paper's form keeps in a slot) is
    # the same entry, so no client can fill the cache. Which parameters a path reads is kept
    # beside its entries, from its last render.

    @classmethod
    def known_key(cls, request):
        """The key to look up, or None when the request has a query string and its path's
        parameters are not known yet (it is then rendered, and kept under the right key)."""
        if not request.GET:
            return cls.key(request, {})
        names = _get(cls.params_key(request))
        if names is None:
            return None
        return cls.key(request, {name: request.GET.get(name, "") for name in names})

    @classmethod
    def storing_key(cls, request, declared):
        """The key of the page just rendered, or None if it must not be kept."""
        if declared is None:  # a view that says nothing of its parameters
            return None if request.GET else cls.key(request, {})
        given = {name: request.GET.get(name, "") for name in declared}
        if given != declared:  # a value the page did not use as given
            return None
        return cls.key(request, given)

    @staticmethod
    def key(request, params=None):
        """The key of the page at ``request``'s address with these query ``params``."""
        query = urlencode(sorted((name, value) for name, value in (params or {}).items() if value))
        location = f"{request.scheme}://{request.get_host()}{request.path}?{query}"
        name = hashlib.sha256(location.encode()).hexdigest()
        return _versioned_key(name)

    @staticmethod
    def params_key(request):
        location = f"{request.scheme}://{request.get_host()}{request.path}"
        return _versioned_key(f"params:{hashlib.sha256(location.encode()).hexdigest()}")

    @staticmethod
    def storable(request, response):
        if response.status_code != 200 or response.streaming or response.cookies:
            return False
        cache_control = response.get("Cache-Control", "")
        if any(word in cache_control for word in ("private", "no-cache", "no-store")):
            return False
        # A view that rendered a real token or a CSP nonce made a page for one visitor only.
        if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
            return False
        if isinstance(getattr(request, "_csp_nonce", None), str):
            return False
        session = getattr(request, "session", None)
        return not (session is not None and session.modified)

    @staticmethod
    def entry(response):
        content = response.content
        headers = [
            (name, value)
            for name, value in response.headers.items()
            if name.lower() not in ("set-cookie", "content-length")
        ]
        return {
            "content": content,
            "status": response.status_code,
            "headers": headers,
            "hooks": getattr(response, "page_cache_hooks", ()),
            "etag": hashlib.md5(content, usedforsecurity=False).hexdigest(),
            "has_slots": SLOT_PREFIX in content,
        }

    # --- How it is served -----------------------------------------------------------------

    def serve(self, request, entry, status):
        self.run_hooks(entry["hooks"])
        content, live = self.fill(request, entry["content"])
        etag = self.etag(request, entry, live)  # with the cookie a new visitor just got
        if etag in request.headers.get("if-none-match", ""):
            response = HttpResponseNotModified()
        else:
            response = HttpResponse(content, status=entry["status"])
            for name, value in entry["headers"]:
                response[name] = value
        response["ETag"] = etag
        response["X-Page-Cache"] = status
        own = {name.lower(): value for name, value in entry["headers"]}
        if "cache-control" in own:  # the view chose (an .ics file: 15 minutes)
            response["Cache-Control"] = own["cache-control"]
        else:
            self.cache_control(response, entry)
        return response

    def serve_uncached(self, request, response):
        self.run_hooks(getattr(response, "page_cache_hooks", ()))
        return self.filled(request, response)

    def filled(self, request, response):
        if not response.streaming and SLOT_PREFIX in response.content:
            response.content = self.fill(request, response.content)[0]
        return response

    def fill(self, request, content):
        """``content`` with its slots filled, and the values of those that take an argument
        (live values, such as an event's seats: part of the ETag)."""
        if SLOT_PREFIX not in content:
            return content, b""
        values = {}  # each marker's value computed once per response

        def value(match):
            if match[0] not in values:
                fill = self.slots.get(match[1])
                if fill is None:
                    return match[0]
                arg = [] if match[2] is None else [int(match[2])]
                values[match[0]] = conditional_escape(fill(request, *arg)).encode()
            return values[match[0]]

        content = SLOT_MARKER.sub(value, content)
        return content, b"".join(v for marker, v in sorted(values.items()) if b":" in marker)

    @staticmethod
    def etag(request, entry, live=b""):
        tag = entry["etag"]
        if entry["has_slots"]:
            # The page embeds the visitor's CSRF token and a form start time: a 304 is right only
            # for the same cookie, the same day, and the same live values (an event's seats).
            cookie = request.META.get("CSRF_COOKIE", "")
            tag = hashlib.md5(
                f"{tag}{cookie}{localdate()}".encode() + live, usedforsecurity=False
            ).hexdigest()
        return f'"{tag}"'

    @staticmethod
    def cache_control(response, entry):
        if entry["has_slots"]:
            # Per-visitor values: a browser may keep it, a shared cache (a CDN) never.
            patch_cache_control(response, private=True, max_age=0, must_revalidate=True)
        else:
            patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
            if settings.FRONTEND_CACHE_MAX_AGE:
                patch_cache_control(response, s_maxage=settings.FRONTEND_CACHE_MAX_AGE)

    @staticmethod
    def run_hooks(hooks):
        for path, args in hooks:
            import_string(path)(*args)


class SiteLookupMiddleware:
    """The request's Wagtail site, with its root page already specific, and the sites' root
    paths, from the cache: two queries less on every page that is rendered, and no round trip
    to the shared cache for its URLs. Wagtail reads ``request._wagtail_site`` first
    (Site.find_for_request) and ``request._wagtail_cached_site_root_paths`` (Page.get_url).
    Not in the admin, which must always see the rows themselves, nor on the other paths the
    page cache leaves alone (the probe must not touch the database)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _excluded(request.path_info):
            site = versioned(
                f"site:{request.get_host()}:{request.get_port()}", lambda: self.find(request)
            )
            request._wagtail_site = site or None
            # Where each site's pages live, which every page URL built with the request reads
            # (Page.get_url(request), {% pageurl %}): Wagtail would ask the shared cache.
            request._wagtail_cached_site_root_paths = versioned(
                "site-root-paths", self.site_root_paths
            )
        return self.get_response(request)

    @staticmethod
    def site_root_paths():
        from wagtail.models import Site

        return Site.get_site_root_paths()

    @staticmethod
    def find(request):
        from wagtail.models import Site

        site = Site._find_for_request(request)
        if site is not None:
            site.root_page = site.root_page.specific
        return site or False  # False: cached as "no site", unlike None
