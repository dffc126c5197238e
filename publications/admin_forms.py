import logging

from django import forms

from wagtail.admin.forms import WagtailAdminPageForm

from .pdf import read_pdf_facts, render_first_page

logger = logging.getLogger(__name__)


class PrivateFileInput(forms.ClearableFileInput):
    """A file input that names the current file without linking to it: it has no URL."""

    template_name = "publications/widgets/private_file_input.html"
    clear_checkbox_label = "Retirer"
    initial_text = "Fichier actuel"
    input_text = "Remplacer"

    def is_initial(self, value):
        return bool(value and getattr(value, "name", None))

    def use_required_attribute(self, initial):
        return not initial


class WhitePaperPageForm(WagtailAdminPageForm):
    """Reads pages and size from the PDF the editor chose, and refuses what is not a PDF."""

    def clean_pdf(self):
        pdf = self.cleaned_data.get("pdf")
        if pdf and "pdf" in self.changed_data:
            facts = read_pdf_facts(pdf)
            self.instance.pdf_pages = facts.pages
            self.instance.pdf_size = facts.size
            self._new_pdf = pdf
        return pdf

    def save(self, commit=True):
        page = super().save(commit=False)
        new_pdf = getattr(self, "_new_pdf", None)
        if new_pdf is not None:
            try:
                page.generated_cover = render_first_page(new_pdf, title=page.title)
            except Exception:  # a cover is a nicety: never lose the editor's work for it
                logger.exception("Could not render the first page of %s", page.title)
        if commit:
            page.save()
        return page
