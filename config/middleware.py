import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.middleware.gzip import GZipMiddleware
from django.template.response import TemplateResponse

from csp.constants import SELF
from csp.middleware import CSPMiddleware, PolicyParts

logger = logging.getLogger(__name__)


class SecurityHeadersMiddleware:
    """Headers Django does not set by itself: Permissions-Policy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class TextGZipMiddleware(GZipMiddleware):
    """Compresses pages, feeds and calendars; never files (PDFs, images are compressed already).

    BREACH: a page that reflects input (search) and holds a secret (the CSRF token) could leak
    it through compressed sizes. Django masks the CSRF token anew in every response (the page
    cache fills a fresh one too) and adds random bytes to every gzip stream (Django 4.2+), so
    the secret never repeats and sizes vary: compressing is safe.
    """

    COMPRESSIBLE = ("text/", "application/json", "application/xml", "application/rss+xml")

    def process_response(self, request, response):
        if response.streaming or not response.get("Content-Type", "").startswith(self.COMPRESSIBLE):
            return response
        return super().process_response(request, response)


class SiteCSPMiddleware(CSPMiddleware):
    """The strict public policy everywhere, and the admin's own looser one under /admin/.

    Wagtail's editor needs inline styles and scripts; the public site needs neither. A preview
    is a public page rendered for the admin's side panel (Wagtail sets ``request.is_preview`` on
    the request it makes for the page, which runs through this middleware with the page's
    path): it keeps the public policy, but the admin's own origin may frame it. Wagtail's
    preview view likewise answers with X-Frame-Options SAMEORIGIN instead of DENY.
    """

    PREVIEW_FRAME_ANCESTORS = {"frame-ancestors": [SELF]}

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and request.path_info.startswith("/admin/"):
            return PolicyParts(config=settings.ADMIN_CONTENT_SECURITY_POLICY, nonce=parts.nonce)
        if getattr(request, "is_preview", False):
            parts.replace = {**(parts.replace or {}), **self.PREVIEW_FRAME_ANCESTORS}
        return parts


class DatabaseUnavailableMiddleware:
    """While the database is unreachable (a restart, a failover), visitors get a French 503
    that asks them to retry in a few seconds, not a 500: nothing was stored, nothing is lost."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        logger.error("Database unavailable for %s: %s", request.path, exception)
        response = TemplateResponse(request, "503.html", status=503)
        response["Retry-After"] = "5"
        return response.render()
