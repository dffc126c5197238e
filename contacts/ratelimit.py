"""The per-address limit of the public forms (white-paper requests, event registrations):
LEAD_FORM_RATE posts per client address (contacts.client_ip), counted in the default cache."""

from django.conf import settings
from django.shortcuts import render

from django_ratelimit.core import is_ratelimited


def rate_limited(request, group):
    return is_ratelimited(
        request,
        group=group,
        key="ip",
        rate=settings.LEAD_FORM_RATE,
        method="POST",
        increment=True,
    )


def too_many_requests(request):
    """The French 429 page, with the time to wait."""
    response = render(request, "429.html", status=429)
    response["Retry-After"] = "3600"
    return response
