"""The mail admin: one mail of the outbox as its recipient reads it (the HTML in a sandboxed
frame, the text) with its retry, and the previews of every registered mail kind, rendered
with its demo data."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import TemplateView

from wagtail.admin.views.generic import InspectView, WagtailAdminTemplateMixin

from . import mail, outbox
from .admin_views import LocalTimeInspectMixin
from .models import ContactSettings, OutboundEmail
from .permissions import can_retry_mail


def kind_label(email):
    """What the admin calls the mail's kind (its registered label), or its stored name."""
    kind = mail.get(email.kind)
    return kind.label if kind else email.kind


class OutboundEmailInspectView(LocalTimeInspectMixin, InspectView):
    """A mail's details, then the mail itself: its HTML in a frame that runs no script and
    reaches nothing of the admin (``sandbox``, ``srcdoc``), and its text; a button to send a
    mail that is not sent yet again now."""

    template_name = "contacts/admin/outbound_email_inspect.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["kind_label"] = kind_label(self.object)
        context["can_retry"] = self.object.sent_at is None and can_retry_mail(self.request.user)
        context["retry_url"] = reverse("emails:retry", args=[self.object.pk])
        return context


def retry_view(request, pk):
    """POST only (the viewset's URL): the mail leaves now, or with the worker's next pass."""
    if not can_retry_mail(request.user):
        raise PermissionDenied
    email = get_object_or_404(OutboundEmail, pk=pk)
    if outbox.retry(email):
        messages.success(request, f"L'e-mail à {email.to} va être renvoyé.")
    else:
        messages.info(request, f"L'e-mail à {email.to} a déjà été envoyé.")
    return redirect("emails:inspect", email.pk)


class MailTemplatesView(WagtailAdminTemplateMixin, TemplateView):
    """Every mail the site can send (whatever app registered it): what it is, to whom, when."""

    template_name = "contacts/admin/mail_templates.html"
    page_title = "Modèles d'e-mails"
    header_icon = "mail"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["mails"] = [
            (kind, reverse("mail_template_preview", args=[kind.name])) for kind in mail.registered()
        ]
        context["club"] = ContactSettings.load()
        context["club_settings_url"] = reverse(
            "wagtailsettings:edit", args=["contacts", "contactsettings"]
        )
        return context


class MailTemplatePreviewView(WagtailAdminTemplateMixin, TemplateView):
    """One mail kind rendered with its demo data: its subject, its HTML, its text."""

    template_name = "contacts/admin/mail_template_preview.html"
    header_icon = "mail"

    def dispatch(self, request, *args, name, **kwargs):
        self.kind = mail.get(name)
        if self.kind is None:
            raise Http404("Aucun e-mail de ce nom")
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return self.kind.label

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("mail_templates"), "label": "Modèles d'e-mails"},
            {"url": "", "label": self.kind.label},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["kind"] = self.kind
        context["rendered"] = self.kind.render(self.kind.demo())
        return context
