"""Settings shared by every environment.

The environment is read here, once, into typed values; dev.py, production.py and test.py only
adjust what differs. Every variable is listed in the README's table.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"


def _env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def _env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# --- Environment (read once) ------------------------------------------------------------------

SECRET_KEY = _env_str("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = _env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = _env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
DATABASE_URL = _env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}")
REDIS_URL = _env_str("REDIS_URL")
# A Redis that does not answer within this costs a page no more (then it is left alone for a
# (pagecache.outage): pages are rendered without it.
REDIS_TIMEOUT_SECONDS = float(_env_str("REDIS_TIMEOUT_SECONDS", "0.25"))
EMAIL_HOST = _env_str("EMAIL_HOST")
EMAIL_PORT = _env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = _env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = _env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = _env_bool("EMAIL_USE_TLS", True)
# Bounded: a slow mail server never holds a worker long (mails wait in the outbox instead).
EMAIL_TIMEOUT = _env_int("EMAIL_TIMEOUT", 5)
# The same for the attempt a visitor's request makes without an outbox worker (contacts.outbox):
# a stalled mail server costs the request this at most; the mail waits for a retry.
EMAIL_REQUEST_TIMEOUT = float(_env_str("EMAIL_REQUEST_TIMEOUT", "2"))
DEFAULT_FROM_EMAIL = _env_str("DEFAULT_FROM_EMAIL", "Club Management HLM <noreply@localhost>")
# The port `make run` serves on: mailed links, calendars and feeds name it when no public
# address is set.
PORT = _env_int("PORT", 8000)
WAGTAILADMIN_BASE_URL = _env_str("WAGTAILADMIN_BASE_URL") or f"http://127.0.0.1:{PORT}"
MEDIA_ROOT = Path(_env_str("DJANGO_MEDIA_ROOT", str(VAR_DIR / "media")))
PRIVATE_MEDIA_ROOT = Path(_env_str("DJANGO_PRIVATE_MEDIA_ROOT", str(VAR_DIR / "private")))
SERVE_MEDIA = _env_bool("DJANGO_SERVE_MEDIA", False)
FORCE_HTTPS = _env_bool("DJANGO_SECURE_SSL_REDIRECT", True)  # used by production.py
BEHIND_TLS_PROXY = _env_bool("DJANGO_BEHIND_TLS_PROXY", False)
# Reverse proxies (load balancer, CDN) in front of the app; X-Forwarded-For is read only then.
TRUSTED_PROXY_COUNT = _env_int("DJANGO_TRUSTED_PROXY_COUNT", 0)
DOWNLOAD_LINK_MAX_AGE_DAYS = _env_int("DOWNLOAD_LINK_MAX_AGE_DAYS", 7)
# Lifetime of the link that confirms the news consent (double opt-in), and of the one that
# confirms an erasure asked from the preferences page.
NEWS_CONFIRM_MAX_AGE_DAYS = _env_int("NEWS_CONFIRM_MAX_AGE_DAYS", 7)
ERASURE_LINK_MAX_AGE_DAYS = _env_int("ERASURE_LINK_MAX_AGE_DAYS", 2)
# Anonymous pages are cached this long (purged at once by publishing); 0 turns the cache off.
PAGE_CACHE_SECONDS = _env_int("PAGE_CACHE_SECONDS", 600)
# A CDN in front (wagtail.contrib.frontend_cache): how long it may keep a page without a form,
# and how it is told to purge one: a generic PURGE URL (Varnish, Squid…) or Cloudflare's API.
FRONTEND_CACHE_MAX_AGE = _env_int("FRONTEND_CACHE_MAX_AGE", 0)
FRONTEND_CACHE_PURGE_URL = _env_str("FRONTEND_CACHE_PURGE_URL")
FRONTEND_CACHE_CLOUDFLARE_BEARER_TOKEN = _env_str("FRONTEND_CACHE_CLOUDFLARE_BEARER_TOKEN")
FRONTEND_CACHE_CLOUDFLARE_ZONEID = _env_str("FRONTEND_CACHE_CLOUDFLARE_ZONEID")
# Read by `manage.py ensure_admin` (make run) for the first admin account.
SUPERUSER_USERNAME = _env_str("DJANGO_SUPERUSER_USERNAME", "admin")
SUPERUSER_PASSWORD = _env_str("DJANGO_SUPERUSER_PASSWORD")

# --- Applications -----------------------------------------------------------------------------

INSTALLED_APPS = [
    "pagecache",
    "home",
    "publications",
    "events",
    "search",
    "contacts",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.search_promotions",
    "wagtail.contrib.frontend_cache",
    "wagtail.contrib.routable_page",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.forms",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After whitenoise, which serves its own pre-compressed files; see config.middleware.
    "config.middleware.TextGZipMiddleware",
    "config.middleware.SecurityHeadersMiddleware",
    "config.middleware.SiteCSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before anything reads a form's body: one not in UTF-8 gets the French 400.
    "config.request_encoding.FormEncodingMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Just inside the CSRF middleware, which then sets the token's cookie on a cached page.
    "pagecache.middleware.PageCacheMiddleware",
    "pagecache.serving.SiteLookupMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Admin files are written by our safe writers only (see the module).
    "config.admin_exports.UnsafeExportMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "config.middleware.DatabaseUnavailableMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "csp.context_processors.nonce",
            ],
        },
    },
]

# --- Data -------------------------------------------------------------------------------------

DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers take the lock when their transaction starts and wait for it, instead of failing
    # with "database is locked" when two workers write at once (make serve, make bench).
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# django-redis (pagecache.outage): an error is a miss, never an error page, logged once a
# minute; short timeouts, so that a Redis that does not answer costs a page little.
REDIS_OPTIONS = {
    "SOCKET_CONNECT_TIMEOUT": REDIS_TIMEOUT_SECONDS,
    "SOCKET_TIMEOUT": REDIS_TIMEOUT_SECONDS,
    "CONNECTION_POOL_KWARGS": {"retry_on_timeout": False},
}
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
DJANGO_REDIS_LOGGER = "pagecache.outage.redis"

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "club",
            "OPTIONS": {**REDIS_OPTIONS, "IGNORE_EXCEPTIONS": True},
        },
        # The rate limits' counters: shared by every worker through Redis, and while Redis is
        # away kept per worker (in its memory, bounded) rather than limiting nobody or everybody.
        "ratelimit": {
            "BACKEND": "pagecache.outage.FallbackCache",
            "OPTIONS": {"PRIMARY": "ratelimit-redis", "FALLBACK": "ratelimit-local"},
        },
        "ratelimit-redis": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "club",
            "OPTIONS": REDIS_OPTIONS,
        },
        "ratelimit-local": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "ratelimit-local",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        },
        # Bounded: its entries are pages and their data (tens of kB), a few MB per worker.
        "page-cache-local": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "page-cache-local",
            "OPTIONS": {"MAX_ENTRIES": 300},
        },
    }
else:
    # One per process; bounded, so that cached pages cannot grow a worker without end.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 2000},
        }
    }

# --- Page cache (pagecache) ------------------------------------------------------------------

PAGE_CACHE_ALIAS = "default"
# Each worker's own copy of what it last read from a shared (Redis) cache, under the current
# generation (pagecache.store): a Redis round trip less for each. None: no such copy.
PAGE_CACHE_LOCAL_ALIAS = "page-cache-local" if REDIS_URL else None
PAGE_CACHE_LOCAL_SECONDS = 300
# What pages share (the site, the menu, the settings, a listing's filters), kept until a purge.
PAGE_CACHE_DATA_SECONDS = 3600
# A page bigger than this is served, never kept (a cache entry is a page, tens of kB).
PAGE_CACHE_MAX_BYTES = 512 * 1024
# Visitors who miss a page another is rendering wait this long for it, then render it too.
PAGE_CACHE_WAIT_SECONDS = 2
# /healthz checks the database, the cache and the outbox at most this often per process.
HEALTHZ_CHECK_SECONDS = 1.0
# Never cached: the admin, files, the gated download, the probe.
PAGE_CACHE_EXCLUDED_PATHS = [
    "/admin/",
    "/documents/",
    "/telechargement/",
    "/healthz",
    "/media/",
    "/donnees/",
]
# A visitor with one of these gets a fresh page: editors (session), pending messages, a
# returning lead (contacts.services.LEAD_COOKIE) whose form is pre-filled.
PAGE_CACHE_BYPASS_COOKIES = ["sessionid", "messages", "club_lead"]
# What is filled per visitor in a cached page, where a view rendered page_cache.slot(name).
PAGE_CACHE_SLOTS = {
    "csrf": "django.middleware.csrf.get_token",
    "form-started": "contacts.forms.form_started_slot",
    "referrer": "contacts.forms.referrer_slot",
    # The form posts to the address the visitor came by, with its UTM tags.
    "form-action": "pagecache.slots.full_path",
    # An event's seats, counted on every serve: no registration purges a page (events.seats).
    "event-registration": "events.seats.registration_slot",
    "event-availability": "events.seats.availability_slot",
    # A card's "Complet" or places left (agenda, home): every card of a page in one query.
    "event-card-seats": "events.seats.card_slot",
    # The phone's bar that keeps the call to register in sight, from the same count.
    "event-cta": "events.seats.sticky_cta_slot",
}

# --- Files ------------------------------------------------------------------------------------

STATIC_ROOT = BASE_DIR / "staticfiles"
STATIC_URL = "/static/"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # The self-hosted font, from its npm package (package.json; make install puts it there).
    ("fonts/source-sans-3", BASE_DIR / "node_modules/@fontsource/source-sans-3/files"),
]
MEDIA_URL = "/media/"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # White-paper PDFs: outside MEDIA_ROOT, with no URL. Only the gated download view reads them.
    "private": {
        "BACKEND": "publications.storage.PrivateFileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT)},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Object storage (S3 API: AWS, Scaleway, OVH, MinIO…), so that every app server sees the same
# files. Each bucket is used when named, the local folders above otherwise.
S3_ENDPOINT_URL = _env_str("S3_ENDPOINT_URL")  # empty: AWS itself
S3_REGION = _env_str("S3_REGION")
S3_ACCESS_KEY_ID = _env_str("S3_ACCESS_KEY_ID")  # empty: boto3's own chain (instance role…)
S3_SECRET_ACCESS_KEY = _env_str("S3_SECRET_ACCESS_KEY")
S3_ADDRESSING_STYLE = _env_str("S3_ADDRESSING_STYLE")  # "path" or "virtual"; empty: boto3's
# Images and renditions: read by anyone, by their plain URL or a CDN's domain.
S3_MEDIA_BUCKET = _env_str("S3_MEDIA_BUCKET")
S3_MEDIA_LOCATION = _env_str("S3_MEDIA_LOCATION")  # a prefix, to share a bucket
S3_MEDIA_CUSTOM_DOMAIN = _env_str("S3_MEDIA_CUSTOM_DOMAIN")
# White-paper PDFs: a bucket nobody reads without the keys; the download view streams them.
S3_PRIVATE_BUCKET = _env_str("S3_PRIVATE_BUCKET")
S3_PRIVATE_LOCATION = _env_str("S3_PRIVATE_LOCATION")


def _s3_storage(backend, bucket, location, **options):
    return {
        "BACKEND": backend,
        "OPTIONS": {
            "bucket_name": bucket,
            "location": location,
            "endpoint_url": S3_ENDPOINT_URL or None,
            "region_name": S3_REGION or None,
            "access_key": S3_ACCESS_KEY_ID or None,
            "secret_key": S3_SECRET_ACCESS_KEY or None,
            "addressing_style": S3_ADDRESSING_STYLE or None,
            # A file opened whole (an image to resize, a PDF compared with an upload) past
            # this is spooled to a temporary file, not held in memory.
            "max_memory_size": 8 * 1024 * 1024,
            **options,
        },
    }


if S3_MEDIA_BUCKET:
    STORAGES["default"] = _s3_storage(
        "publications.storage.PublicS3Storage",
        S3_MEDIA_BUCKET,
        S3_MEDIA_LOCATION,
        custom_domain=S3_MEDIA_CUSTOM_DOMAIN or None,
        # Images are never changed in place (a new file, a new name): a year in any cache.
        object_parameters={"CacheControl": "public, max-age=31536000, immutable"},
    )
if S3_PRIVATE_BUCKET:
    STORAGES["private"] = _s3_storage(
        "publications.storage.PrivateS3Storage", S3_PRIVATE_BUCKET, S3_PRIVATE_LOCATION
    )


def _media_origins():
    """Where public pages' images come from, for the content security policy."""
    if not S3_MEDIA_BUCKET:
        return []
    if S3_MEDIA_CUSTOM_DOMAIN:
        return [f"https://{S3_MEDIA_CUSTOM_DOMAIN.split('/')[0]}"]
    if S3_ENDPOINT_URL:
        scheme, _, host = S3_ENDPOINT_URL.partition("://")
        host = host.split("/")[0]
        return [f"{scheme}://{host}", f"{scheme}://*.{host}"]
    return ["https://*.amazonaws.com"]


MEDIA_ORIGINS = _media_origins()
WHITENOISE_MAX_AGE = 31536000
FILE_UPLOAD_PERMISSIONS = 0o640
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000

# --- Language and time ------------------------------------------------------------------------

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
# Our corrections to Django's and Wagtail's French (locale/fr/) win over theirs.
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

# --- Authentication ---------------------------------------------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "wagtailadmin_login"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out login before checking
    "django.contrib.auth.backends.ModelBackend",
]
# The admin login locks for an hour after 5 failures for one username from one address.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "contacts.client_ip.client_ip"
AXES_LOCKOUT_TEMPLATE = "axes_lockout.html"
AXES_VERBOSE = False

# --- Mail -------------------------------------------------------------------------------------

EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Worker and tasks (home.worker) -----------------------------------------------------------

# A `manage.py run_worker` process runs beside the web processes (make run, make serve, the
# Procfile): tasks go to the database queue (django-tasks-db), a request only records its mail
# and the worker sends it, and the worker's clock runs the schedule (home/worker/schedule.py).
# false: no worker; each request sends its own mail after its commit, and cron runs the
# commands of the schedule.
OUTBOX_WORKER = _env_bool("OUTBOX_WORKER", True)
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks_db.DatabaseBackend"
            if OUTBOX_WORKER
            else "django_tasks.backends.immediate.ImmediateBackend"
        )
    }
}
# How often an idle worker looks for a task (a visitor's mail leaves within this), and how
# often its clock looks at the schedule.
WORKER_POLL_SECONDS = float(_env_str("WORKER_POLL_SECONDS", "1"))
WORKER_CLOCK_SECONDS = float(_env_str("WORKER_CLOCK_SECONDS", "1"))
# The schedule's intervals, in seconds (0 turns a job off).
WORKER_OUTBOX_SECONDS = _env_int("WORKER_OUTBOX_SECONDS", 60)  # mail retries
WORKER_PUBLISH_SECONDS = _env_int("WORKER_PUBLISH_SECONDS", 60)  # scheduled publishing
WORKER_PURGE_SECONDS = _env_int("WORKER_PURGE_SECONDS", 24 * 3600)  # lead retention
WORKER_PAGE_VIEWS_SECONDS = _env_int("WORKER_PAGE_VIEWS_SECONDS", 3600)  # page-view flush
WORKER_SEARCH_HITS_SECONDS = _env_int("WORKER_SEARCH_HITS_SECONDS", 60)  # search-hit flush
WORKER_REMINDERS_SECONDS = _env_int("WORKER_REMINDERS_SECONDS", 600)  # séance reminders
WORKER_OFFERS_SECONDS = _env_int("WORKER_OFFERS_SECONDS", 300)  # waiting-list offers' expiry
WORKER_PRUNE_SECONDS = _env_int("WORKER_PRUNE_SECONDS", 24 * 3600)  # finished tasks
WORKER_PRUNE_OUTBOX_SECONDS = _env_int("WORKER_PRUNE_OUTBOX_SECONDS", 24 * 3600)  # sent mails
WORKER_DIGEST_SECONDS = _env_int("WORKER_DIGEST_SECONDS", 24 * 3600)  # staff's daily digest
WORKER_EXPORTS_SECONDS = _env_int("WORKER_EXPORTS_SECONDS", 300)  # exports' files and stale jobs
# An admin export of more rows than this is written by the worker (contacts.export_jobs); its
# file is kept this many hours; a running one without progress this many minutes is dead.
EXPORT_BACKGROUND_ROWS = _env_int("EXPORT_BACKGROUND_ROWS", 20_000)
EXPORT_KEEP_HOURS = _env_int("EXPORT_KEEP_HOURS", 24)
EXPORT_STALE_MINUTES = _env_int("EXPORT_STALE_MINUTES", 15)
# Sent mails stay in the outbox (the admin's "E-mails envoyés") this long, then prune_outbox
# deletes them; unsent ones stay until sent.
OUTBOX_KEEP_SENT_DAYS = _env_int("OUTBOX_KEEP_SENT_DAYS", 30)
# Each worker writes its heartbeat this often; /healthz calls the worker late past WORKER_LATE.
WORKER_HEARTBEAT_SECONDS = _env_int("WORKER_HEARTBEAT_SECONDS", 10)
WORKER_LATE_SECONDS = _env_int("WORKER_LATE_SECONDS", 60)

# --- Security (tightened in production.py) ----------------------------------------------------

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
# Staff sessions: stored server-side (database), ended by logout, and after 8 hours at most.
SESSION_COOKIE_AGE = 8 * 3600
CSRF_COOKIE_HTTPONLY = True
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

# Public pages: no inline script, no third party. The admin gets its own policy (see
# config.middleware), since Wagtail's editor relies on inline styles and scripts.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *MEDIA_ORIGINS],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-src": [SELF, "https://www.youtube-nocookie.com", "https://player.vimeo.com"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
ADMIN_CONTENT_SECURITY_POLICY = {
    "default-src": [SELF],
    "script-src": [SELF, "'unsafe-inline'"],
    "style-src": [SELF, "'unsafe-inline'"],
    "img-src": [SELF, "data:", "blob:", "https:", *MEDIA_ORIGINS],
    "font-src": [SELF, "data:"],
    "connect-src": [SELF],
    "frame-src": [SELF, "https:"],
    "object-src": [NONE],
    "base-uri": [SELF],
    "form-action": [SELF],
    "frame-ancestors": [SELF],
}

# --- Forms ------------------------------------------------------------------------------------

# Widgets render through TEMPLATES, so that templates/ can hold the project's own widgets.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Wagtail ----------------------------------------------------------------------------------

WAGTAIL_SITE_NAME = "Club Management HLM"
WAGTAILADMIN_USER_LOGIN_FORM = "home.admin_login.FrenchLoginForm"
WAGTAILADMIN_PERMITTED_LANGUAGES = [("fr", "Français"), ("en", "English")]
# French full text on PostgreSQL (configurations created by search's migration), Wagtail's
# database backend as it is elsewhere: see search/backends.py.
WAGTAILSEARCH_BACKENDS = {
    "default": {
        "BACKEND": "search.backends",
        "SEARCH_CONFIG": "french_unaccent",
        "AUTOCOMPLETE_CONFIG": "simple_unaccent",
    }
}
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp", "avif"]
WAGTAILEMBEDS_RESPONSIVE_HTML = True
WAGTAIL_ENABLE_UPDATE_CHECK = False
# The admin's pickers write and read dates as French editors type them (13/10/2022 09:00): each
# is among Django's French input formats, so the form reads what the picker leaves; see
# publications/admin_datetime.py, which also keeps a value the picker cannot read for the form
# to refuse.
WAGTAIL_DATE_FORMAT = "%d/%m/%Y"
WAGTAIL_DATETIME_FORMAT = "%d/%m/%Y %H:%M"
WAGTAIL_TIME_FORMAT = "%H:%M"

# A CDN's cache, purged with ours (pagecache.purge); none unless the environment names one.
WAGTAILFRONTENDCACHE = {}
if FRONTEND_CACHE_PURGE_URL:
    WAGTAILFRONTENDCACHE["http"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
        "LOCATION": FRONTEND_CACHE_PURGE_URL,
    }
if FRONTEND_CACHE_CLOUDFLARE_BEARER_TOKEN and FRONTEND_CACHE_CLOUDFLARE_ZONEID:
    WAGTAILFRONTENDCACHE["cloudflare"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
        "BEARER_TOKEN": FRONTEND_CACHE_CLOUDFLARE_BEARER_TOKEN,
        "ZONEID": FRONTEND_CACHE_CLOUDFLARE_ZONEID,
    }

# --- Product rules ----------------------------------------------------------------------------

# How long a mailed or displayed download link stays valid.
DOWNLOAD_LINK_MAX_AGE = DOWNLOAD_LINK_MAX_AGE_DAYS * 24 * 3600
# A visitor who fills the lead form is remembered this long (signed cookie).
LEAD_COOKIE_MAX_AGE = 90 * 24 * 3600
# Bots fill forms in less than this; people do not.
LEAD_FORM_MIN_SECONDS = 2
# Rate limits count per client address (contacts.client_ip), in the default cache: Redis when
# REDIS_URL is set, so that every worker shares the counters.
RATELIMIT_IP_META_KEY = "contacts.client_ip.client_ip"
RATELIMIT_USE_CACHE = "ratelimit" if REDIS_URL else "default"
# Download requests accepted per client address.
LEAD_FORM_RATE = _env_str("LEAD_FORM_RATE", "20/h")
# A paper's page views are written to the database once per this many (counted in the cache
# between): 1 writes each view at once, right for a per-process local-memory cache.
PAGE_VIEWS_BATCH = 50 if REDIS_URL else 1
# Without Redis, each process keeps its views this many seconds, then writes them in one UPDATE
# per paper (pagecache.counters: a cached view waits for no database write); 0 writes each.
PAGE_VIEWS_TALLY_SECONDS = 0.0 if REDIS_URL else 1.0
PAGE_VIEWS_KEEP_SECONDS = 3 * 24 * 3600
# The same for searches (search.hits): the report and the worker write what is pending.
SEARCH_HITS_BATCH = 20 if REDIS_URL else 1
SEARCH_HITS_TALLY_SECONDS = 0.0 if REDIS_URL else 1.0
SEARCH_HITS_KEEP_SECONDS = 3 * 24 * 3600
# A second request for the same paper within this window reuses the first.
DOWNLOAD_REQUEST_DEDUP_SECONDS = 10 * 60

# --- Logging ----------------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "publications": {"level": "INFO"},
        "django_tasks": {"level": "WARNING"},
        # django-redis's ignored errors: one line a minute, not a traceback per request.
        "pagecache.outage.redis": {"level": "ERROR", "filters": ["once_per_minute"]},
        "home.worker": {"level": "INFO"},
    },
    "filters": {"once_per_minute": {"()": "pagecache.outage.OncePerMinute"}},
}

# Each publish draws the page's share image in the worker (home.share_images); the test
# settings turn it off: a drawing costs about 0.3 s and most tests publish pages.
SHARE_IMAGES_ON_PUBLISH = True
