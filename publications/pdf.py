"""Reading the facts of a PDF (pages, size) and rendering its first page as a cover."""

import hashlib
import io
import logging
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.images import ImageFile

from pypdf import PdfReader
from pypdf.errors import PyPdfError

logger = logging.getLogger(__name__)

NOT_A_PDF = "Ce fichier n'est pas un PDF lisible. Exportez-le à nouveau en PDF puis réessayez."
ENCRYPTED_PDF = "Ce PDF est protégé par un mot de passe : déposez une version sans protection."


@dataclass(frozen=True)
class PdfFacts:
    pages: int
    size: int


def read_pdf_facts(file) -> PdfFacts:
    """Pages and size of an uploaded or stored PDF; a French ValidationError if it is not one."""
    file.seek(0)
    if file.read(5) != b"%PDF-":
        raise ValidationError(NOT_A_PDF, code="not_pdf")
    file.seek(0)
    try:
        reader = PdfReader(file)
        if reader.is_encrypted:
            raise ValidationError(ENCRYPTED_PDF, code="encrypted_pdf")
        pages = len(reader.pages)
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as error:
        logger.info("Refused an unreadable PDF: %s", error)
        raise ValidationError(NOT_A_PDF, code="not_pdf") from error
    finally:
        file.seek(0)
    if pages < 1:
        raise ValidationError(NOT_A_PDF, code="not_pdf")
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, io.SEEK_END)
        size = file.tell()
        file.seek(0)
    return PdfFacts(pages=pages, size=size)


def same_file(upload, stored) -> bool:
    """Whether an upload holds the very bytes of a stored file (compared by size, then by
    SHA-256, reading both in chunks)."""
    size = getattr(upload, "size", None)
    try:
        if size is not None and size != stored.size:
            return False
        with stored.open("rb") as current:
            return _digest(upload) == _digest(current)
    except OSError:  # the stored file is missing: the upload replaces it
        return False


def _digest(file):
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in iter(lambda: file.read(1 << 20), b""):
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def render_first_page(file, *, title: str, width: int = 720):
    """Renders page one as a PNG and stores it as a Wagtail image (the paper's fallback cover)."""
    import pypdfium2

    from wagtail.images import get_image_model

    file.seek(0)
    document = pypdfium2.PdfDocument(file.read())
    try:
        page = document[0]
        scale = width / page.get_width()
        bitmap = page.render(scale=scale)
        buffer = io.BytesIO()
        bitmap.to_pil().convert("RGB").save(buffer, format="PNG", optimize=True)
    finally:
        document.close()
        file.seek(0)
    image_model = get_image_model()
    image = image_model(title=f"Couverture – {title}"[:255])
    image.file = ImageFile(buffer, name="couverture.png")
    image.save()
    return image
