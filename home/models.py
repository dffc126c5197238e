from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from config import page_cache

from .admin_datetime import SETTINGS_PANELS
from .blocks import BodyBlock
from .serving import PublicPageMixin, SiteRootRouting

# --- Site-wide settings -----------------------------------------------------------------------


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
        return page_cache.versioned("site-settings", super()._get_or_create)

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

    def get_context(self, request, *args, **kwargs):
        # Imported here: events and publications depend on home for their shared snippets.
        from events.models import EventIndexPage, EventPage
        from publications.models import WhitePaperPage, with_card_renditions

        context = super().get_context(request, *args, **kwargs)
        page_cache.reads(request)  # no query parameter: ?x=1 is the same page
        today = timezone.localdate()

        def listings():
            return {
                "latest_white_papers": with_card_renditions(
                    list(WhitePaperPage.objects.for_listing()[:3])
                ),
                "agenda": EventIndexPage.objects.live().first(),
                "next_events": list(
                    EventPage.objects.for_listing().upcoming(today).in_agenda_order(today)[:3]
                ),
            }

        # Other pages than this one, so the same in a preview: once per purge and per day.
        context.update(page_cache.versioned(f"home-listings:{self.pk}:{today}", listings))
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

    def get_context(self, request, *args, **kwargs):
        page_cache.reads(request)  # no query parameter: ?x=1 is the same page
        return super().get_context(request, *args, **kwargs)
