import html
import uuid

from django import forms
from django.core.paginator import Paginator
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Prefetch
from django.db.models.functions import ExtractYear
from django.utils.functional import cached_property
from django.utils.html import strip_tags

from modelcluster.fields import ParentalKey, ParentalManyToManyField

from wagtail.admin.panels import (
    FieldPanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.images import get_image_model
from wagtail.models import Orderable, Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

import pagecache
from contacts.models import Lead, Organisation, Person, Theme
from pagecache.cards import render_cards
from pagecache.purge import its_page, shown_on_pages
from pagecache.serving import PublicPageMixin

from .admin_datetime import DATE_EXAMPLE, SETTINGS_PANELS
from .admin_forms import PrivateFileInput, WhitePaperPageForm
from .blocks import RICH_TEXT_FEATURES
from .inline_panel import FrenchInlinePanel
from .link_filters import LinkFilters
from .storage import private_storage

# The renditions a catalogue card shows (1x and 2x, AVIF and WebP), prefetched with the
# listing: keep them in step with templates/components/white_paper_card.html. "max", not
# "fill": a cover keeps its own proportions, never cropped to the card's.
LISTING_COVERS = tuple(
    f"max-{size}|format-{format}" for format in ("avif", "webp") for size in ("240x340", "480x680")
)
# The cover on the paper's own page, fetched with it when it is served: keep them in step with
# templates/publications/white_paper_page.html.
DETAIL_COVERS = tuple(
    f"max-{size}|format-{format}" for format in ("avif", "webp") for size in ("360x510", "720x1020")
)


class Language(models.TextChoices):
    FRENCH = "fr", "Français"
    ENGLISH = "en", "Anglais"


class WhitePaperIndexPage(PublicPageMixin, Page):
    """The catalogue: every live white paper below it, newest first, with filters."""

    intro = RichTextField("introduction", blank=True, features=RICH_TEXT_FEATURES)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    settings_panels = SETTINGS_PANELS
    search_fields = Page.search_fields + [index.SearchField("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["publications.WhitePaperPage"]
    max_count = 1
    papers_per_page = 12

    class Meta:
        verbose_name = "catalogue des livres blancs"

    def get_meta_description(self):
        return self.search_description or strip_tags(self.intro).strip()

    def search_result_text(self):
        """What a search result's excerpt is cut from (search.results)."""
        return self.search_description or html.unescape(strip_tags(self.intro))

    @staticmethod
    def cards(request, ids):
        """The cards of the papers ``ids``. The first one's cover is above the fold and, on a
        phone (one card a row), the largest thing there: it is not lazy, so the browser finds
        it while reading the page instead of after the first layout; the others wait until
        they near the screen. No fetchpriority="high": the file is small, and asked for
        beside the stylesheets and fonts it would only take a connection from them."""

        def render(ids, **context):
            return render_cards(
                request,
                ids,
                template="components/white_paper_card.html",
                name="paper",
                fetch=lambda ids: WhitePaperPage.objects.for_listing().filter(pk__in=ids),
                heading="h2",
                **context,
            )

        return (render(ids[:1], eager=True) if ids else []) + (render(ids[1:]) if ids[1:] else [])

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        all_papers = WhitePaperPage.objects.live().descendant_of(self)
        filters = CatalogueFilters(request.GET)
        paper_ids = filters.apply(all_papers.newest_first()).values_list("pk", flat=True)
        # The count and the filters' choices change only when a paper is published: read
        # once per purge (pagecache), not per request.
        facets = pagecache.versioned(f"catalogue-facets:{self.pk}", lambda: self.facets())
        themes, publishers, years = facets["themes"], facets["publishers"], facets["years"]
        paginator = Paginator(paper_ids, self.papers_per_page)
        if not filters.active:
            paginator.count = facets["count"]
        papers = paginator.get_page(request.GET.get("page"))
        pagecache.reads(
            request,
            **filters.used(
                {
                    "theme": [t.slug for t in themes],
                    "editeur": [str(o.pk) for o in publishers],
                    "annee": [str(y) for y in years],
                }
            ),
            page=papers.number if "page" in request.GET else "",
        )
        context.update(
            papers=papers,
            cards=self.cards(request, list(papers)),
            total_count=facets["count"],
            filters=filters,
            filter_groups=[
                ("Thème", filters.links("theme", [(t.slug, t.name) for t in themes])),
                (
                    "Éditeur",
                    filters.links("editeur", [(str(o.pk), o.display_name) for o in publishers]),
                ),
                ("Année", filters.links("annee", [(str(y), str(y)) for y in years])),
            ],
        )
        return context

    def facets(self):
        all_papers = WhitePaperPage.objects.live().descendant_of(self)
        years = (
            all_papers.annotate(year=ExtractYear("publication_date"))
            .order_by("-year")
            .values_list("year", flat=True)
            .distinct()
        )
        return {
            "count": all_papers.count(),
            "themes": list(Theme.objects.filter(whitepaperpage__in=all_papers).distinct()),
            "publishers": list(
                Organisation.objects.filter(published_papers__in=all_papers).distinct()
            ),
            "years": list(years),
        }


class CatalogueFilters(LinkFilters):
    """The catalogue's filters: theme, publisher and year."""

    names = ("theme", "editeur", "annee")

    def clean(self):
        for name in ("editeur", "annee"):
            if not self.values[name].isdigit():
                self.values[name] = ""

    def apply(self, papers):
        if self.values["theme"]:
            papers = papers.filter(themes__slug=self.values["theme"])
        if self.values["editeur"]:
            papers = papers.filter(publisher_id=int(self.values["editeur"]))
        if self.values["annee"]:
            papers = papers.filter(publication_date__year=int(self.values["annee"]))
        return papers


def with_card_renditions(papers):
    """``papers`` (a list) with every rendition their cards show made: a list kept in the cache
    until the next purge (pagecache) must carry them all, since a missing one would
    be looked for on every request that reads the list."""
    for paper in papers:
        if paper.cover:
            paper.cover.get_renditions(*LISTING_COVERS)
    return papers


class WhitePaperPageQuerySet(PageQuerySet):
    def newest_first(self):
        return self.live().order_by("-publication_date", "-first_published_at")

    def with_covers(self, *renditions):
        """The publisher, and the cover (chosen or generated) with these renditions."""
        images = get_image_model().objects.prefetch_renditions(*renditions)
        return self.select_related("publisher").prefetch_related(
            Prefetch("cover_image", queryset=images),
            Prefetch("generated_cover", queryset=images),
        )

    def for_listing(self):
        """Live papers, newest first, with what a card shows in a fixed number of queries."""
        return self.newest_first().with_covers(*LISTING_COVERS)


class WhitePaperPage(PublicPageMixin, RoutablePageMixin, Page):
    publisher = models.ForeignKey(
        Organisation,
        verbose_name="éditeur",
        on_delete=models.PROTECT,
        related_name="published_papers",
        help_text="Par exemple : Fédération des OPH",
    )
    publication_date = models.DateField(
        "date de publication",
        help_text=f"Par exemple : {DATE_EXAMPLE}. Seule l'année est affichée aux visiteurs",
    )
    language = models.CharField(
        "langue", max_length=2, choices=Language.choices, default=Language.FRENCH
    )
    themes = ParentalManyToManyField(Theme, verbose_name="thèmes", blank=True)
    cover_image = models.ForeignKey(
        get_image_model(),
        verbose_name="couverture",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Facultative : sans image, la première page du PDF sert de couverture",
    )
    generated_cover = models.ForeignKey(
        get_image_model(),
        verbose_name="couverture tirée du PDF",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    summary = models.TextField(
        "résumé",
        max_length=400,
        help_text="Deux ou trois phrases : reprises dans le catalogue, "
        "la description pour les moteurs et les partages",
    )
    introduction = RichTextField(
        "introduction ou extrait",
        features=RICH_TEXT_FEATURES,
        help_text="Les citations sont permises",
    )
    table_of_contents = RichTextField(
        "sommaire", blank=True, features=["ol", "ul", "bold", "italic"]
    )
    pdf = models.FileField(
        "fichier PDF",
        storage=private_storage,
        upload_to="livres-blancs/",
        validators=[FileExtensionValidator(["pdf"], message="Le fichier doit être un PDF.")],
        help_text="Jamais public : servi seulement après une demande de téléchargement. "
        "Le nombre de pages et la taille sont lus dans le fichier.",
    )
    pdf_pages = models.PositiveIntegerField("nombre de pages", default=0, editable=False)
    pdf_size = models.PositiveBigIntegerField(
        "taille du fichier (octets)", default=0, editable=False
    )
    cta_label = models.CharField(
        "libellé du bouton", max_length=80, default="Obtenir le livre blanc"
    )
    thank_you_text = RichTextField(
        "texte de remerciement",
        features=["bold", "italic", "link"],
        default="<p>Merci ! Votre livre blanc est prêt.</p>",
        help_text="Affiché après la demande, au-dessus du lien de téléchargement",
    )

    objects = PageManager.from_queryset(WhitePaperPageQuerySet)()
    base_form_class = WhitePaperPageForm

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("introduction"),
        FieldPanel("table_of_contents"),
    ]
    publication_panels = [
        MultiFieldPanel(
            [
                FieldPanel("publisher"),
                FrenchInlinePanel(
                    "authors", add_label="un auteur", label="Auteur", heading="Auteurs"
                ),
                FieldPanel("publication_date"),
                FieldPanel("language"),
                FieldPanel("themes", widget=forms.CheckboxSelectMultiple),
            ],
            heading="Publication",
        ),
        MultiFieldPanel(
            [FieldPanel("pdf", widget=PrivateFileInput), FieldPanel("cover_image")],
            heading="Fichier",
        ),
        MultiFieldPanel([FieldPanel("cta_label"), FieldPanel("thank_you_text")], heading="Demande"),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading="Contenu"),
            ObjectList(publication_panels, heading="Publication et fichier"),
            ObjectList(Page.promote_panels, heading="Référencement"),
            ObjectList(SETTINGS_PANELS, heading="Réglages"),
        ]
    )
    search_fields = Page.search_fields + [
        index.SearchField("summary", boost=2),  # above the rest of the body (search.ranking)
        index.SearchField("introduction"),
        index.SearchField("table_of_contents"),
        index.SearchField("search_result_label"),  # "Livre blanc", as visitors name it
        index.RelatedFields("themes", [index.SearchField("name")]),
        index.RelatedFields("publisher", Organisation.name_search_fields),
        index.RelatedFields("authors", [index.RelatedFields("person", Person.name_search_fields)]),
        index.FilterField("publication_date"),
    ]

    parent_page_types = ["publications.WhitePaperIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = "livre blanc"
        verbose_name_plural = "livres blancs"

    @property
    def cover(self):
        return self.cover_image or self.generated_cover

    @property
    def year(self):
        return self.publication_date.year

    @property
    def format_line(self):
        """ "Version PDF - 32 pages - 2018 - Français", from the file itself."""
        return f"Version PDF - {self.pdf_pages} pages - {self.year} - {self.get_language_display()}"

    def get_meta_description(self):
        return self.search_description or self.summary

    # What a search result shows (search.results).
    search_result_label = "Livre blanc"
    search_filter_label = "Livres blancs"

    def search_result_date(self):
        return str(self.year)  # what editors were told visitors see: the year only

    def search_result_text(self):
        return self.summary or self.search_description

    @classmethod
    def for_serving(cls, pk):
        """The page as it is served (pagecache.serving): with its publisher, and its cover with the
        renditions the page shows, made if missing, so that the page kept in the cache
        carries them (otherwise every render asks the cache for them, and writes them back)."""
        page = cls.objects.with_covers(*DETAIL_COVERS).get(pk=pk)
        if page.cover:
            page.cover.get_renditions(*DETAIL_COVERS)
        return page

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(pagecache.page_data(request, self, self.shown_relations))
        return context

    def shown_relations(self):
        """Its authors, its themes and the live events that list it: three queries, once per
        purge (pagecache.page_data)."""
        # Events sit above publications: their page type is reached through the reverse
        # relation of events' EventRelatedPaper, and their listing rules stay theirs.
        event_page = self.event_links.model._meta.get_field("page").related_model
        return {
            "authors": [author.person for author in self.authors.select_related("person")],
            "themes": list(self.themes.all()),
            "related_events": list(event_page.objects.for_listing().listing_paper(self)),
        }

    # The views of the routes, by route name, each called as ``view(request, page)``: the page
    # and its request form, and the thank-you page. They are publications.views', which
    # publications.apps plugs in at start-up: a model never imports a view.
    form_views = {}

    @path("")
    def request_form(self, request):
        return self.form_views["request_form"](request, self)

    @path("merci/")
    def thank_you(self, request):
        return self.form_views["thank_you"](request, self)

    def get_sitemap_urls(self, request=None):
        # The thank-you route is per visitor and never listed; only the page itself is.
        return super().get_sitemap_urls(request)


@shown_on_pages(its_page)
class WhitePaperAuthor(Orderable):
    page = ParentalKey(WhitePaperPage, on_delete=models.CASCADE, related_name="authors")
    person = models.ForeignKey(
        Person, verbose_name="personne", on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("person")]

    class Meta(Orderable.Meta):
        verbose_name = "auteur"
        verbose_name_plural = "auteurs"


class DownloadRequest(models.Model):
    """A lead's request for one paper, with the consent they gave and where they came from."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    lead = models.ForeignKey(
        Lead, verbose_name="lead", null=True, on_delete=models.SET_NULL, related_name="requests"
    )
    paper = models.ForeignKey(
        WhitePaperPage,
        verbose_name="livre blanc",
        null=True,
        on_delete=models.SET_NULL,
        related_name="download_requests",
    )
    paper_title = models.CharField("titre du livre blanc", max_length=255)
    created_at = models.DateTimeField("date de la demande", auto_now_add=True, db_index=True)
    consent_text = models.TextField("texte de consentement affiché")
    # The box as ticked on this form: an ask; the lead holds the confirmed consent.
    news_opt_in = models.BooleanField("actualités acceptées", default=False)
    page_url = models.URLField("page", max_length=500)
    referrer = models.CharField("provenance", max_length=500, blank=True)
    utm_source = models.CharField(max_length=100, blank=True)
    utm_medium = models.CharField(max_length=100, blank=True)
    utm_campaign = models.CharField(max_length=100, blank=True)
    utm_term = models.CharField(max_length=100, blank=True)
    utm_content = models.CharField(max_length=100, blank=True)
    download_count = models.PositiveIntegerField("téléchargements", default=0)
    last_downloaded_at = models.DateTimeField("dernier téléchargement", null=True, blank=True)

    class Meta:
        verbose_name = "demande de téléchargement"
        verbose_name_plural = "demandes de téléchargement"
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["lead", "paper", "created_at"]),
            # The requests of one paper, newest first (the list filtered by paper).
            models.Index(fields=["paper", "-created_at"], name="request_paper_newest_idx"),
            # The report reads these columns only: index-only scans of a million requests
            # (PostgreSQL; other databases ignore ``include``).
            models.Index(
                fields=["paper"], include=["download_count"], name="request_paper_downloads_idx"
            ),
            models.Index(fields=["created_at"], include=["paper"], name="request_week_paper_idx"),
        ]
        permissions = [("export_downloadrequest", "Peut exporter les demandes de téléchargement")]

    def __str__(self):
        return f"{self.paper_title} ({self.created_at:%d/%m/%Y})"

    @cached_property
    def live_paper(self):
        """The paper if it is still published, else None: a link to anything else is dead."""
        if self.paper_id is None:
            return None
        return WhitePaperPage.objects.live().filter(pk=self.paper_id).first()


class PaperDailyViews(models.Model):
    """How many times a paper's page was shown, per day: the first step of its conversion."""

    paper = models.ForeignKey(
        WhitePaperPage, verbose_name="livre blanc", on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField("jour")
    views = models.PositiveIntegerField("vues", default=0)

    class Meta:
        verbose_name = "vues d'un livre blanc"
        verbose_name_plural = "vues des livres blancs"
        constraints = [
            models.UniqueConstraint(fields=["paper", "day"], name="paper_daily_views_unique")
        ]

    def __str__(self):
        return f"{self.paper_id} {self.day}: {self.views}"


class PaperTotals(models.Model):
    """A paper's request counts since it was published, kept up to date as they happen (a
    request stored, a file downloaded): the report orders and pages the papers on them without
    reading every request (1 000 000 at the club's scale). A paper has a row from its first
    request or its first day of views; ``recount_paper_totals`` rebuilds them all."""

    paper = models.OneToOneField(
        WhitePaperPage,
        verbose_name="livre blanc",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    requests = models.PositiveBigIntegerField("demandes", default=0)
    downloads = models.PositiveBigIntegerField("téléchargements", default=0)
    downloaded_requests = models.PositiveBigIntegerField(
        "demandes dont le fichier a été téléchargé", default=0
    )

    class Meta:
        verbose_name = "totaux d'un livre blanc"
        verbose_name_plural = "totaux des livres blancs"

    def __str__(self):
        return f"{self.paper_id}: {self.requests} demandes"
