"""Generated content for load tests: standard pages below the home page.

Called by ``manage.py generate_content`` after the demo content is in place. Pages are added
with treebeard's ``add_child`` and published directly (``live=True``, no revision): hundreds of
pages in seconds, rendered exactly like edited ones.
"""

import time
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from wagtail.models import Page
from wagtail.search.backends import get_search_backends

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


def add_published_in_bulk(parent, pages):
    """Adds live pages of one type below ``parent`` in a few queries, for thousands of generated
    pages: ``add_published`` costs some fifty queries a page, this about one.

    The tree paths are computed here; the Page rows go in with one bulk INSERT, the type's own
    rows with one raw INSERT each (as fixtures load: no signal handler acts on them), then the
    parent's child count and the search index are updated once. Left out compared with
    ``add_child``: revisions, the reference index (the admin's "usage" counts) and model
    validation, which the generators' fixed data do not need. Slugs, titles and publication
    dates are the caller's; child relations and many-to-many rows too, once this has given
    each page its id.
    """
    if not pages:
        return pages
    model = type(pages[0])
    parent = Page.objects.get(pk=parent.pk)  # the current numchild and path, not a stale copy
    last_child = parent.get_last_child()
    last_step = model._str2int(last_child.path[-model.steplen :]) if last_child else 0
    content_type = ContentType.objects.get_for_model(model)
    for offset, page in enumerate(pages, start=1):
        page.path = model._get_path(parent.path, parent.depth + 1, last_step + offset)
        page.depth = parent.depth + 1
        page.numchild = 0
        page.url_path = f"{parent.url_path}{page.slug}/"
        page.locale_id = parent.locale_id
        page.content_type = content_type
        page.draft_title = page.title
        page.live = True
        page.has_unpublished_changes = False
    base_pages = Page.objects.bulk_create(
        Page(
            **{field.attname: getattr(page, field.attname) for field in Page._meta.concrete_fields}
        )
        for page in pages
    )
    for page, base_page in zip(pages, base_pages, strict=True):
        page.id = page.pk = base_page.pk
        page.save_base(raw=True, force_insert=True)
    Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + len(pages))
    for backend in get_search_backends(with_auto_update=True):
        backend.add_bulk(model, pages)
    return pages


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
