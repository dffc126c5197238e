from django.db import models
from django.utils.http import urlencode

from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.search import index

from pagecache.purge import pages_using_it, shown_on_pages

MAP_SEARCH_URL = "https://www.openstreetmap.org/search"


@shown_on_pages(pages_using_it)
class EventKind(models.Model):
    """Atelier du club, cycle d'ateliers, journée débat…: editors add kinds as they need them."""

    name = models.CharField(
        "nom", max_length=100, unique=True, help_text="Par exemple : Journée débat"
    )
    slug = models.SlugField(
        "identifiant dans l'adresse",
        max_length=100,
        unique=True,
        help_text="Lettres minuscules et tirets, repris dans les filtres de l'agenda, "
        "par exemple : journee-debat",
    )

    panels = [FieldPanel("name"), FieldPanel("slug")]

    class Meta:
        ordering = ["name"]
        verbose_name = "type d'événement"
        verbose_name_plural = "types d'événement"

    def __str__(self):
        return self.name


@shown_on_pages(pages_using_it)
class Venue(index.Indexed, models.Model):
    """Where sessions take place: a name and a postal address."""

    name = models.CharField(
        "nom du lieu", max_length=200, help_text="Par exemple : Novotel Paris Bercy"
    )
    street = models.CharField("adresse", max_length=200, help_text="Par exemple : 85 rue de Bercy")
    postcode = models.CharField("code postal", max_length=10, help_text="Par exemple : 75012")
    city = models.CharField("ville", max_length=100, help_text="Par exemple : Paris")

    panels = [
        FieldPanel("name"),
        FieldPanel("street"),
        FieldRowPanel([FieldPanel("postcode"), FieldPanel("city")]),
    ]
    search_fields = [
        index.SearchField("name"),
        index.SearchField("city"),
        index.AutocompleteField("name"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = "lieu"
        verbose_name_plural = "lieux"
        constraints = [
            models.UniqueConstraint(fields=["name", "street", "city"], name="venue_unique_address")
        ]

    def __str__(self):
        return f"{self.name}, {self.city}"

    @property
    def address(self):
        """ "85 rue de Bercy, 75012 Paris" """
        return f"{self.street}, {self.postcode} {self.city}"

    @property
    def full_address(self):
        """ "Novotel Paris Bercy, 85 rue de Bercy, 75012 Paris": a calendar's LOCATION."""
        return f"{self.name}, {self.address}"

    @property
    def map_url(self):
        """A map centred on the address, with no key, no script and nothing to embed."""
        return f"{MAP_SEARCH_URL}?{urlencode({'query': f'{self.address}, France'})}"
