"""Generated content for load tests: standard pages below the home page.

Called by ``manage.py generate_content`` after the demo content is in place. Pages are added
with treebeard's ``add_child`` and published directly (``live=True``, no revision): hundreds of
pages in seconds, rendered exactly like edited ones.
"""

import time
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from .demo import home_page
from .models import StandardPage

SLUG_PREFIX = "genere-"

SUBJECTS = [
    "la proximité avec les locataires",
    "l'organisation des agences",
    "le numérique au service des habitants",
    "les regroupements d'organismes",
    "la qualité de service",
    "le management des équipes de terrain",
    "la maîtrise des charges",
    "la transition énergétique du patrimoine",
]


def missing_numbers(parent, count):
    """The numbers n in 1..count whose slug ``genere-<n>`` is not yet a child of ``parent``."""
    taken = set(
        parent.get_children()
        .filter(slug__startswith=SLUG_PREFIX)
        .values_list("slug", flat=True)
        .iterator()
    )
    return [n for n in range(1, count + 1) if f"{SLUG_PREFIX}{n}" not in taken]


def add_published(parent, page, number):
    """Adds ``page`` below ``parent``, live, without a revision, published ``number`` days ago."""
    published_at = timezone.now() - timedelta(days=number)
    page.slug = f"{SLUG_PREFIX}{number}"
    page.live = True
    page.has_unpublished_changes = False
    page.first_published_at = published_at
    page.last_published_at = published_at
    parent.add_child(instance=page)
    return page


def report(stdout, what, created, started):
    elapsed = time.monotonic() - started
    rate = f", {created / elapsed:.0f}/s" if created and elapsed else ""
    stdout.write(f"  + {created} {what} en {elapsed:.1f} s{rate}")


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
