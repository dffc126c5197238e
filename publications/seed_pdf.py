"""Builds the seed white paper's PDF at load time: a title page, then pages set from the seed's
text. No binary is committed; reportlab writes it in memory."""

import io

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer


def build_pdf(*, title: str, publisher: str, year: int, paragraphs: list[str], pages: int) -> bytes:
    """A PDF of exactly ``pages`` pages: a title page, then one paragraph of the text a page,
    the text starting again from the top when it runs out."""
    styles = getSampleStyleSheet()
    title_style = ParagraphStyle("Titre", parent=styles["Title"], fontSize=26, leading=32)
    body_style = ParagraphStyle("Texte", parent=styles["BodyText"], fontSize=12, leading=17)
    heading_style = styles["Heading2"]

    story = [
        Spacer(1, 6 * cm),
        Paragraph(title, title_style),
        Spacer(1, 1 * cm),
        Paragraph(f"{publisher} – {year}", styles["Heading3"]),
    ]
    for number in range(1, pages):
        story.append(PageBreak())
        story.append(Paragraph(f"{number}. {title}", heading_style))
        story.append(Paragraph(paragraphs[(number - 1) % len(paragraphs)], body_style))

    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=title,
        author=publisher,
        lang="fr",
        leftMargin=2.5 * cm,
        rightMargin=2.5 * cm,
        topMargin=2.5 * cm,
        bottomMargin=2.5 * cm,
    )
    document.build(story)
    return buffer.getvalue()
