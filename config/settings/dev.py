"""Local development: runnable with no variable set."""

from .base import *  # noqa: F403
from .base import SECRET_KEY

DEBUG = True
SECRET_KEY = SECRET_KEY or "dev-only-not-secret-7f3a9c1e5b2d8f4a6c0e9b1d3f5a7c9e"
SERVE_MEDIA = True

# Hashing and compressing static files is production's job; runserver serves them from the apps.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
