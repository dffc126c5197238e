from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property

from wagtail import hooks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

import pagecache
from pagecache.purge import every_page, shown_on_pages
from pagecache.serving import PublicPageMixin, SiteRootRouting
from publications.admin_datetime import SETTINGS_PANELS
from publications.blocks import BodyBlock

# The worker's rows live beside its code (home/worker/); Django finds models here.
from .worker.models import ScheduledJob, WorkerHeartbeat  # noqa: F401

# --- Site-wide settings -----------------------------------------------------------------------


@shown_on_pages(every_page)
@register_setting(icon="cog")
class SiteSettings(BaseGenericSetting):
    """What the site's footer shows besides the club's identity (contacts.ContactSettings)."""

    postal_address = models.TextField(
        "adresse postale", blank=True, help_text="Une ligne par ligne d'adresse"
    )
    linkedin_url = models.URLField("page LinkedIn", blank=True)
    x_url = models.URLField("compte X (Twitter)", blank=True)
    youtube_url = models.URLField("chaîne YouTube", blank=True)
    legal_page = models.ForeignKey(
        Page,
        verbose_name="page « mentions légales »",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("postal_address")],
            heading="Adresse",
        ),
        MultiFieldPanel(
            [FieldPanel("linkedin_url"), FieldPanel("x_url"), FieldPanel("youtube_url")],
            heading="Réseaux sociaux",
        ),
        MultiFieldPanel([FieldPanel("legal_page")], heading="Pages légales"),
    ]

    # The footer shows the page on every request: fetch it with the settings.
    select_related = ["legal_page"]

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


# --- Share images -----------------------------------------------------------------------------


def _pages_showing(share_image):
    """The page whose links show the image, or every page for the site's default one."""
    return None if share_image.page_id is None else [share_image.page]


@shown_on_pages(_pages_showing)
class ShareImage(models.Model):
    """The image a shared link to a page shows (Open Graph), drawn when the page is published
    (home.share_images); the site's default one has no page. Saving it purges the pages that
    show it, whose metadata name the new file."""

    page = models.OneToOneField(
        Page,
        verbose_name="page",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="share_image",
    )
    file = models.CharField("fichier", max_length=255)
    width = models.PositiveIntegerField("largeur")
    height = models.PositiveIntegerField("hauteur")
    alt = models.CharField("texte alternatif", max_length=255)
    made_at = models.DateTimeField("dessinée le", auto_now=True)

    class Meta:
        verbose_name = "image de partage"
        verbose_name_plural = "images de partage"

    def __str__(self):
        return self.file
