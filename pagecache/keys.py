"""A page's key: its address and the query parameters it reads, never the whole query string.

A query string of junk or of UTM tags (which the paper's form keeps in a slot) is the same
entry, so no client can fill the cache. Which parameters a path reads is kept beside its
entries, from its last render (``reads()``).
"""

import hashlib

from django.utils.http import urlencode

from . import store


def reads(request, **values):
    """Declares, while a page renders, the query parameters it reads and the values it used
    ("" for none): the page cache keys the page by these alone, so ``?x=1``, ``?x=2``… are the
    same entry, and keeps it only when the request's values are the ones used (a page number
    past the end, a filter no link offers, a cleaned search are rendered, not kept). A page
    that reads none calls ``reads(request)``; one that declares nothing is kept only for a
    request without a query string."""
    request.page_cache_params = {name: str(value) for name, value in values.items()}


def declared(request):
    """The parameters the page just rendered said it reads, or None."""
    return getattr(request, "page_cache_params", None)


def page_key(request, params=None):
    """The key of the page at ``request``'s address with these query ``params``."""
    query = urlencode(sorted((name, value) for name, value in (params or {}).items() if value))
    location = f"{request.scheme}://{request.get_host()}{request.path}?{query}"
    return store.versioned_key(hashlib.sha256(location.encode()).hexdigest())


def params_key(request):
    location = f"{request.scheme}://{request.get_host()}{request.path}"
    return store.versioned_key(f"params:{hashlib.sha256(location.encode()).hexdigest()}")


def known_key(request):
    """The key to look up, or None when the request has a query string and its path's
    parameters are not known yet (it is then rendered, and kept under the right key)."""
    if not request.GET:
        return page_key(request, {})
    names = store.get(params_key(request))
    if names is None:
        return None
    return page_key(request, {name: request.GET.get(name, "") for name in names})


def storing_key(request, params):
    """The key of the page just rendered, or None if it must not be kept."""
    if params is None:  # a view that says nothing of its parameters
        return None if request.GET else page_key(request, {})
    given = {name: request.GET.get(name, "") for name in params}
    if given != params:  # a value the page did not use as given
        return None
    return page_key(request, given)
