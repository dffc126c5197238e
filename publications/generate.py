"""Generated content for load tests: white papers in the catalogue, leads and their requests.

Called by ``manage.py generate_content`` after the demo content is in place. Every generated
paper points at the same small PDF, stored once in the private storage. Leads and download
requests are inserted with bulk_create, one batch at a time, so that no table is ever loaded
whole into memory.
"""

import datetime
import time

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape

from contacts.models import Lead, Organisation, OrganisationType, Theme

from . import services
from .demo import ALL_PARAGRAPHS
from .forms import CONSENT_TEXT
from .models import DownloadRequest, WhitePaperIndexPage, WhitePaperPage
from .pdf import read_pdf_facts
from .seed_pdf import build_pdf

# --- What every app's generator shares (home's and events' import it from here) ------------

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
    published_at = timezone.now() - datetime.timedelta(days=number)
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


# --- White papers, leads and their requests ------------------------------------------------

BATCH_SIZE = 1000
PDF_NAME = "livres-blancs/genere-commun.pdf"
PDF_PAGES = 8
LEAD_DOMAIN = "exemple-club-hlm.fr"
PUBLISHERS = [
    ("Fédération des OPH", "OPH"),
    ("Organisme de démonstration Nord", "Démo Nord"),
    ("Organisme de démonstration Sud", "Démo Sud"),
    ("Organisme de démonstration Est", "Démo Est"),
    ("Organisme de démonstration Ouest", "Démo Ouest"),
]
THEMES = [
    ("Culture de service", "culture-de-service"),
    ("Organisation", "organisation"),
    ("Proximité", "proximite"),
    ("Numérique", "numerique"),
    ("Regroupements", "regroupements"),
]
FIRST_NAMES = ["Marie", "Thomas", "Nadia", "Julien", "Claire", "Karim", "Sophie", "Antoine"]
LAST_NAMES = ["Martin", "Bernard", "Petit", "Durand", "Leroy", "Moreau", "Garnier", "Roux"]
JOB_TITLES = ["Directrice générale", "Directeur de la proximité", "Responsable d'agence"]
ORGANISATION_TYPES = [choice.value for choice in OrganisationType]


def shared_pdf():
    """The one stored PDF every generated paper points at: (name, facts), built if missing."""
    storage = WhitePaperPage._meta.get_field("pdf").storage
    if not storage.exists(PDF_NAME):
        content = build_pdf(
            title="Livre blanc généré",
            publisher="Club Management HLM",
            year=2024,
            paragraphs=[escape(text) for text in ALL_PARAGRAPHS],
            pages=PDF_PAGES,
        )
        storage.save(PDF_NAME, ContentFile(content))
    with storage.open(PDF_NAME, "rb") as file:
        return PDF_NAME, read_pdf_facts(file)


def white_paper(number, *, publishers, themes, pdf_name, facts):
    subject = SUBJECTS[number % len(SUBJECTS)]
    paragraphs = [ALL_PARAGRAPHS[(number + offset) % len(ALL_PARAGRAPHS)] for offset in range(3)]
    paper = WhitePaperPage(
        title=f"Livre blanc généré n° {number} : {subject}",
        publisher=publishers[number % len(publishers)],
        publication_date=datetime.date(2010 + number % 16, 1 + number % 12, 1 + number % 28),
        language="en" if number % 10 == 0 else "fr",
        summary=f"Un livre blanc généré pour les tests de charge, sur {subject}.",
        introduction="".join(f"<p>{escape(text)}</p>" for text in paragraphs),
        table_of_contents="<ol><li>Constats</li><li>Expériences</li><li>Propositions</li></ol>",
        pdf=pdf_name,
        pdf_pages=facts.pages,
        pdf_size=facts.size,
    )
    paper.themes = [themes[number % len(themes)], themes[(number + 2) % len(themes)]]
    return paper


def generate_papers(count, stdout):
    started = time.monotonic()
    catalogue = WhitePaperIndexPage.objects.get()
    publishers = [
        Organisation.objects.get_or_create(name=name, defaults={"short_name": short})[0]
        for name, short in PUBLISHERS
    ]
    themes = [
        Theme.objects.get_or_create(slug=slug, defaults={"name": name})[0] for name, slug in THEMES
    ]
    pdf_name, facts = shared_pdf()
    numbers = missing_numbers(catalogue, count)
    with transaction.atomic():
        for done, number in enumerate(numbers, start=1):
            paper = white_paper(
                number, publishers=publishers, themes=themes, pdf_name=pdf_name, facts=facts
            )
            add_published(catalogue, paper, number)
            if done % 100 == 0:
                stdout.write(f"    {done}/{len(numbers)} livres blancs")
    report(stdout, "livres blancs", len(numbers), started)
    return catalogue


def lead(number):
    return Lead(
        email=f"{SLUG_PREFIX}{number}@{LEAD_DOMAIN}",
        first_name=FIRST_NAMES[number % len(FIRST_NAMES)],
        last_name=LAST_NAMES[number // len(FIRST_NAMES) % len(LAST_NAMES)],
        organisation=f"Office de démonstration n° {number % 97}",
        organisation_type=ORGANISATION_TYPES[number % len(ORGANISATION_TYPES)],
        job_title=JOB_TITLES[number % len(JOB_TITLES)],
        news_opt_in=number % 3 == 0,
    )


def generate_leads(count, catalogue, stdout):
    """``count`` leads (``genere-<n>@…``), each with one request for a paper of the catalogue."""
    started = time.monotonic()
    # At most a thousand papers to spread the requests over: a bounded list, whatever the size.
    papers = list(
        WhitePaperPage.objects.live()
        .child_of(catalogue)
        .order_by("path")
        .values_list("pk", "title", "url_path")[:BATCH_SIZE]
    )
    # url_path runs from the tree's root (/accueil/livres-blancs/x/); the site starts at home.
    site_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + "/"
    home_path = catalogue.get_parent().url_path
    created = 0
    for first in range(1, count + 1, BATCH_SIZE):
        candidates = {
            number: lead(number) for number in range(first, min(first + BATCH_SIZE, count + 1))
        }
        taken = set(
            Lead.objects.filter(email__in=[each.email for each in candidates.values()])
            .values_list("email", flat=True)
            .iterator()
        )
        new = {number: each for number, each in candidates.items() if each.email not in taken}
        with transaction.atomic():
            Lead.objects.bulk_create(new.values(), batch_size=BATCH_SIZE)
            DownloadRequest.objects.bulk_create(
                (
                    download_request(each, papers[number % len(papers)], site_url, home_path)
                    for number, each in new.items()
                ),
                batch_size=BATCH_SIZE,
            )
            services.recount_requests(
                Lead.objects.filter(email__in=[each.email for each in new.values()])
            )
        created += len(new)
        last = first + len(candidates) - 1
        stdout.write(
            f"    leads {first}-{last} : {len(new)} créés ({time.monotonic() - started:.1f} s)"
        )
    # Written in bulk, past the services that keep the report's totals.
    services.recount_paper_totals()
    report(stdout, "leads et demandes de téléchargement", created, started)


def download_request(each, paper, site_url, home_path):
    pk, title, url_path = paper
    return DownloadRequest(
        lead=each,
        paper_id=pk,
        paper_title=title,
        consent_text=CONSENT_TEXT,
        news_opt_in=each.news_opt_in,
        page_url=site_url + url_path.removeprefix(home_path),
    )


def generate(options, stdout):
    catalogue = generate_papers(options["papers"], stdout)
    if options["leads"]:
        generate_leads(options["leads"], catalogue, stdout)
