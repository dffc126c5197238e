"""The client's address, read correctly behind a known number of trusted proxies.

Each proxy appends the address it received the request from to X-Forwarded-For, so with N
trusted proxies in front of the app, the client is the N-th entry from the right: anything
further left was written by the client and can be forged. With no proxy configured the header
is ignored entirely.
"""

import ipaddress

from django.conf import settings


def client_ip(request):
    remote_addr = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote_addr
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < proxies:
        return remote_addr  # not through our proxies: a direct connection
    candidate = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote_addr
