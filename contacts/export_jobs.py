"""Large admin exports as background work (issue #25): the worker writes the file, staff follow
its progress and then download it.

* An export of more than EXPORT_BACKGROUND_ROWS rows (one bounded count: at most that many
  plus one are counted) is an ``ExportJob`` instead of a response; smaller ones stay a direct
  download (contacts.viewsets.SafeExportIndexView).
* The job holds the listing's admin path and query: the worker rebuilds the listing's view for
  the user who asked and takes its queryset, so that the file is exactly the filtered list, as
  a direct download would be; the user must still be allowed to export it then.
* The same export (same user, list, format and filters) asked while one is queued or running
  is that one: a partial unique index on the job's fingerprint, so two requests at the same
  time make one job, and the second lands on the first's progress page. Each member of staff
  gets their own job and log entry: the log says who exported what (rule 4).
* The file is kept in the private storage (no URL: only the download view reads it) for
  EXPORT_KEEP_HOURS; ``prune_export_jobs`` (a worker clock job) then removes it, the job says so
  and the log keeps its record. Only its starter, while still allowed to export that list,
  downloads it.
* The log says "en cours" while the worker writes, then "réussi" with the rows, or "échoué".
  A worker killed mid-export cannot say so itself: a running job without progress for
  EXPORT_STALE_MINUTES (it moves at least every PROGRESS_ROWS rows) is marked failed, its log
  too, by the same clock job; a job still queued after EXPORT_KEEP_HOURS also.
"""

import hashlib
import io
import json
import logging
import tempfile
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.files import File
from django.core.files.storage import storages
from django.db import IntegrityError, transaction
from django.http import HttpRequest, QueryDict
from django.urls import Resolver404, resolve
from django.utils import timezone

from django_tasks import task

from . import exports
from .models import ExportJob, ExportLog

logger = logging.getLogger(__name__)

# Query parameters of a listing that do not change which rows are exported.
NOT_FILTERS = {"export", "p", "ordering"}
BLANK_VALUES = ("", "unknown")  # "unknown": a yes/no filter left blank
UNFINISHED = "Le fichier n'a pas pu être écrit : relancez l'export depuis la liste."


class ListingGone(Exception):
    """The job's listing no longer exists, or its user may no longer export it."""


def storage():
    """The private storage: no file in it has a URL."""
    return storages["private"]


def over_threshold(queryset):
    """Whether the export has more rows than EXPORT_BACKGROUND_ROWS: one count, of at most
    that many rows plus one, whatever the list's size."""
    threshold = settings.EXPORT_BACKGROUND_ROWS
    return queryset.order_by().values("pk")[: threshold + 1].count() > threshold


def export_query(query):
    """The listing's filters as the worker will apply them: the query without what does not
    filter, and without blank values (so that "?paper=" and no paper are the same export)."""
    kept = QueryDict(mutable=True)
    for key, values in query.lists():
        if key in NOT_FILTERS:
            continue
        values = [value for value in values if value not in BLANK_VALUES]
        if values:
            kept.setlist(key, values)
    return kept


def fingerprint(user, dataset, export_format, path, query):
    """What makes two requests the same export, as a hash (a filter value may be huge)."""
    canonical = json.dumps(
        [user.pk, dataset, export_format, path, sorted((k, sorted(v)) for k, v in query.lists())]
    )  # ASCII only: any character of the query, a lone surrogate included, is escaped
    return hashlib.sha256(canonical.encode("ascii")).hexdigest()


def start(view, export_format, filters):
    """The job of this export for the view's user: a new one, enqueued, or the one already
    queued or running for the same export. Returns (job, created)."""
    request = view.request
    query = export_query(request.GET)
    key = fingerprint(request.user, view.export_dataset, export_format, request.path, query)
    existing = ExportJob.objects.filter(key=key, state__in=ExportJob.ACTIVE).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            run = exports.ExportRun.start(
                export_format=export_format,
                source=ExportLog.Source.ADMIN,
                filters=filters,
                user=request.user,
                dataset=view.export_dataset,
            )
            job = ExportJob.objects.create(
                log=run.log,
                user=request.user,
                key=key,
                path=request.path,
                query=query.urlencode(),
                download_name=exports.filename(export_format, view.export_columns),
            )
    except IntegrityError:
        # Another request made the same job at the same moment, and committed first.
        existing = ExportJob.objects.filter(key=key).order_by("-created_at").first()
        if existing is None:
            raise
        return existing, False
    run_export_job.enqueue(job.pk)
    return job, True


def _listing_view(job, user):
    """The listing's view as the job's user would get it, with the job's filters."""
    try:
        match = resolve(job.path)
    except Resolver404 as error:
        raise ListingGone(job.path) from error
    view_class = getattr(match.func, "view_class", None)
    if getattr(view_class, "export_columns", None) is None:
        raise ListingGone(job.path)
    request = HttpRequest()
    request.method = "GET"
    request.path = request.path_info = job.path
    request.GET = QueryDict(job.query)
    request.user = user
    view = view_class(**getattr(match.func, "view_initkwargs", {}))
    view.setup(request, *match.args, **match.kwargs)
    if user is None or not user.is_active or not view.user_can_export(user):
        raise ListingGone(job.path)
    return view


def may_download(job, user):
    """Only the job's starter, while still allowed to export its list."""
    if job.user_id is None or job.user_id != user.pk:
        return False
    try:
        _listing_view(job, user)
    except ListingGone:
        return False
    return True


def _touch(job_id, **fields):
    ExportJob.objects.filter(pk=job_id).update(touched_at=timezone.now(), **fields)


def _fail(job):
    """The job and its log entry failed (the log keeps the rows written so far), unless it
    finished meanwhile. Returns whether it did fail. A log already « réussi » fails too: its
    rows were all written, but the file could not be kept (a full disk, the storage away)."""
    now = timezone.now()
    failed = ExportJob.objects.filter(pk=job.pk, state__in=ExportJob.ACTIVE).update(
        state=ExportJob.State.FAILED, finished_at=now, touched_at=now
    )
    if failed:
        ExportLog.objects.filter(
            pk=job.log_id, status__in=[ExportLog.Status.RUNNING, ExportLog.Status.DONE]
        ).update(status=ExportLog.Status.FAILED)
    return bool(failed)


def write_file(queryset, columns, export_format, output, run):
    """Writes the export to ``output`` (a binary file) in the given format."""
    if export_format == ExportLog.Format.CSV:
        text = io.TextIOWrapper(output, encoding="utf-8", newline="", write_through=False)
        try:
            text.writelines(exports.csv_lines(queryset, columns, run))
            text.flush()
        finally:
            text.detach()
    else:
        exports.write_xlsx(queryset, output, columns, run)


@task()
def run_export_job(job_id):
    """The worker's part: writes the job's file, then keeps it in the private storage.
    Returns the job's state, or None when it was not queued (delivered twice, or failed by the
    stale rule first)."""
    now = timezone.now()
    taken = ExportJob.objects.filter(pk=job_id, state=ExportJob.State.QUEUED).update(
        state=ExportJob.State.RUNNING, touched_at=now
    )
    if not taken:
        return None
    job = ExportJob.objects.select_related("log", "user").get(pk=job_id)
    try:
        view = _listing_view(job, job.user)
        queryset = view.get_queryset()
        _touch(job.pk, total_rows=queryset.count())

        def progress(written):
            _touch(job.pk, written_rows=written)

        run = exports.ExportRun(job.log, progress=progress)
        export_format = job.log.format
        with tempfile.TemporaryFile() as output:
            write_file(queryset, view.export_columns, export_format, output, run)
            output.seek(0)
            name = storage().save(f"exports/{uuid.uuid4().hex}.{export_format}", File(output))
    except Exception:
        logger.exception("Background export %s failed", job_id)
        _fail(job)
        raise
    _touch(
        job.pk,
        state=ExportJob.State.DONE,
        file_name=name,
        written_rows=run.written,
        total_rows=run.written,
        finished_at=timezone.now(),
    )
    return ExportJob.State.DONE


def kept_until(job):
    """When the job's file will be removed."""
    return job.finished_at + timedelta(hours=settings.EXPORT_KEEP_HOURS)


def prune(now=None):
    """Removes the files kept longer than EXPORT_KEEP_HOURS (the job says so, the log keeps
    its record), and fails the jobs a dead worker left: running without progress for
    EXPORT_STALE_MINUTES, or queued for EXPORT_KEEP_HOURS. Returns (removed, failed)."""
    now = now or timezone.now()
    removed = 0
    expired = ExportJob.objects.filter(
        state=ExportJob.State.DONE,
        finished_at__lt=now - timedelta(hours=settings.EXPORT_KEEP_HOURS),
    )
    for job in expired.only("pk", "file_name"):
        if job.file_name:
            storage().delete(job.file_name)
        removed += ExportJob.objects.filter(pk=job.pk, state=ExportJob.State.DONE).update(
            state=ExportJob.State.EXPIRED, file_name=""
        )
    stale = ExportJob.objects.filter(
        state=ExportJob.State.RUNNING,
        touched_at__lt=now - timedelta(minutes=settings.EXPORT_STALE_MINUTES),
    ) | ExportJob.objects.filter(
        state=ExportJob.State.QUEUED,
        touched_at__lt=now - timedelta(hours=settings.EXPORT_KEEP_HOURS),
    )
    failed = sum(_fail(job) for job in stale.only("pk", "log_id"))
    return removed, failed
