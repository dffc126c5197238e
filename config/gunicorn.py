"""gunicorn's settings for `make serve`, `make bench` and production
(`gunicorn -c config/gunicorn.py config.wsgi`). Environment: WEB_CONCURRENCY (worker processes,
2), GUNICORN_THREADS (threads per worker, 4), GUNICORN_CONTROL_SOCKET (a path for gunicorn 27's
control socket, one per instance; none when unset: by default gunicorn opens one fixed path per
user, ~/.gunicorn/gunicorn.ctl, where two instances of the same user would collide).

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

control_socket_path = os.environ.get("GUNICORN_CONTROL_SOCKET", "").strip()
if control_socket_path:
    control_socket = control_socket_path
else:
    control_socket_disable = True
