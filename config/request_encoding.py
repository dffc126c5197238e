"""Form bodies the site cannot read as UTF-8 get the French 400 page, before anything reads them.

Django refuses a urlencoded body that declares another charset (``charset=utf-16``) by raising
BadRequest each time ``request.POST`` is read, and the CSRF check of its own 400 and 500 views
reads it again: the visitor would get a bare English 500. Bytes that are not UTF-8 would be read
as replacement characters and stored. Both are answered here, once, with the French page.
"""

import logging
from urllib.parse import unquote_to_bytes

from django.core.exceptions import RequestDataTooBig
from django.template.response import TemplateResponse

logger = logging.getLogger(__name__)

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class FormEncodingMiddleware:
    """Place it before CsrfViewMiddleware, the first to read a form's body."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.content_type in FORM_TYPES and not self.readable(request):
            logger.info("Form body not in UTF-8 refused on %s", request.path)
            return TemplateResponse(request, "400.html", status=400).render()
        return self.get_response(request)

    @staticmethod
    def readable(request):
        charset = request.content_params.get("charset")
        if charset is not None and charset.strip().lower() not in ("utf-8", "utf8"):
            return False
        if request.content_type != "application/x-www-form-urlencoded":
            return True  # a multipart body's parts are decoded (with replacement) by Django
        try:
            body = request.body
        except (RequestDataTooBig, OSError):  # too large, or cut off: Django answers it itself
            return True
        try:
            unquote_to_bytes(body.replace(b"+", b" ")).decode("utf-8")
        except UnicodeDecodeError:
            return False
        return True
