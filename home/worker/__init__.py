"""The worker: one process (``manage.py run_worker``) that runs every task of the database queue
(django-tasks with django-tasks-db) and a clock that enqueues the scheduled jobs (schedule.py).

- ``schedule.py``: the declared list of periodic jobs and their intervals (settings).
- ``clock.py``: one enqueue per job and time slot, whatever the number of workers; the heartbeat.
- ``jobs.py``: the task that runs a scheduled job, at most one at a time across workers.
- ``models.py``: a row per job (its last slot, its run lease) and a heartbeat row per worker.
"""
