"""gunicorn's settings for `make serve`, `make bench` and production
(`gunicorn -c config/gunicorn.py config.wsgi`). Environment: WEB_CONCURRENCY (worker processes,
2), GUNICORN_THREADS (threads per worker, 4).

Threads: a lead's POST spends most of its time waiting for PostgreSQL to commit (to disk,
twice: the request, then the sent mail); with one thread per worker, two POSTs at a time
would keep both cores idle. Four threads per worker overlap those waits; pages (CPU-bound, or
served from the cache) are unaffected. Django, the page cache and the Redis client are
thread-safe.
"""

import os

workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
worker_class = "gthread" if threads > 1 else "sync"
