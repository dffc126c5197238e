"""The demo site's frame: home page, about, legal notice, privacy policy, site settings.

Called by ``manage.py load_demo_content``, which makes the home page first (``home_page``) and
hands it to every app's ``load(home)`` as the parent of its pages; each function creates only
what is missing and returns a description of what it created, so that a second run changes
nothing.
"""

from urllib.parse import urlsplit

from django.conf import settings

from wagtail.models import Page, Site

from contacts.models import ContactSettings
from publications.demo import get_or_create_page

from .models import HomePage, SiteSettings, StandardPage

HOME_INTRO = (
    "Le club réunit les directeurs et les cadres dirigeants des organismes de logement social "
    "pour travailler ensemble : ateliers du club, journées débat et livres blancs."
)

ABOUT_BODY = [
    ("heading", {"text": "Les ateliers du club", "level": "h2"}),
    (
        "paragraph",
        "<p>Les ateliers du club visent à faciliter la mise en réseau de cadres souhaitant "
        "travailler collectivement, partager des expériences, interroger des expertises ou des "
        "chercheurs externes, éclairer un sujet, pour progresser collectivement.</p>",
    ),
    ("heading", {"text": "Les journées débat", "level": "h2"}),
    (
        "paragraph",
        "<p>Chaque journée débat réunit organismes, chercheurs et partenaires autour d'une "
        "question de management du logement social : proximité, organisation, numérique, "
        "regroupements.</p>",
    ),
    ("heading", {"text": "Les livres blancs", "level": "h2"}),
    (
        "paragraph",
        "<p>Les travaux du club et de ses partenaires sont publiés sous forme de livres blancs, "
        "à télécharger gratuitement depuis le catalogue.</p>",
    ),
]

LEGAL_BODY = [
    ("heading", {"text": "Éditeur du site", "level": "h2"}),
    (
        "paragraph",
        "<p>Le site est édité par le Club Management HLM. Directeur de la publication : le "
        "président du club.</p>",
    ),
    ("heading", {"text": "Hébergement", "level": "h2"}),
    ("paragraph", "<p>Le site est hébergé en France, dans l'Union européenne.</p>"),
    ("heading", {"text": "Propriété intellectuelle", "level": "h2"}),
    (
        "paragraph",
        "<p>Les livres blancs restent la propriété de leurs éditeurs. Ils sont mis à disposition "
        "pour un usage personnel et professionnel ; toute rediffusion demande leur accord.</p>",
    ),
]

PRIVACY_BODY = [
    ("heading", {"text": "Données collectées", "level": "h2"}),
    (
        "paragraph",
        "<p>Quand vous demandez un livre blanc, nous enregistrons vos nom, prénom, adresse "
        "e-mail professionnelle, organisme, type d'organisme, fonction et, si vous le donnez, "
        "votre téléphone, ainsi que la date de la demande et le texte du consentement affiché.</p>",
    ),
    ("heading", {"text": "Finalités", "level": "h2"}),
    (
        "paragraph",
        "<p>Ces données servent à vous envoyer le livre blanc demandé et à suivre les "
        "téléchargements. Elles ne servent à vous envoyer les actualités du club que si vous "
        "l'avez accepté, ce qui n'est jamais une condition du téléchargement.</p>",
    ),
    ("heading", {"text": "Durée de conservation", "level": "h2"}),
    (
        "paragraph",
        "<p>Vos données sont supprimées 36 mois après votre dernière demande.</p>",
    ),
    ("heading", {"text": "Vos droits", "level": "h2"}),
    (
        "paragraph",
        "<p>Vous pouvez demander à consulter, corriger ou effacer vos données en écrivant à "
        "l'adresse de contact indiquée en pied de page. Vous pouvez aussi saisir la CNIL.</p>",
    ),
]


def home_page():
    """The site's root page, made a HomePage (replacing Wagtail's welcome page) if needed."""
    site = Site.objects.filter(is_default_site=True).first()
    if site is not None and isinstance(site.root_page.specific, HomePage):
        return site.root_page.specific, False
    root = Page.get_first_root_node()
    home = HomePage.objects.first()
    created = home is None
    if created:
        home = HomePage(title="Club Management HLM", slug="accueil", intro=HOME_INTRO)
        root.add_child(instance=home)
        home.save_revision().publish()
    # The site's address is the one the README serves (WAGTAILADMIN_BASE_URL), so that
    # canonical links and the sitemap name it, port included.
    address = urlsplit(settings.WAGTAILADMIN_BASE_URL)
    hostname = address.hostname or "localhost"
    port = address.port or (443 if address.scheme == "https" else 80)
    if site is None:
        Site.objects.create(
            hostname=hostname,
            port=port,
            root_page=home,
            is_default_site=True,
            site_name="Club Management HLM",
        )
    else:
        previous_root = site.root_page
        site.root_page = home
        site.site_name = "Club Management HLM"
        site.hostname, site.port = hostname, port
        site.save()
        if previous_root.pk != home.pk and previous_root.content_type.model == "page":
            # Wagtail's "Welcome to your new Wagtail site!" page: the site's history (in the
            # admin, in French) records the deletion under the page's title.
            previous_root.title = previous_root.draft_title = "Page de bienvenue de Wagtail"
            previous_root.save(update_fields=["title", "draft_title"], clean=False)
            previous_root.delete()
    return home, created


def load(home):
    created = []
    about, new = get_or_create_page(
        home,
        StandardPage,
        "le-club",
        title="Le club",
        show_in_menus=True,
        summary="Un club de dirigeants du logement social pour réfléchir et progresser ensemble.",
        body=ABOUT_BODY,
    )
    if new:
        created.append("page « Le club »")
    legal, new = get_or_create_page(
        home,
        StandardPage,
        "mentions-legales",
        title="Mentions légales",
        summary="Éditeur, hébergement et propriété intellectuelle.",
        body=LEGAL_BODY,
    )
    if new:
        created.append("page « Mentions légales »")
    privacy, new = get_or_create_page(
        home,
        StandardPage,
        "politique-de-confidentialite",
        title="Politique de confidentialité",
        summary="Les données que nous enregistrons, pourquoi, combien de temps, et vos droits.",
        body=PRIVACY_BODY,
    )
    if new:
        created.append("page « Politique de confidentialité »")

    site_settings = SiteSettings.load()
    if site_settings.legal_page_id is None:
        site_settings.legal_page = legal
        site_settings.postal_address = site_settings.postal_address or "Paris, France"
        site_settings.save()
        created.append("paramètres du site")
    contact_settings = ContactSettings.load()
    if contact_settings.privacy_page_id is None:
        contact_settings.privacy_page = privacy
        contact_settings.contact_email = (
            contact_settings.contact_email or "contact@club-management-hlm.fr"
        )
        contact_settings.save()
        created.append("coordonnées et données personnelles")
    return created
