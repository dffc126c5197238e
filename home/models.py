from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property

from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

import pagecache
from pagecache.purge import every_page, pages_using_it, shown_on_pages
from pagecache.serving import PublicPageMixin, SiteRootRouting

from .admin_datetime import SETTINGS_PANELS
from .blocks import BodyBlock

# --- Shared snippets: events and white papers both use them -----------------------------------


@shown_on_pages(pages_using_it)
class Theme(models.Model):
    """A subject of the shared taxonomy: proximité, organisation, numérique…"""

    name = models.CharField("nom", max_length=100, unique=True, help_text="Par exemple : Proximité")
    slug = models.SlugField(
        "identifiant dans l'adresse",
        max_length=100,
        unique=True,
        help_text="Lettres minuscules et tirets, par exemple : proximite",
    )

    panels = [FieldPanel("name"), FieldPanel("slug")]

    class Meta:
        ordering = ["name"]
        verbose_name = "thème"
        verbose_name_plural = "thèmes"

    def __str__(self):
        return self.name


@shown_on_pages(pages_using_it)
class Organisation(index.Indexed, models.Model):
    """A publisher, a pilot, an organiser or a partner."""

    name = models.CharField(
        "nom", max_length=200, unique=True, help_text="Par exemple : Fédération des OPH"
    )
    short_name = models.CharField(
        "nom court",
        max_length=60,
        blank=True,
        help_text="Affiché dans les listes quand il existe, par exemple : Editeur OPH",
    )
    website = models.URLField("site web", blank=True)

    panels = [FieldRowPanel([FieldPanel("name"), FieldPanel("short_name")]), FieldPanel("website")]
    # What a page indexes of an organisation it names (the site search finds the page by it).
    name_search_fields = [index.SearchField("name"), index.SearchField("short_name")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = "organisation"
        verbose_name_plural = "organisations"

    def __str__(self):
        return self.name

    @property
    def display_name(self):
        return self.short_name or self.name


@shown_on_pages(pages_using_it)
class Person(index.Indexed, models.Model):
    """An author, a speaker, a grand témoin…"""

    first_name = models.CharField("prénom", max_length=100)
    last_name = models.CharField("nom", max_length=100)
    job_title = models.CharField(
        "fonction",
        max_length=200,
        blank=True,
        help_text="Par exemple : professeur à l'école d'urbanisme de Paris",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
    )

    panels = [
        FieldRowPanel([FieldPanel("first_name"), FieldPanel("last_name")]),
        FieldPanel("job_title"),
        FieldPanel("organisation"),
    ]
    # What a page indexes of a person it names (the site search finds the page by it).
    name_search_fields = [index.SearchField("first_name"), index.SearchField("last_name")]
    search_fields = [*name_search_fields, index.AutocompleteField("last_name")]

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = "personne"
        verbose_name_plural = "personnes"

    def __str__(self):
        return f"{self.first_name} {self.last_name}"


# --- Site-wide settings -----------------------------------------------------------------------


@shown_on_pages(every_page)
@register_setting(icon="cog")
class SiteSettings(BaseGenericSetting):
    organisation_name = models.CharField(
        "nom de l'organisation", max_length=200, default="Club Management HLM"
    )
    contact_email = models.EmailField(
        "adresse de contact", blank=True, help_text="Affichée en pied de page"
    )
    postal_address = models.TextField(
        "adresse postale", blank=True, help_text="Une ligne par ligne d'adresse"
    )
    linkedin_url = models.URLField("page LinkedIn", blank=True)
    x_url = models.URLField("compte X (Twitter)", blank=True)
    youtube_url = models.URLField("chaîne YouTube", blank=True)
    privacy_page = models.ForeignKey(
        Page,
        verbose_name="page « politique de confidentialité »",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Liée depuis le formulaire de demande de livre blanc et le pied de page",
    )
    legal_page = models.ForeignKey(
        Page,
        verbose_name="page « mentions légales »",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    lead_retention_months = models.PositiveSmallIntegerField(
        "durée de conservation des leads (mois)",
        default=36,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text="Les leads sans demande plus récente sont supprimés au-delà de cette durée",
    )

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("organisation_name"),
                FieldPanel("contact_email"),
                FieldPanel("postal_address"),
            ],
            heading="Coordonnées",
        ),
        MultiFieldPanel(
            [FieldPanel("linkedin_url"), FieldPanel("x_url"), FieldPanel("youtube_url")],
            heading="Réseaux sociaux",
        ),
        MultiFieldPanel(
            [FieldPanel("privacy_page"), FieldPanel("legal_page")], heading="Pages légales"
        ),
        MultiFieldPanel([FieldPanel("lead_retention_months")], heading="Données personnelles"),
    ]

    # The footer shows both pages on every request: fetch them with the settings.
    select_related = ["privacy_page", "legal_page"]

    class Meta:
        verbose_name = "paramètres du site"

    @classmethod
    def _get_or_create(cls):
        # Every page shows them: read once per purge (saving them purges), not per request.
        return pagecache.versioned("site-settings", super()._get_or_create)

    @cached_property
    def social_links(self):
        links = [
            ("LinkedIn", self.linkedin_url),
            ("X (Twitter)", self.x_url),
            ("YouTube", self.youtube_url),
        ]
        return [(label, url) for label, url in links if url]


# --- Pages ------------------------------------------------------------------------------------


class HomePage(SiteRootRouting, PublicPageMixin, Page):
    intro = models.TextField(
        "introduction",
        blank=True,
        help_text="Une ou deux phrases qui présentent le club, sous le titre",
    )

    content_panels = Page.content_panels + [FieldPanel("intro")]
    settings_panels = SETTINGS_PANELS
    search_fields = Page.search_fields + [index.SearchField("intro")]

    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = "page d'accueil"

    def get_meta_description(self):
        return self.search_description or self.intro

    def search_result_text(self):
        """What a search result's excerpt is cut from (search.results)."""
        return self.search_description or self.intro

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        pagecache.reads(request)  # no query parameter: ?x=1 is the same page
        today = timezone.localdate()

        def listings():
            # Each app below says what it shows here (the next events, the latest white
            # papers) with a "home_page_listings" hook in its wagtail_hooks: a function of
            # the day that returns template variables.
            shown = {}
            for listing in hooks.get_hooks("home_page_listings"):
                shown.update(listing(today))
            return shown

        # Other pages than this one, so the same in a preview: once per purge and per day.
        context.update(pagecache.versioned(f"home-listings:{self.pk}:{today}", listings))
        return context


class StandardPage(PublicPageMixin, Page):
    """About, legal notice, privacy policy: a title, a summary and a free body."""

    summary = models.TextField(
        "résumé",
        blank=True,
        help_text="Une ou deux phrases, reprises dans les listes et par les moteurs de recherche",
    )
    body = StreamField(BodyBlock(), verbose_name="contenu", blank=True)

    content_panels = Page.content_panels + [FieldPanel("summary"), FieldPanel("body")]
    settings_panels = SETTINGS_PANELS
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
    ]

    parent_page_types = ["home.HomePage", "home.StandardPage"]
    subpage_types = ["home.StandardPage"]

    class Meta:
        verbose_name = "page de contenu"
        verbose_name_plural = "pages de contenu"

    def get_meta_description(self):
        return self.search_description or self.summary

    # What a search result shows (search.results).
    @classmethod
    def search_result_pages(cls, pages):
        return pages.defer_streamfields()

    def search_result_text(self):
        return self.summary or self.search_description

    def get_context(self, request, *args, **kwargs):
        pagecache.reads(request)  # no query parameter: ?x=1 is the same page
        return super().get_context(request, *args, **kwargs)


# --- Outgoing mail ----------------------------------------------------------------------------


class OutboundEmail(models.Model):
    """A mail the site owes someone, written in the same transaction as what caused it.

    Sending happens after the commit and is retried until it succeeds (home.outbox): a mail
    server that is down loses nothing and blocks nobody.
    """

    to = models.EmailField("destinataire")
    subject = models.CharField("objet", max_length=255)
    body = models.TextField("texte")
    # Text files only (an .ics calendar): [{"filename": …, "content": …, "mimetype": …}].
    attachments = models.JSONField("pièces jointes", default=list, blank=True)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    sent_at = models.DateTimeField("envoyé le", null=True, blank=True, db_index=True)
    attempts = models.PositiveSmallIntegerField("tentatives", default=0)
    next_attempt_at = models.DateTimeField("prochaine tentative", default=timezone.now)
    last_error = models.CharField("dernière erreur", max_length=500, blank=True)

    class Meta:
        verbose_name = "e-mail à envoyer"
        verbose_name_plural = "e-mails à envoyer"
        indexes = [models.Index(fields=["sent_at", "next_attempt_at"])]

    def __str__(self):
        return f"{self.subject} → {self.to}"


# --- The worker's rows (home.worker) -----------------------------------------------------------

from .worker.models import ScheduledJob, WorkerHeartbeat  # noqa: E402, F401
