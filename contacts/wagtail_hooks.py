from django.urls import include, path, reverse

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from . import export_job_admin, member_import_admin
from .account import StaffNotificationsPanel
from .export_log import register_filters
from .filters import ExportLogFilterSet, LeadFilterSet, MembershipReportFilterSet
from .mail_admin import MailTemplatePreviewView, MailTemplatesView
from .models import ExportLog, Lead, OutboundEmail
from .permissions import ReadOnlyPermissionPolicy
from .viewsets import SharedContentGroup

register_snippet(SharedContentGroup)

for model in (Lead, ExportLog, OutboundEmail):
    register_permission_policy(model, ReadOnlyPermissionPolicy(model))

# The export log puts these lists' filters into words. The lists themselves are in the
# "Leads" menu, which publications assembles with its download requests.
register_filters(ExportLog.Dataset.LEADS, LeadFilterSet)
register_filters(ExportLog.Dataset.EXPORT_LOG, ExportLogFilterSet)
register_filters(ExportLog.Dataset.MEMBERSHIP_REPORT, MembershipReportFilterSet)


# --- The mail admin's templates, and the lead managers' notification settings ------------------


@hooks.register("register_admin_urls")
def register_mail_template_urls():
    return [
        path("modeles-emails/", MailTemplatesView.as_view(), name="mail_templates"),
        path(
            "modeles-emails/<str:name>/",
            MailTemplatePreviewView.as_view(),
            name="mail_template_preview",
        ),
    ]


@hooks.register("register_settings_menu_item")
def register_mail_templates_menu_item():
    return MenuItem("Modèles d'e-mails", reverse("mail_templates"), icon_name="mail", order=900)


@hooks.register("register_account_settings_panel")
def register_staff_notifications_panel(request, user, profile):
    return StaffNotificationsPanel(request, user, profile)


# --- The import of the members list (the organisations' list links to it) -----------------------


@hooks.register("register_admin_urls")
def register_member_import_urls():
    views = member_import_admin
    urls = [
        path("", views.UploadView.as_view(), name="upload"),
        path("modele.csv", views.TemplateFileView.as_view(file_format="csv"), name="template_csv"),
        path(
            "modele.xlsx", views.TemplateFileView.as_view(file_format="xlsx"), name="template_xlsx"
        ),
        path("<int:pk>/", views.DetailView.as_view(), name="detail"),
        path("<int:pk>/etat/", views.StatusView.as_view(), name="status"),
        path("<int:pk>/importer/", views.ConfirmView.as_view(), name="confirm"),
    ]
    return [path("importer-adherents/", include((urls, "member_import")))]


# --- Large exports written by the worker (contacts.export_jobs) ---------------------------------


@hooks.register("register_admin_urls")
def register_export_job_urls():
    views = export_job_admin
    urls = [
        path("<int:pk>/", views.DetailView.as_view(), name="detail"),
        path("<int:pk>/etat/", views.StatusView.as_view(), name="status"),
        path("<int:pk>/fichier/", views.DownloadView.as_view(), name="download"),
    ]
    return [path("exports-en-preparation/", include((urls, "export_jobs")))]
