"""The event presentation's blocks: the shared body blocks, with headings one level down (the
presentation sits under the page's own "Présentation de l'événement" heading) and a list of
the questions the event addresses."""

from wagtail import blocks

from publications.blocks import BodyBlock


class PresentationHeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label="Texte du titre", max_length=200)
    level = blocks.ChoiceBlock(
        label="Niveau",
        choices=[("h3", "Titre de partie"), ("h4", "Sous-titre")],
        default="h3",
        search_index=False,  # the level's label is not the page's text
    )

    class Meta:
        icon = "title"
        label = "Titre"
        template = "blocks/presentation_heading_block.html"
        preview_value = {"text": "Principe des ateliers du club", "level": "h3"}


class QuestionListBlock(blocks.StructBlock):
    intro = blocks.CharBlock(
        label="Phrase d'introduction",
        required=False,
        max_length=300,
        help_text="Par exemple : Trois séries de question constitueront la trame de l'atelier :",
    )
    questions = blocks.ListBlock(
        blocks.CharBlock(label="Question", max_length=500), label="Questions", min_num=1
    )

    class Meta:
        icon = "help"
        label = "Liste de questions"
        template = "blocks/question_list_block.html"
        preview_value = {
            "intro": "Trois séries de question constitueront la trame de l'atelier :",
            "questions": [
                "Où en est le logement social sur son organisation en proximité ?",
                "Que recouvre la notion de « proximité » ?",
            ],
        }
        preview_description = "Les questions auxquelles l'événement cherche à répondre."


class PresentationBlock(BodyBlock):
    heading = PresentationHeadingBlock()
    questions = QuestionListBlock()
