"""StreamField blocks shared by every page type that has free-form body content."""

from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageBlock

RICH_TEXT_FEATURES = ["bold", "italic", "link", "document-link", "ol", "ul", "blockquote", "h3"]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label="Texte du titre", max_length=200)
    level = blocks.ChoiceBlock(
        label="Niveau",
        choices=[("h2", "Titre de section (niveau 2)"), ("h3", "Sous-titre (niveau 3)")],
        default="h2",
        search_index=False,  # the level's label is not the page's text
    )

    class Meta:
        icon = "title"
        label = "Titre"
        template = "blocks/heading_block.html"
        preview_value = {"text": "Principe des ateliers du club", "level": "h2"}


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label="Citation")
    attribution = blocks.CharBlock(
        label="Auteur", required=False, help_text="Par exemple : Laurent Goyard, directeur général"
    )

    class Meta:
        icon = "openquote"
        label = "Citation"
        template = "blocks/quote_block.html"


class DocumentLinkBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label="Document")
    title = blocks.CharBlock(
        label="Libellé du lien", required=False, help_text="Laisser vide pour reprendre le titre"
    )

    class Meta:
        icon = "doc-full"
        label = "Lien vers un document"
        template = "blocks/document_link_block.html"


class BodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label="Paragraphe",
        features=RICH_TEXT_FEATURES,
        icon="pilcrow",
        template="blocks/paragraph_block.html",
    )
    quote = QuoteBlock()
    image = ImageBlock(label="Image", template="blocks/image_block.html")
    embed = EmbedBlock(
        label="Vidéo ou contenu intégré",
        help_text="Adresse d'une vidéo YouTube ou Vimeo",
        icon="media",
        template="blocks/embed_block.html",
    )
    document = DocumentLinkBlock()
