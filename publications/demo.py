"""The catalogue and the seed white paper (seed 003), word for word where the seed gives words."""

import datetime

from django.core.files.base import ContentFile
from django.utils.html import escape

from contacts.models import Organisation, Theme

from .models import WhitePaperIndexPage, WhitePaperPage
from .pdf import read_pdf_facts, render_first_page
from .seed_pdf import build_pdf

TITLE = "La culture de service, un levier de la transformation des offices"
SUMMARY = (
    "Ce document, en lien avec la journée nationale du 1er février 2018, et dans un contexte "
    "perturbé pour les bailleurs sociaux, se veut une contribution pour démontrer la nécessité "
    "de maintenir le service offert aux locataires, ce qui relève d’un marqueur fort pour nos "
    "offices."
)
# Seed 003's "Introduction ou extrait du livre blanc", paragraph by paragraph.
INTRODUCTION_PARAGRAPHS = [
    '"La démarche engagée par la Fédération sur les “nouveaux services” s’est voulue ouverte, '
    "prospective et riche par les multiples expériences et initiatives présentées tant par des "
    "contributeurs extérieurs que par les organismes.",
    "Nous en remercions les intervenants pour la qualité de leur présentation. Nous avons voulu "
    "vous faire partager dans ce document la richesse des débats et des différents points "
    "abordés lors des séances du groupe, sans avoir la prétention de vous livrer un produit fini "
    "sur la question.",
    SUMMARY,
    "Nous tenons à remercier les participants du groupe de travail fédéral pour leur "
    "implication, ainsi que Benoît Meyronin, professeur à Grenoble Ecole de Management, pour "
    "l’ensemble de ses apports et de ses écrits.",
]
INTRODUCTION_BULLETS = [
    "Pourquoi engager une réflexion en profondeur sur les “nouveaux services” ?",
    "Lors de l’Assemblée générale des offices en 2016 s’est tenue la table ronde intitulée "
    "« Nouvelles attentes, nouveaux services, nouveaux produits : quelles réponses des offices ? "
    "» dont les débats ont suscité de nombreuses réactions.",
]
INTRODUCTION_CONTINUED = [
    "C’est la preuve de l’importance grandissante de la réflexion autour des innovations "
    "possibles au sein des offices, visant à répondre toujours mieux aux attentes des habitants "
    "et des partenaires – et ce bien sûr au niveau du cœur de l’offre (le logement), mais aussi "
    "et de plus en plus, à travers des services mieux rendus, voire nouveaux.",
    "Or ces attentes sont faites de constantes mais aussi de besoins émergents. En effet, la "
    "population accueillie en HLM est de moins en moins homogène, les modes de vie et les "
    "parcours résidentiels y sont très diversifiés.",
    "Proposer une offre type comme il y a 30 ans n’est plus possible. Au-delà d’un logement, il "
    "est souvent devenu nécessaire de proposer des services intégrés.",
    "Ces nouveaux services imaginés, expérimentés et mis en place dans les territoires vont "
    "au-delà des missions de base d’un organisme HLM, de son cœur de métier.",
    "Ils peuvent par exemple prendre la forme de nouveaux types de foyers au sein desquels "
    "l’organisme assure les services en propre, ou encore la construction de maisons médicales "
    "pour maintenir une offre de santé dans les territoires ruraux, ou pour des publics "
    "spécifiques comme les apprentis, de logements adaptés, connectés et bénéficiant d’un "
    "système de conciergerie, etc.",
    "Cette interpellation des bailleurs sur certaines thématiques est d’autant plus forte pour "
    "les OPH, du fait de leur gouvernance et de leur positionnement comme acteur du "
    "développement local au service des collectivités territoriales dans le cadre des "
    "politiques locales de l’habitat.",
    "De plus en plus, et notamment en territoires détendus, les locataires ne choisissent pas "
    "seulement leur logement et son environnement mais aussi une offre de services, qui doit "
    "être pensée et adaptée en fonction des publics, des territoires et de la complexité des "
    "situations.",
    "Au-delà de leur mission d’offre de logements abordables et de qualité, les OPH se doivent "
    "d’accompagner ces mutations, d’adapter leur organisation et leur management des équipes "
    "pour une culture de service renouvelée.",
    "Pour Laurent Goyard, directeur général de la Fédération, « le sens de ces nouveaux services "
    "est de contribuer à assurer la pérennité d’un modèle social du logement, les organismes "
    'apportant par ce biais une forme de protection notamment pour les personnes fragiles »."',
]
ALL_PARAGRAPHS = INTRODUCTION_PARAGRAPHS + INTRODUCTION_BULLETS + INTRODUCTION_CONTINUED
PAGES = 32


def introduction_html():
    paragraphs = "".join(f"<p>{escape(text)}</p>" for text in INTRODUCTION_PARAGRAPHS)
    bullets = "".join(f"<li>{escape(text)}</li>" for text in INTRODUCTION_BULLETS)
    continued = "".join(f"<p>{escape(text)}</p>" for text in INTRODUCTION_CONTINUED)
    return f"{paragraphs}<ul>{bullets}</ul>{continued}"


def get_or_create_page(parent, model, slug, **fields):
    """The child of ``parent`` with this slug, created and published if missing (every app's
    demo builds its pages with it: home's and events' import it from here)."""
    existing = parent.get_children().filter(slug=slug).first()
    if existing is not None:
        return existing.specific, False
    page = model(slug=slug, **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page, True


def seed_pdf_file():
    content = build_pdf(
        title=TITLE,
        publisher="Fédération des OPH",
        year=2018,
        paragraphs=[escape(text) for text in ALL_PARAGRAPHS],
        pages=PAGES,
    )
    return ContentFile(content, name="la-culture-de-service.pdf")


def load(home):
    """The catalogue below ``home`` (the site's root page), and the seed paper in it."""
    created = []
    catalogue, new = get_or_create_page(
        home,
        WhitePaperIndexPage,
        "livres-blancs",
        title="Livres blancs",
        show_in_menus=True,
        intro="<p>Les livres blancs du club et de ses partenaires, à télécharger gratuitement.</p>",
    )
    if new:
        created.append("catalogue des livres blancs")

    publisher, new = Organisation.objects.get_or_create(
        name="Fédération des OPH", defaults={"short_name": "OPH"}
    )
    if new:
        created.append("organisation « Fédération des OPH »")
    themes = []
    for name, slug in [
        ("Culture de service", "culture-de-service"),
        ("Organisation", "organisation"),
    ]:
        theme, new = Theme.objects.get_or_create(slug=slug, defaults={"name": name})
        themes.append(theme)
        if new:
            created.append(f"thème « {name} »")

    if catalogue.get_children().filter(slug="la-culture-de-service").exists():
        return created
    pdf = seed_pdf_file()
    facts = read_pdf_facts(pdf)
    paper = WhitePaperPage(
        title=TITLE,
        slug="la-culture-de-service",
        publisher=publisher,
        publication_date=datetime.date(2018, 2, 1),
        language="fr",
        summary=SUMMARY,
        introduction=introduction_html(),
        pdf_pages=facts.pages,
        pdf_size=facts.size,
        thank_you_text="<p>Merci ! Bonne lecture de « La culture de service, un levier de la "
        "transformation des offices ».</p>",
    )
    paper.pdf.save(pdf.name, pdf, save=False)
    paper.generated_cover = render_first_page(pdf, title=TITLE)
    catalogue.add_child(instance=paper)
    paper.themes.set(themes)
    paper.save_revision().publish()
    created.append(f"livre blanc « {TITLE} » ({facts.pages} pages)")
    return created
