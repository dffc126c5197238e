from django.conf import settings
from django.urls import include, path, re_path
from django.views.generic import TemplateView
from django.views.static import serve

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from contacts import urls as contacts_urls
from events import urls as events_urls
from home.health import healthz
from publications import urls as publications_urls
from search import views as search_views

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("sitemap.xml", sitemap, name="sitemap"),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots_txt",
    ),
    path("recherche/", search_views.search, name="search"),
    path("recherche/suggestions/", search_views.suggestions, name="search_suggestions"),
    path("telechargement/", include(publications_urls)),
    path("inscriptions/", include(events_urls)),
    path("donnees/", include(contacts_urls)),
]

if settings.SERVE_MEDIA:
    # Public images only: white-paper PDFs live outside MEDIA_ROOT and have no URL.
    urlpatterns += [
        re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    ]

urlpatterns += [path("", include(wagtail_urls))]
