import logging
import os
from functools import partial

from django import forms
from django.db import transaction
from django.template.defaultfilters import pluralize
from django.utils.formats import number_format

from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.images import get_image_model

from .pdf import read_pdf_facts, render_first_page, same_file
from .storage import private_storage

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
    """Reads pages and size from the PDF the editor chose, refuses what is not a PDF, and shows
    what it read. The same file sent again (Wagtail's autosave posts the whole form, file
    included) changes nothing: one file and one generated cover per paper."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._previous_pdf = self.instance.pdf.name or ""
        self._previous_cover_id = self.instance.generated_cover_id
        if self._previous_pdf and self.instance.pdf_pages and "pdf" in self.fields:
            field = self.fields["pdf"]
            field.help_text = f"{pdf_summary(self.instance)}. {field.help_text}"

    def clean_pdf(self):
        pdf = self.cleaned_data.get("pdf")
        if pdf and "pdf" in self.changed_data:
            if self._previous_pdf and same_file(pdf, self.instance.pdf):
                return self.instance.pdf  # sent again, not replaced
            facts = read_pdf_facts(pdf)
            self.instance.pdf_pages = facts.pages
            self.instance.pdf_size = facts.size
            self._new_pdf = pdf
        return pdf

    def save(self, commit=True):
        page = super().save(commit=False)
        new_pdf = getattr(self, "_new_pdf", None)
        if new_pdf is not None:
            # Stored now, even when only a draft (a revision) is saved: the revision then names
            # the stored file, and publishing it later serves that file.
            page.pdf.save(os.path.basename(new_pdf.name), new_pdf, save=False)
            try:
                page.generated_cover = render_first_page(new_pdf, title=page.title)
            except Exception:  # a cover is a nicety: never lose the editor's work for it
                logger.exception("Could not render the first page of %s", page.title)
            transaction.on_commit(
                partial(discard_replaced, self._previous_pdf, self._previous_cover_id)
            )
        if commit:
            page.save()
        return page

    def get_field_updates_for_resave(self):
        """After an autosave, empty the file input, so that the next autosave does not send the
        stored file again."""
        updates = super().get_field_updates_for_resave()
        if getattr(self, "_new_pdf", None) is not None:
            updates.append(("pdf", ""))
        return updates


def pdf_summary(paper):
    """ "PDF de 32 pages, 1,2 Mo": what the site read from the file."""
    pages = paper.pdf_pages
    return f"PDF de {pages} page{pluralize(pages)}, {french_size(paper.pdf_size)}"


def french_size(size):
    """ "1,2 Mo", "480 Ko": as an editor reads a file's size."""
    if size >= 1024 * 1024:
        return f"{number_format(round(size / (1024 * 1024), 1), 1)} Mo"
    return f"{max(1, round(size / 1024))} Ko"


def discard_replaced(pdf_name, cover_id):
    """Removes a replaced PDF and a replaced generated cover, unless a live paper still shows
    them (a draft's new file waits for its publication)."""
    from .models import WhitePaperPage  # the models import this module

    live = WhitePaperPage.objects.live()
    if pdf_name and not live.filter(pdf=pdf_name).exists():
        private_storage().delete(pdf_name)
    if cover_id and not live.filter(generated_cover_id=cover_id).exists():
        get_image_model().objects.filter(pk=cover_id).delete()
