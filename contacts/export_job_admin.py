"""The admin pages of a background export (contacts.export_jobs): its progress while the worker
writes it, then its download link; the small JSON its progress bar polls; the file itself.

Each is its starter's only, while they may still export that list: anyone else gets a 404
(the job's existence is not theirs to know), a starter who lost the permission the admin's
refusal (PermissionDenied: back to the dashboard with its message)."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import TemplateView

from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from . import export_jobs, exports
from .models import ExportJob, ExportLog


def _rows(count):
    return f"{count:,}".replace(",", "\u202f")  # French thousands: 20 000


class JobMixin:
    @cached_property
    def job(self):
        job = get_object_or_404(ExportJob.objects.select_related("log"), pk=self.kwargs["pk"])
        if job.user_id != self.request.user.pk:
            raise Http404
        if not export_jobs.may_download(job, self.request.user):
            raise PermissionDenied
        return job


class DetailView(JobMixin, WagtailAdminTemplateMixin, TemplateView):
    """While the worker writes: rows written of the total, a bar. Then the link to the file."""

    template_name = "contacts/admin/export_job_detail.html"
    header_icon = "download"
    page_title = "Export en préparation"

    def get_page_title(self):
        return (
            f"Export « {self.job.log.get_dataset_display()} » ({self.job.log.get_format_display()})"
        )

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_home"), "label": "Tableau de bord"},
            {"url": self.listing_url, "label": self.job.log.get_dataset_display()},
            {"url": "", "label": "Export"},
        ]

    @property
    def listing_url(self):
        return f"{self.job.path}?{self.job.query}" if self.job.query else self.job.path

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        job = self.job
        context.update(
            job=job,
            written=_rows(job.written_rows),
            total=_rows(job.total_rows) if job.total_rows else "…",
            listing_url=self.listing_url,
            download_url=reverse("export_jobs:download", args=[job.pk]),
            status_url=reverse("export_jobs:status", args=[job.pk]),
            kept_until=export_jobs.kept_until(job) if job.finished_at else None,
            keep_hours=settings.EXPORT_KEEP_HOURS,
        )
        return context


class StatusView(JobMixin, View):
    """What the progress bar polls: the state and how many rows are written."""

    def get(self, request, pk):
        job = self.job
        return JsonResponse(
            {
                "state": job.state,
                "state_label": job.get_state_display(),
                "running": job.is_active,
                "written": job.written_rows,
                "total": job.total_rows,
                "written_label": _rows(job.written_rows),
                "total_label": _rows(job.total_rows) if job.total_rows else "…",
                "percent": job.percent,
            }
        )


class DownloadView(JobMixin, View):
    """The file, from the private storage, while it is kept."""

    def get(self, request, pk):
        job = self.job
        if job.state != ExportJob.State.DONE or not job.file_name:
            raise Http404
        content_type = (
            "text/csv; charset=utf-8"
            if job.log.format == ExportLog.Format.CSV
            else exports.XLSX_CONTENT_TYPE
        )
        try:
            stream = export_jobs.storage().open(job.file_name, "rb")
        except FileNotFoundError as error:
            raise Http404 from error
        return FileResponse(
            stream, as_attachment=True, filename=job.download_name, content_type=content_type
        )
