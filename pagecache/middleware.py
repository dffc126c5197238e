"""A full-page cache for anonymous visitors, safe for pages that carry a form.

Why our own middleware and not wagtail-cache or Django's per-site cache: both store the bytes
a view rendered, so a page with a form would hand every visitor the first visitor's CSRF token,
form start time and referrer, or would not be cached at all. Here a view renders slots
(pagecache.slots) in place of what is per visitor, and every response fills them.

- Only GET and HEAD from visitors without a session, a message or a returning-visitor cookie
  are cached (editors and returning leads always get a fresh page), and only 200 answers that
  set no cookie, are not private and rendered no real CSRF token or CSP nonce.
- Every answer carries an ETag of the cached bytes (with the visitor's CSRF cookie and the day
  when the page has slots), so a repeat visit gets a 304.
- ``response.page_cache_hooks`` (dotted path, args) run on every serve, hit or miss: a white
  paper's view counter counts cached views too.

PAGE_CACHE_SECONDS=0 turns storing off (the bench's cold run); slots, hooks and ETags still run.
"""

import hashlib

from django.conf import settings
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_cache_control
from django.utils.functional import cached_property
from django.utils.module_loading import import_string
from django.utils.timezone import localdate

from . import keys, single_render, slots, store


def excluded(path):
    return path.startswith(tuple(settings.PAGE_CACHE_EXCLUDED_PATHS))


class PageCacheMiddleware:
    """Place it right after CsrfViewMiddleware: that one then sets the token's cookie on hits."""

    def __init__(self, get_response):
        self.get_response = get_response

    @cached_property
    def fillers(self):
        return {
            name.encode(): import_string(path) for name, path in settings.PAGE_CACHE_SLOTS.items()
        }

    def __call__(self, request):
        token = store.per_request()
        try:
            return self.respond(request)
        finally:
            store.end_request(token)

    def respond(self, request):
        if not self.anonymous_get(request):
            response = self.get_response(request)
            # An editor's page may hold slots too (the seats of an event): filled, not kept.
            return response if excluded(request.path_info) else self.filled(request, response)
        if settings.PAGE_CACHE_SECONDS <= 0:
            return self.render(request, status="off")
        key = keys.known_key(request)
        if key is None:  # the cache is down, or this path's parameters are not known yet
            return self.render(request, status="miss")
        entry = store.get(key)
        if entry is not None:
            return self.serve(request, entry, "hit")
        with single_render.rendering(key) as ours:
            if ours:
                return self.render(request, status="miss")
        entry = single_render.wait_for(key)
        if entry is not None:
            return self.serve(request, entry, "hit")
        return self.render(request, status="miss")

    def render(self, request, status):
        response = self.get_response(request)
        if not self.storable(request, response):
            return self.serve_uncached(request, response)
        entry = self.entry(response)
        if status != "off" and len(entry["content"]) <= settings.PAGE_CACHE_MAX_BYTES:
            params = keys.declared(request)
            key = keys.storing_key(request, params)
            if key is not None:
                store.set(key, entry, settings.PAGE_CACHE_SECONDS)
                if params is not None:
                    store.set(keys.params_key(request), sorted(params), settings.PAGE_CACHE_SECONDS)
        return self.serve(request, entry, status)

    # --- What is cached -------------------------------------------------------------------

    @staticmethod
    def anonymous_get(request):
        if request.method not in ("GET", "HEAD") or excluded(request.path_info):
            return False
        if "authorization" in request.headers:
            return False
        return not any(name in request.COOKIES for name in settings.PAGE_CACHE_BYPASS_COOKIES)

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
            "has_slots": slots.has_slots(content),
        }

    # --- How it is served -----------------------------------------------------------------

    def serve(self, request, entry, status):
        self.run_hooks(entry["hooks"])
        content, live = slots.fill(request, entry["content"], self.fillers)
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
        if not response.streaming and slots.has_slots(response.content):
            response.content = slots.fill(request, response.content, self.fillers)[0]
        return response

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
