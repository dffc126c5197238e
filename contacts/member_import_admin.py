"""The admin's import of the members list: upload a file, read its dry run row by row, then
import it; the worker does the work (contacts.member_import), these pages follow it."""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import FormView, TemplateView

from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from . import cleaning, member_import
from .models import MemberImport, MemberImportRow

PERMISSIONS = ("contacts.add_organisation", "contacts.change_organisation")
REPORT_PER_PAGE = 100


def can_import(user):
    return user.has_perms(PERMISSIONS)


def _megabytes(size):
    return f"{size / (1024 * 1024):.1f}".replace(".", ",").replace(",0", "")


class MemberImportForm(forms.Form):
    file = forms.FileField(
        label="Fichier des adhérents (CSV ou Excel .xlsx)",
        help_text=f"{_megabytes(member_import.MAX_BYTES)} Mo au plus ; la première ligne porte "
        "les en-têtes du modèle.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = cleaning.clean(upload.name, max_length=255) or "fichier"
        extension = name.rpartition(".")[2].lower()
        if extension not in ("csv", "xlsx"):
            raise forms.ValidationError(
                "Choisissez un fichier CSV (.csv) ou Excel (.xlsx) ; un ancien classeur .xls "
                "s'enregistre en .xlsx depuis Excel (Fichier > Enregistrer sous)."
            )
        if upload.size > member_import.MAX_BYTES:
            raise forms.ValidationError(
                f"Le fichier pèse {_megabytes(upload.size)} Mo : la limite est de "
                f"{_megabytes(member_import.MAX_BYTES)} Mo. Découpez-le ou retirez les "
                "colonnes inutiles."
            )
        content = upload.read(member_import.MAX_BYTES + 1)
        if not content:
            raise forms.ValidationError("Le fichier est vide.")
        if extension == "xlsx" and not content.startswith(b"PK\x03\x04"):
            raise forms.ValidationError(
                "Ce fichier n'est pas un classeur Excel .xlsx : enregistrez-le de nouveau "
                "depuis Excel, ou en CSV."
            )
        self.cleaned_data["content"] = content
        self.cleaned_data["file_name"] = name
        self.cleaned_data["file_format"] = extension
        return upload


class ImportPermissionMixin:
    """Staff who may not add and change organisations get a French 403 (not Wagtail's
    redirect to the dashboard, which would hide why)."""

    def dispatch(self, request, *args, **kwargs):
        if not can_import(request.user):
            return TemplateResponse(
                request,
                "contacts/admin/member_import_forbidden.html",
                {"page_title": "Importer des adhérents", "header_icon": "upload"},
                status=403,
            )
        return super().dispatch(request, *args, **kwargs)


def _breadcrumbs(*items):
    return [
        {"url": reverse("wagtailadmin_home"), "label": "Tableau de bord"},
        {"url": reverse("wagtailsnippets_contacts_organisation:list"), "label": "Organisations"},
        *items,
    ]


class UploadView(ImportPermissionMixin, WagtailAdminTemplateMixin, FormView):
    """The upload form, the templates to download, and the latest imports."""

    template_name = "contacts/admin/member_import_upload.html"
    form_class = MemberImportForm
    page_title = "Importer des adhérents"
    header_icon = "upload"

    def get_breadcrumbs_items(self):
        return _breadcrumbs({"url": "", "label": self.page_title})

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["imports"] = (
            MemberImport.objects.defer("content").select_related("created_by").all()[:10]
        )
        context["columns"] = list(member_import.HEADERS.values())
        return context

    def form_valid(self, form):
        started = member_import.start_check(
            content=form.cleaned_data["content"],
            file_name=form.cleaned_data["file_name"],
            file_format=form.cleaned_data["file_format"],
            user=self.request.user,
        )
        return redirect("member_import:detail", started.pk)


class TemplateFileView(ImportPermissionMixin, View):
    """The template, in CSV or XLSX: the headers and one example row."""

    file_format = "csv"

    def get(self, request):
        if self.file_format == "xlsx":
            content = member_import.template_xlsx()
            content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        else:
            content, content_type = member_import.template_csv(), "text/csv; charset=utf-8"
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = (
            f'attachment; filename="modele-adherents.{self.file_format}"'
        )
        return response


class ImportMixin(ImportPermissionMixin):
    @cached_property
    def member_import(self):
        return get_object_or_404(
            MemberImport.objects.defer("content").select_related("created_by", "imported_by"),
            pk=self.kwargs["pk"],
        )


class DetailView(ImportMixin, WagtailAdminTemplateMixin, TemplateView):
    """While the worker runs: its progress. Then the report, row by row, by verdict."""

    template_name = "contacts/admin/member_import_detail.html"
    header_icon = "upload"

    def get_page_title(self):
        return f"Import de « {self.member_import.file_name} »"

    def get_breadcrumbs_items(self):
        return _breadcrumbs(
            {"url": reverse("member_import:upload"), "label": "Importer des adhérents"},
            {"url": "", "label": self.member_import.file_name},
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["import"] = self.member_import
        if not self.member_import.is_running:
            context.update(self.report_context())
        return context

    def report_context(self):
        rows = MemberImportRow.objects.filter(member_import=self.member_import)
        counts = dict(rows.values_list("verdict").annotate(count=Count("pk")).order_by())
        verdict = self.request.GET.get("verdict", "")
        if verdict not in MemberImportRow.Verdict.values:
            verdict = ""
        url = reverse("member_import:detail", args=[self.member_import.pk])
        filters = [("", "Toutes les lignes", sum(counts.values()), url)] + [
            (value, label.capitalize(), counts.get(value, 0), f"{url}?verdict={value}")
            for value, label in MemberImportRow.Verdict.choices
        ]
        if verdict:
            rows = rows.filter(verdict=verdict)
        page = Paginator(
            rows.only("line", "verdict", "name", "details").order_by("line"),
            REPORT_PER_PAGE,
        ).get_page(self.request.GET.get("p"))
        query = f"verdict={verdict}&" if verdict else ""
        return {
            "verdict": verdict,
            "filters": filters,
            "page": page,
            "rows": list(page.object_list),
            "previous_url": f"{url}?{query}p={page.previous_page_number()}"
            if page.has_previous()
            else "",
            "next_url": f"{url}?{query}p={page.next_page_number()}" if page.has_next() else "",
            "refused": MemberImportRow.Verdict.REFUSED,
        }


class StatusView(ImportMixin, View):
    """What the progress bar polls: the state and how many rows are done."""

    def get(self, request, pk):
        current = self.member_import
        return JsonResponse(
            {
                "state": current.state,
                "state_label": current.get_state_display(),
                "running": current.is_running,
                "processed": current.processed_rows,
                "total": current.total_rows,
                "percent": current.percent,
            }
        )


class ConfirmView(ImportMixin, View):
    """POST: imports a checked file."""

    def post(self, request, pk):
        if not member_import.start_import(self.member_import, request.user):
            messages.warning(
                request, "Cet import a déjà été lancé, ou son fichier n'est pas encore vérifié."
            )
        return redirect("member_import:detail", self.member_import.pk)
