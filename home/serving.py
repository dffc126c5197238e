"""How a page is found and checked, in fewer queries than Wagtail's defaults.

- ``SiteRootRouting`` (the home page, root of the site) finds every page of a URL's path in one
  query by ``url_path``, instead of two queries per level (the child, then its specific row),
  and fetches the page itself with the rows named by its ``serve_select_related``.
- ``PublicPageMixin`` skips the two queries that look for view restrictions on a page and its
  ancestors while the site has none (kept in the cache until the next purge; saving a
  restriction purges).
"""

from django.http import Http404

from wagtail.models import Page, PageViewRestriction

from config import page_cache


class PublicPageMixin:
    def get_view_restrictions(self):
        if not page_cache.versioned("any-view-restriction", PageViewRestriction.objects.exists):
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()


class SiteRootRouting:
    def route(self, request, path_components):
        if not path_components:
            return super().route(request, path_components)
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
        return page.route(request, path_components[page.depth - self.depth :])

    @staticmethod
    def _specific(page):
        """The page as its own type, with the rows its template always shows (a page type
        names them in ``serve_select_related``): one query."""
        model = page.specific_class
        related = getattr(model, "serve_select_related", ())
        if not related:
            return page.specific
        return model.objects.select_related(*related).get(pk=page.pk)
