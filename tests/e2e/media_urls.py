"""The site's URLs with the public media served, as `make serve` does (DJANGO_SERVE_MEDIA):
a browser test that fetches an image the page names points ROOT_URLCONF here."""

from django.conf import settings
from django.urls import re_path
from django.views.static import serve

from config.urls import urlpatterns as site_urlpatterns

urlpatterns = [
    re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    *site_urlpatterns,
]
