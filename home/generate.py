"""Generated content for load tests: standard pages below the home page.

Called by ``manage.py generate_content`` after the demo content is in place. Pages are added
with treebeard's ``add_child`` and published directly (``live=True``, no revision): hundreds of
pages in seconds, rendered exactly like edited ones.
"""

import time

from django.db import transaction

from publications.generate import SUBJECTS, add_published, missing_numbers, report

from .demo import home_page
from .models import StandardPage


def standard_page(number):
    subject = SUBJECTS[number % len(SUBJECTS)]
    return StandardPage(
        title=f"Page générée n° {number} : {subject}",
        summary=f"Une page de contenu générée pour les tests de charge, sur {subject}.",
        show_in_menus=False,
        body=[
            ("heading", {"text": f"Comprendre {subject}", "level": "h2"}),
            (
                "paragraph",
                f"<p>Les membres du club partagent leurs expériences sur {subject} : "
                "démarches engagées, difficultés rencontrées, résultats obtenus.</p>",
            ),
            ("heading", {"text": "Pour aller plus loin", "level": "h2"}),
            (
                "paragraph",
                "<p>Les ateliers du club et les livres blancs du catalogue prolongent ces "
                "échanges, au service des locataires et des équipes.</p>",
            ),
        ],
    )


def generate(options, stdout):
    started = time.monotonic()
    home, _ = home_page()
    numbers = missing_numbers(home, options["pages"])
    with transaction.atomic():
        for number in numbers:
            add_published(home, standard_page(number), number)
    report(stdout, "pages de contenu", len(numbers), started)
