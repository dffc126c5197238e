"""What the fault tests start on loopback: a free port, a private redis-server, and an SMTP
inbox that keeps what it receives (aiosmtpd)."""

import email
import email.policy
import shutil
import socket
import subprocess
import time

import redis


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """An aiosmtpd handler: every message accepted, kept in ``messages``."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        self.messages.append(envelope)
        return "250 OK"

    def received(self):
        """The messages received so far, parsed (email.message.EmailMessage)."""
        return [
            email.message_from_bytes(envelope.content, policy=email.policy.default)
            for envelope in self.messages
        ]


REDIS_SERVER = shutil.which("redis-server")


class PrivateRedis:
    def __init__(self, port, *options):
        self.port, self.options, self.process = port, options, None

    def start(self):
        self.process = subprocess.Popen(  # noqa: S603 - a fixed command line
            [
                REDIS_SERVER,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                *self.options,
            ],
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                if self.client().ping():
                    return
            except redis.exceptions.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def client(self):
        return redis.Redis(port=self.port, socket_timeout=1)


def cached_by(settings, server):
    """Production's caches (config/settings/base.py with REDIS_URL) on ``server``."""
    location = f"redis://127.0.0.1:{server.port}/0"
    options = {
        "SOCKET_CONNECT_TIMEOUT": 0.25,
        "SOCKET_TIMEOUT": 0.25,
        "CONNECTION_POOL_KWARGS": {"retry_on_timeout": False},
    }
    # Django re-creates its cache connections when CACHES changes (setting_changed).
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": location,
            "KEY_PREFIX": "club",
            "OPTIONS": {**options, "IGNORE_EXCEPTIONS": True},
        },
        "ratelimit": {
            "BACKEND": "pagecache.outage.FallbackCache",
            "OPTIONS": {"PRIMARY": "ratelimit-redis", "FALLBACK": "ratelimit-local"},
        },
        "ratelimit-redis": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": location,
            "KEY_PREFIX": "club",
            "OPTIONS": options,
        },
        "ratelimit-local": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"ratelimit-local-{server.port}",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        },
        "page-cache-local": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"page-cache-local-{server.port}",
            "OPTIONS": {"MAX_ENTRIES": 300},
        },
    }
    settings.RATELIMIT_USE_CACHE = "ratelimit"
    settings.PAGE_CACHE_SECONDS = 600
    settings.PAGE_VIEWS_BATCH = 50
    settings.SEARCH_HITS_BATCH = 20
