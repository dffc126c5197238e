"""What an event page holds several of, edited inline: sessions, people, organisations, prices
and related white papers. Each is a model of its own, so that it can be queried and exported."""

import hashlib
import uuid

from django import forms
from django.db import models

from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel

from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable

from contacts.models import Organisation, Person
from pagecache.purge import its_page, shown_on_pages

from ..choices import STATUS_TONES, OrganisationRole, PersonRole, PriceAudience, SessionStatus
from ..dates import NBSP, local_datetime, session_when

SESSION_DESCRIPTION_FEATURES = ["bold", "italic", "superscript", "link", "ul", "ol"]


@shown_on_pages(its_page)
class EventSession(ClusterableModel, Orderable):
    """A séance: a one-day event has one, a cycle several, each with its own status.

    ``uid`` names the session in every calendar it was added to, for good: calendars match an
    updated file to what they hold by it. ``sequence`` grows each time what a calendar shows
    changes (see ``EventPage.save``), so that they replace their copy instead of ignoring it.
    """

    page = ParentalKey("events.EventPage", on_delete=models.CASCADE, related_name="sessions")
    uid = models.UUIDField(
        "identifiant de calendrier", default=uuid.uuid4, unique=True, editable=False
    )
    title = models.CharField(
        "titre de la séance",
        max_length=255,
        blank=True,
        help_text="Par exemple : Etat des lieux : où en est le logement social sur le sujet de "
        "la proximité ? Facultatif pour un événement d'une seule séance.",
    )
    date = models.DateField("date", help_text="Par exemple : 13/10/2022")
    start_time = models.TimeField(
        "heure de début",
        null=True,
        blank=True,
        help_text="Par exemple : 09:00. Laisser les deux heures vides si l'horaire n'est pas connu",
    )
    end_time = models.TimeField(
        "heure de fin", null=True, blank=True, help_text="Par exemple : 12:00"
    )
    status = models.CharField(
        "statut de la séance",
        max_length=20,
        choices=SessionStatus.choices,
        default=SessionStatus.SCHEDULED,
        help_text="Pour annuler, reporter ou passer en ligne cette séance seulement",
    )
    description = RichTextField("description", blank=True, features=SESSION_DESCRIPTION_FEATURES)
    capacity = models.PositiveIntegerField(
        "places pour cette séance",
        null=True,
        blank=True,
        help_text="Pour une inscription séance par séance. Vide : le nombre de places de "
        "l'événement. Par exemple : 25",
    )
    speakers = ParentalManyToManyField(
        Person,
        verbose_name="intervenants de la séance",
        blank=True,
        related_name="event_sessions",
    )
    sequence = models.PositiveIntegerField(
        "version pour les calendriers", default=0, editable=False
    )
    fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    changed_at = models.DateTimeField("modifiée le", null=True, blank=True, editable=False)

    panels = [
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("date"), FieldPanel("start_time"), FieldPanel("end_time")]),
        FieldRowPanel([FieldPanel("status"), FieldPanel("capacity")]),
        FieldPanel("description"),
        FieldPanel("speakers", widget=forms.CheckboxSelectMultiple),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "séance"
        verbose_name_plural = "séances"
        indexes = [models.Index(fields=["page", "date"])]

    def __str__(self):
        return self.title or f"Séance du {self.date:%d/%m/%Y}"

    @property
    def when(self):
        """ "jeudi 13 octobre 2022, 9 h – 12 h" """
        return session_when(self.date, self.start_time, self.end_time)

    @property
    def has_times(self):
        return self.start_time is not None

    @property
    def starts_at(self):
        """The start as an aware datetime in Paris, or the date alone when times are unknown."""
        return local_datetime(self.date, self.start_time) if self.has_times else self.date

    @property
    def ends_at(self):
        if self.has_times and self.end_time is not None:
            return local_datetime(self.date, self.end_time)
        return self.starts_at

    @property
    def effective_status(self):
        """The session's own status, or the event's when the session has none of its own:
        a cancelled event cancels every session."""
        if self.status != SessionStatus.SCHEDULED:
            return SessionStatus(self.status)
        return SessionStatus(self.page.status)

    @property
    def status_tone(self):
        """The colour of the session's status badge, or "" when it is scheduled."""
        return STATUS_TONES.get(self.effective_status.value, "")

    @property
    def heading(self):
        """ "Séance 2 - Prendre de la hauteur…" in a cycle, the title alone otherwise.

        ``number`` is set by ``number_sessions`` on the sessions of one event.
        """
        number = getattr(self, "number", None)
        if number is None:
            return self.title
        return f"Séance {number} - {self.title}" if self.title else f"Séance {number}"

    def calendar_fingerprint(self):
        """A digest of what a calendar shows of this session: when it changes, SEQUENCE grows."""
        parts = [
            self.page.title,
            self.title,
            self.date.isoformat(),
            self.start_time.isoformat() if self.start_time else "",
            self.end_time.isoformat() if self.end_time else "",
            self.effective_status.value,
            self.page.location_label,
        ]
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def number_sessions(sessions):
    """Numbers the sessions of one event in their order, when there are several."""
    sessions = list(sessions)
    for number, session in enumerate(sessions, start=1):
        session.number = number if len(sessions) > 1 else None
    return sessions


@shown_on_pages(its_page)
class EventPerson(Orderable):
    page = ParentalKey("events.EventPage", on_delete=models.CASCADE, related_name="people")
    person = models.ForeignKey(
        Person, verbose_name="personne", on_delete=models.CASCADE, related_name="event_roles"
    )
    role = models.CharField(
        "rôle", max_length=20, choices=PersonRole.choices, default=PersonRole.SPEAKER
    )

    panels = [FieldRowPanel([FieldPanel("person"), FieldPanel("role")])]

    class Meta(Orderable.Meta):
        verbose_name = "personne"
        verbose_name_plural = "personnes"


@shown_on_pages(its_page)
class EventOrganisation(Orderable):
    page = ParentalKey("events.EventPage", on_delete=models.CASCADE, related_name="organisations")
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="organisation",
        on_delete=models.CASCADE,
        related_name="event_roles",
    )
    role = models.CharField(
        "rôle", max_length=20, choices=OrganisationRole.choices, default=OrganisationRole.PILOT
    )

    panels = [FieldRowPanel([FieldPanel("organisation"), FieldPanel("role")])]

    class Meta(Orderable.Meta):
        verbose_name = "organisation"
        verbose_name_plural = "organisations"


@shown_on_pages(its_page)
class EventPrice(Orderable):
    page = ParentalKey("events.EventPage", on_delete=models.CASCADE, related_name="prices")
    audience = models.CharField(
        "public concerné", max_length=100, help_text="Par exemple : Adhérent"
    )
    amount = models.DecimalField(
        "montant (€)",
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="En euros, par exemple : 500. Laisser vide si c'est gratuit",
    )
    note = models.CharField(
        "précision",
        max_length=255,
        blank=True,
        help_text="Par exemple : pour l'ensemble de l'atelier par personne (soit 4 demi-journées)",
    )

    offered_to = models.CharField(
        "proposé à l'inscription",
        max_length=12,
        choices=PriceAudience.choices,
        default=PriceAudience.EVERYONE,
        help_text="Qui peut choisir ce tarif dans le formulaire d'inscription du site",
    )

    panels = [
        FieldRowPanel([FieldPanel("audience"), FieldPanel("amount")]),
        FieldPanel("note"),
        FieldPanel("offered_to"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "tarif"
        verbose_name_plural = "tarifs"

    def __str__(self):
        return f"{self.audience} : {self.amount_label}"

    def is_offered_to(self, is_member):
        if self.offered_to == PriceAudience.EVERYONE:
            return True
        if self.offered_to == PriceAudience.MEMBERS:
            return is_member
        if self.offered_to == PriceAudience.NON_MEMBERS:
            return not is_member
        return False

    @property
    def applies_when(self):
        """When the register of members gives this price, for the page and the form."""
        if self.offered_to == PriceAudience.MEMBERS:
            return "appliqué si votre adresse professionnelle appartient à un organisme adhérent"
        if self.offered_to == PriceAudience.NON_MEMBERS:
            return "appliqué aux autres adresses"
        return ""

    @property
    def is_free(self):
        return not self.amount

    @property
    def amount_label(self):
        """ "500 €", "1 500 €", "12,50 €" or "Gratuit" """
        if self.is_free:
            return "Gratuit"
        whole = int(self.amount)
        cents = int((self.amount - whole) * 100)
        text = f"{whole:,}".replace(",", "\u202f")  # a narrow space between thousands
        if cents:
            text += f",{cents:02d}"
        return f"{text}{NBSP}€"


@shown_on_pages(its_page)
class EventRelatedPaper(Orderable):
    page = ParentalKey("events.EventPage", on_delete=models.CASCADE, related_name="related_papers")
    paper = models.ForeignKey(
        "publications.WhitePaperPage",
        verbose_name="livre blanc",
        on_delete=models.CASCADE,
        related_name="event_links",
    )

    panels = [FieldPanel("paper")]

    class Meta(Orderable.Meta):
        verbose_name = "livre blanc lié"
        verbose_name_plural = "livres blancs liés"
