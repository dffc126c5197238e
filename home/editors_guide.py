"""The editors' guide, in French, served in the admin (the Help menu links to it).

Its text is the template ``home/admin/editors_guide.html``, kept in the repository beside the
code it describes; the view is registered under the admin's URLs, so only staff with access to
the admin reach it."""

from django.shortcuts import render


def editors_guide(request):
    return render(request, "home/admin/editors_guide.html", {"page_title": "Guide des éditeurs"})
