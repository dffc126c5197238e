"""Tests: fast and isolated. SQLite in memory unless DATABASE_URL says otherwise."""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-not-secret-0d6b1e9a2c4f7e8b3a5d9c1f6e2b8a4d"  # noqa: S105  # nosec B105

if not os.environ.get("DATABASE_URL"):
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # As in production with Redis, so that the two levels are tested (pagecache.store).
    "page-cache-local": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "page-cache-local",
    },
}
PAGE_CACHE_LOCAL_ALIAS = "page-cache-local"
RATELIMIT_USE_CACHE = "default"
HEALTHZ_CHECK_SECONDS = 0  # each probe checks: tests stop and start what it reports
# Off by default, so that a test sees what it just changed; tests/home/test_page_cache.py
# turns it on.
PAGE_CACHE_SECONDS = 0
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

_TMP = Path(tempfile.mkdtemp(prefix="club-tests-"))
MEDIA_ROOT = _TMP / "media"
PRIVATE_MEDIA_ROOT = _TMP / "private"
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(MEDIA_ROOT)},
    },
    "private": {
        "BACKEND": "publications.storage.PrivateFileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT)},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WAGTAILADMIN_BASE_URL = "http://testserver"
LEAD_FORM_MIN_SECONDS = 0
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# No worker: tasks run at once, and each request sends its own mail after its commit. A test
# that needs the worker sets OUTBOX_WORKER and the database backend, or starts run_worker.
OUTBOX_WORKER = False
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# Drawing a share image costs about 0.3 s a publish: only the tests of share images draw them
# (tests/home/test_share_images.py turns it back on).
SHARE_IMAGES_ON_PUBLISH = False

# Each page view and search hit written at once, so that a test reads it right after the request.
PAGE_VIEWS_TALLY_SECONDS = 0
SEARCH_HITS_TALLY_SECONDS = 0
