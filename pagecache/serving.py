"""How a page is found and checked, in fewer queries than Wagtail's defaults.

- ``SiteRootRouting`` (the home page, root of the site) finds every page of a URL's path in one
  query by ``url_path``, instead of two queries per level (the child, then its specific row),
  and fetches the page itself with the rows its type's ``for_serving`` names. The page of
  a path that routes is then kept in the cache until the next purge (any page, image or snippet
  saved), so the next request for that path routes with no query at all. A 404 is never
  kept, and no page route takes a parameter, so there are at most as many keys as pages and
  their routes, whatever a crawler tries.
- ``PublicPageMixin`` skips the two queries that look for view restrictions on a page and its
  ancestors while the site has none (kept in the cache until the next purge; saving a
  restriction purges), and ``public()`` the one of ``PageQuerySet.public()`` (the search).
"""

import hashlib

from django.http import Http404

from wagtail.models import Page, PageViewRestriction, Site

from . import store


def any_view_restriction():
    """Whether any page of the site is private (kept until the next purge)."""
    return store.versioned("any-view-restriction", PageViewRestriction.objects.exists)


def public(pages):
    """``pages.public()``, without its query for view restrictions while the site has none."""
    return pages.public() if any_view_restriction() else pages


class PublicPageMixin:
    def get_view_restrictions(self):
        if not any_view_restriction():
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()


class SiteRootRouting:
    def route(self, request, path_components):
        if not path_components:
            return super().route(request, path_components)
        path = "/".join(path_components)
        name = f"route:{self.pk}:{hashlib.md5(path.encode(), usedforsecurity=False).hexdigest()}"
        page = store.cached(name)
        if page is not None:
            return page.route(request, path_components[page.depth - self.depth :])
        page = self._find(path_components)
        # A path that routes (the page, or one of its sub-pages: no route takes parameters)
        # is kept; a 404 raises before anything is stored.
        result = page.route(request, path_components[page.depth - self.depth :])
        store.store(name, page)
        return result

    def _find(self, path_components):
        """The deepest live or draft page of the path, as its own type: two queries."""
        prefixes = [
            self.url_path + "/".join(path_components[:depth]) + "/"
            for depth in range(1, len(path_components) + 1)
        ]
        found = {
            page.url_path: page
            for page in Page.objects.filter(
                slug__in=set(path_components), url_path__in=prefixes, path__startswith=self.path
            )
        }
        # The deepest page of the path; what is left of it is the page's own route (a
        # RoutablePage's sub-path, or a 404).
        parent = self
        for prefix in prefixes:
            page = found.get(prefix)
            if page is None:
                break
            page._cached_parent_obj = parent  # the breadcrumb's parent, without a query
            parent = page
        if parent is self:
            raise Http404
        page = self._specific(parent)
        page._cached_parent_obj = parent._cached_parent_obj
        return page

    @staticmethod
    def _specific(page):
        """The page as its own type, with the rows its template always shows when its type
        says which (``for_serving(pk)``): one query, or a few once per purge."""
        for_serving = getattr(page.specific_class, "for_serving", None)
        return for_serving(page.pk) if for_serving else page.specific


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
        from .middleware import excluded

        if not excluded(request.path_info):
            site = store.versioned(
                f"site:{request.get_host()}:{request.get_port()}", lambda: self.find(request)
            )
            request._wagtail_site = site or None
            request._wagtail_cached_site_root_paths = store.versioned(
                "site-root-paths", Site.get_site_root_paths
            )
        return self.get_response(request)

    @staticmethod
    def find(request):
        site = Site._find_for_request(request)
        if site is not None:
            site.root_page = site.root_page.specific
        return site or False  # False: cached as "no site", unlike None
