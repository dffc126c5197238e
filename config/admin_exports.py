"""No admin file is written by Wagtail's own spreadsheet writer.

Wagtail's ``SpreadsheetExportMixin.as_spreadsheet`` writes a CSV in which a cell such as
``=HYPERLINK(…)`` runs as a formula, and logs nothing. Our listings and reports override it to
write through the safe writers and the export log (publications.exports); any other admin view
that still uses Wagtail's (its page reports, a listing added later) neither offers the download
buttons nor serves the file: a hand-made ``?export=`` URL gets the page, with a French message.
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.deprecation import MiddlewareMixin

from wagtail.admin.views.mixins import SpreadsheetExportMixin
from wagtail.admin.widgets.button import ButtonWithDropdown

NOT_OFFERED = "Cet export n'est pas proposé : seuls les exports des leads sont disponibles."


def _writes_unsafe_files(view_class):
    return (
        isinstance(view_class, type)
        and issubclass(view_class, SpreadsheetExportMixin)
        and view_class.as_spreadsheet is SpreadsheetExportMixin.as_spreadsheet
    )


class UnsafeExportMiddleware(MiddlewareMixin):
    """Place it after MessageMiddleware."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        if "export" not in request.GET:
            return None
        if not _writes_unsafe_files(getattr(view_func, "view_class", None)):
            return None
        messages.warning(request, NOT_OFFERED)
        query = request.GET.copy()
        del query["export"]
        return redirect(f"{request.path}?{query.urlencode()}" if query else request.path)

    def process_template_response(self, request, response):
        context = response.context_data or {}
        if _writes_unsafe_files(type(context.get("view"))) and context.get("header_buttons"):
            context["header_buttons"] = [_without_downloads(b) for b in context["header_buttons"]]
        return response


def _without_downloads(button):
    """The header's "more" dropdown without the "Télécharger XLSX/CSV" buttons."""
    if isinstance(button, ButtonWithDropdown):
        button.dropdown_buttons = [
            item for item in button.dropdown_buttons if "export=" not in (item.url or "")
        ]
    return button
