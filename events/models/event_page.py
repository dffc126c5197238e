from collections import namedtuple

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import strip_tags
from django.utils.text import Truncator

from modelcluster.fields import ParentalManyToManyField

from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    HelpPanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Page, PageManager
from wagtail.search import index

import pagecache
from contacts.models import ContactSettings, Organisation, Person, Theme
from pagecache.serving import PublicPageMixin
from publications.admin_datetime import SETTINGS_PANELS
from publications.inline_panel import FrenchInlinePanel
from publications.models import WhitePaperPage, with_card_renditions

from .. import membership, structured_data
from ..blocks import PresentationBlock
from ..calendar import build_calendar, calendar_entries, calendar_response
from ..choices import (
    ORGANISATION_ROLE_HEADINGS,
    PERSON_ROLE_HEADINGS,
    STATUS_TONES,
    AttendanceMode,
    EventStatus,
    OrganisationRole,
    PersonRole,
    RegistrationMode,
    RegistrationScope,
    RegistrationState,
    SessionStatus,
)
from ..dates import date_range, long_date, session_when
from ..forms import EventPageForm
from ..querysets import EventPageQuerySet
from ..reminder_days import DEFAULT as DEFAULT_REMINDER_DAYS
from ..reminder_days import parse as parse_reminder_days
from ..reminder_days import validate as validate_reminder_days
from ..seats import remember as remember_seats
from .inlines import EventSession, number_sessions
from .snippets import EventKind, Venue

# A card's badge; "tone" picks Bootstrap's text-bg-* colours.
Badge = namedtuple("Badge", ["label", "tone"])
FULL_BADGE = Badge("Complet", "secondary")
# A group of people or organisations on the event page: "Pilotes" and who they are.
RoleGroup = namedtuple("RoleGroup", ["role", "heading", "members"])


class EventPage(PublicPageMixin, RoutablePageMixin, Page):
    """An event of the agenda: one session (a journée débat) or several (a cycle of ateliers)."""

    kind = models.ForeignKey(
        EventKind,
        verbose_name="type d'événement",
        on_delete=models.PROTECT,
        related_name="events",
        help_text="Par exemple : Atelier du club. Les types se gèrent dans Référentiels "
        "d'événements",
    )
    themes = ParentalManyToManyField(
        Theme, verbose_name="thèmes", blank=True, related_name="events"
    )
    summary = models.TextField(
        "résumé",
        max_length=400,
        blank=True,
        help_text="Une ou deux phrases, reprises sur la carte de l'agenda et par les moteurs de "
        "recherche. Par exemple : Comment faire groupe et écosystème sans perdre sa boussole ?",
    )
    presentation = StreamField(
        PresentationBlock(),
        verbose_name="présentation de l'événement",
        blank=True,
        help_text="Texte, titres, questions traitées, citations, images, vidéos, documents",
    )
    audience = models.TextField(
        "public",
        blank=True,
        help_text="Par exemple : A destination des directeurs et membres des comités de "
        "direction des organismes membres du club",
    )

    status = models.CharField(
        "statut",
        max_length=20,
        choices=EventStatus.choices,
        default=EventStatus.SCHEDULED,
        help_text="Annulé, reporté ou passé en ligne : un bandeau l'annonce et les calendriers "
        "des visiteurs sont mis à jour",
    )
    venue = models.ForeignKey(
        Venue,
        verbose_name="lieu",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
        help_text="Laisser vide tant que le lieu n'est pas connu : la page affiche « lieu à "
        "confirmer »",
    )
    venue_city = models.CharField(
        "ville prévue",
        max_length=100,
        blank=True,
        help_text="Quand le lieu est à confirmer, la ville déjà connue. Par exemple : Paris",
    )
    attendance_mode = models.CharField(
        "modalité de participation",
        max_length=20,
        choices=AttendanceMode.choices,
        default=AttendanceMode.IN_PERSON,
    )
    attendance_note = models.CharField(
        "précision sur la participation",
        max_length=255,
        blank=True,
        help_text="Par exemple : L'ensemble des demi-journées se dérouleront à Paris si les "
        "conditions sanitaires le permettent (sinon des visios seront organisées).",
    )

    registration_mode = models.CharField(
        "inscription",
        max_length=10,
        choices=RegistrationMode.choices,
        default=RegistrationMode.NONE,
        help_text="Sur ce site : un formulaire, des places comptées et une liste d'attente. "
        "Sur un autre site : le lien ci-dessous",
    )
    registration_url = models.URLField(
        "lien d'inscription",
        max_length=500,
        blank=True,
        help_text="Pour une inscription sur un autre site : sa page d'inscription",
    )
    registration_opens_on = models.DateField(
        "ouverture des inscriptions",
        null=True,
        blank=True,
        help_text="Facultatif : avant ce jour, la page annonce « Inscriptions à partir du … ». "
        "Par exemple : 01/09/2022",
    )
    registration_deadline = models.DateField(
        "date limite d'inscription",
        null=True,
        blank=True,
        help_text="Au plus tard le jour de la dernière séance. Par exemple : 30/09/2022",
    )
    capacity = models.PositiveIntegerField(
        "nombre de places",
        null=True,
        blank=True,
        help_text="Vide : sans limite. Par exemple : 40. Séance par séance, chaque séance peut "
        "avoir le sien (onglet « Programme »)",
    )
    waiting_list = models.BooleanField(
        "liste d'attente",
        default=True,
        help_text="Quand tout est pris, les inscrits suivants passent en liste d'attente ; une "
        "place libérée leur est proposée dans l'ordre d'arrivée",
    )
    offer_hours = models.PositiveSmallIntegerField(
        "délai pour accepter une place (heures)",
        default=48,
        validators=[MinValueValidator(1), MaxValueValidator(720)],
        help_text="Quand une place se libère, la première personne de la liste d'attente la "
        "reçoit par e-mail et a ce nombre d'heures pour l'accepter ; sinon elle passe à la "
        "suivante. Par exemple : 48 (deux jours)",
    )
    self_service_days = models.PositiveSmallIntegerField(
        "modifications possibles jusqu'à (jours avant)",
        null=True,
        blank=True,
        default=2,
        validators=[MaxValueValidator(365)],
        help_text="Avec le lien de leur e-mail, les inscrits peuvent changer leurs séances ou "
        "céder leur place à un collègue de leur organisme jusqu'à ce nombre de jours avant la "
        "première séance. Par exemple : 2 (jusqu'à l'avant-veille). Vide : aucune "
        "modification, seulement l'annulation",
    )
    registration_scope = models.CharField(
        "pour un cycle, on s'inscrit",
        max_length=10,
        choices=RegistrationScope.choices,
        default=RegistrationScope.WHOLE_EVENT,
    )
    is_full = models.BooleanField(
        "complet",
        default=False,
        help_text="Pour une inscription sur un autre site : cocher quand il n'y a plus de "
        "place. Sur ce site, les places sont comptées",
    )

    members_only = models.BooleanField(
        "réservé aux adhérents",
        default=False,
        help_text="Seules les personnes dont l'adresse professionnelle appartient à un organisme "
        "adhérent du club à la date de l'événement peuvent s'inscrire ; les autres peuvent "
        "demander une exception",
    )
    max_colleagues = models.PositiveSmallIntegerField(
        "collègues par inscription",
        default=4,
        validators=[MaxValueValidator(20)],
        help_text="Combien de collègues du même organisme une personne peut inscrire avec elle "
        "dans le même formulaire. 0 : chacun s'inscrit seul",
    )
    seats_per_organisation = models.PositiveSmallIntegerField(
        "places par organisme",
        null=True,
        blank=True,
        help_text="Vide : sans limite. Par exemple : 2, pour qu'un atelier réunisse beaucoup "
        "d'organismes",
    )
    seats_per_organisation_until_days = models.PositiveSmallIntegerField(
        "limite par organisme levée (jours avant)",
        null=True,
        blank=True,
        help_text="La limite par organisme ne vaut plus ce nombre de jours avant la première "
        "séance. Par exemple : 15. Vide : elle vaut jusqu'au bout",
    )

    reminder_days = models.CharField(
        "rappels (jours avant)",
        max_length=50,
        blank=True,
        default=DEFAULT_REMINDER_DAYS,
        validators=[validate_reminder_days],
        help_text="Les personnes inscrites reçoivent un rappel par e-mail avant chaque séance, "
        "ces nombres de jours avant. Par exemple : 7, 1 (une semaine et la veille). Vide : "
        "aucun rappel",
    )
    online_url = models.URLField(
        "lien de la visio",
        max_length=500,
        blank=True,
        help_text="Envoyé aux seules personnes inscrites (confirmation, rappels), jamais affiché "
        "sur la page. Par exemple : https://meet.exemple.fr/atelier-proximite",
    )

    # Derived from the sessions on every full save, for the agenda's queries (see save()).
    first_date = models.DateField("première séance", null=True, editable=False, db_index=True)
    last_date = models.DateField("dernière séance", null=True, editable=False, db_index=True)
    session_count = models.PositiveSmallIntegerField("nombre de séances", default=0, editable=False)

    objects = PageManager.from_queryset(EventPageQuerySet)()
    base_form_class = EventPageForm

    # A short list: a select is one click, where a chooser is a modal.
    content_panels = Page.content_panels + [
        FieldPanel("kind", widget=forms.Select),
        FieldPanel("summary"),
        FieldPanel("presentation"),
        FieldPanel("audience"),
        FieldPanel("themes", widget=forms.CheckboxSelectMultiple),
        FrenchInlinePanel(
            "related_papers",
            add_label="un livre blanc",
            label="Livre blanc",
            heading="Livres blancs liés",
            help_text="Affichés en bas de la page de l'événement, et l'événement sur la leur",
        ),
    ]
    place_panels = [
        FieldPanel("status"),
        MultiFieldPanel(
            [FieldPanel("venue"), FieldPanel("venue_city")],
            heading="Lieu",
        ),
        MultiFieldPanel(
            [
                FieldPanel("attendance_mode"),
                FieldPanel("attendance_note"),
                FieldPanel("online_url"),
            ],
            heading="Participation",
        ),
        HelpPanel("Les dates de l'événement viennent de ses séances, dans l'onglet « Programme »."),
    ]
    programme_panels = [
        FrenchInlinePanel(
            "sessions",
            add_label="une séance",
            label="Séance",
            heading="Séances",
            min_num=1,
            help_text="Au moins une séance ; un cycle en a plusieurs, chacune avec sa date",
        ),
    ]
    people_panels = [
        FrenchInlinePanel(
            "people",
            add_label="une personne",
            label="Personne",
            heading="Personnes",
            help_text="Grand témoin, animateur… "
            "Les intervenants des séances s'y ajoutent d'eux-mêmes",
        ),
        FrenchInlinePanel(
            "organisations",
            add_label="une organisation",
            label="Organisation",
            heading="Organisations",
            help_text="Pilotes, organisateur (« une journée proposée par… »), partenaires",
        ),
    ]
    price_panels = [
        FrenchInlinePanel("prices", add_label="un tarif", label="Tarif", heading="Tarifs")
    ]
    registration_panels = [
        FieldPanel("registration_mode", widget=forms.RadioSelect),
        FieldRowPanel([FieldPanel("registration_opens_on"), FieldPanel("registration_deadline")]),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [
                        FieldPanel("capacity"),
                        FieldPanel("waiting_list"),
                        FieldPanel("offer_hours"),
                    ]
                ),
                FieldPanel("registration_scope", widget=forms.RadioSelect),
                FieldPanel("reminder_days"),
                FieldPanel("self_service_days"),
            ],
            heading="Inscription sur ce site",
        ),
        MultiFieldPanel(
            [
                FieldPanel("members_only"),
                FieldPanel("max_colleagues"),
                FieldRowPanel(
                    [
                        FieldPanel("seats_per_organisation"),
                        FieldPanel("seats_per_organisation_until_days"),
                    ]
                ),
            ],
            heading="Adhérents et organismes",
        ),
        MultiFieldPanel(
            [FieldPanel("registration_url"), FieldPanel("is_full")],
            heading="Inscription sur un autre site",
        ),
        HelpPanel(
            "Les tarifs proposés à l'inscription, et à qui, se règlent dans l'onglet « Tarifs »."
        ),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading="Contenu"),
            ObjectList(place_panels, heading="Dates et lieu"),
            ObjectList(programme_panels, heading="Programme"),
            ObjectList(people_panels, heading="Intervenants"),
            ObjectList(price_panels, heading="Tarifs"),
            ObjectList(registration_panels, heading="Inscription"),
            ObjectList(Page.promote_panels, heading="Référencement"),
            ObjectList(SETTINGS_PANELS, heading="Réglages"),
        ]
    )
    search_fields = Page.search_fields + [
        index.SearchField("summary", boost=2),  # above the rest of the body (search.ranking)
        index.SearchField("presentation"),
        index.SearchField("audience"),
        index.RelatedFields("kind", [index.SearchField("name")]),
        index.RelatedFields("themes", [index.SearchField("name")]),
        index.RelatedFields(
            "sessions",
            [
                index.SearchField("title"),
                index.SearchField("description"),
                index.RelatedFields(
                    "speakers",
                    [
                        *Person.name_search_fields,
                        index.RelatedFields("organisation", Organisation.name_search_fields),
                    ],
                ),
            ],
        ),
        index.RelatedFields(
            "people",
            [
                index.RelatedFields(
                    "person",
                    [
                        *Person.name_search_fields,
                        index.RelatedFields("organisation", Organisation.name_search_fields),
                    ],
                )
            ],
        ),
        index.RelatedFields(
            "organisations",
            [index.RelatedFields("organisation", Organisation.name_search_fields)],
        ),
        index.FilterField("first_date"),
        index.FilterField("last_date"),
    ]

    parent_page_types = ["events.EventIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = "événement"
        verbose_name_plural = "événements"

    # --- Derived fields ---------------------------------------------------------------------

    def save(self, *args, **kwargs):
        # A full save (creation, publication) carries the sessions; a revision's partial save
        # (update_fields) does not, and leaves the live dates alone.
        if kwargs.get("update_fields") is None:
            self.update_from_sessions()
        return super().save(*args, **kwargs)

    def update_from_sessions(self):
        """Stores the dates the agenda sorts by, and brings each session's calendar version up
        to date: same UID for good, SEQUENCE one higher when what a calendar shows changed.

        The stored versions are read from the database, not from the page in hand: a page
        published from an older revision carries older numbers, and SEQUENCE must never go
        back. A session whose UID belongs to another page (a copied page) gets a new one.
        """
        sessions = list(self.sessions.all())
        self.set_dates(sessions)

        stored = {
            row.uid: row
            for row in EventSession.objects.filter(uid__in=[s.uid for s in sessions]).only(
                "uid",
                "page_id",
                "sequence",
                "fingerprint",
                "date",
                "start_time",
                "end_time",
                "status",
            )
        }
        before = self._stored_place()
        # What changed for the people registered, by session uid, for the notices sent on
        # publishing (events.services.notify_session_changes).
        self.session_changes = {}
        now = timezone.now()
        for order, session in enumerate(sessions):
            # Numbered in their order ("Séance 2"), even when made outside the admin's form.
            session.page, session.sort_order = self, order
            fingerprint = session.calendar_fingerprint()
            row = stored.get(session.uid)
            if row is not None and row.page_id != self.pk:
                session.uid = EventSession._meta.get_field("uid").default()
                row = None
                session.sequence = 0
            if row is None:
                session.changed_at = session.changed_at or now
            else:
                session.sequence = max(session.sequence, row.sequence)
                if row.fingerprint and row.fingerprint != fingerprint:
                    session.sequence += 1
                    session.changed_at = now
                    changes = self._session_changes(row, session, before)
                    if changes:
                        self.session_changes[session.uid] = changes
            session.fingerprint = fingerprint
        # Held in memory, so that the page's save writes them with the sessions.
        self.sessions = sessions

    def _stored_place(self):
        """The stored status and place of this page, before this save (None: a new page)."""
        if self.pk is None:
            return None
        return (
            EventPage.objects.filter(pk=self.pk)
            .select_related("venue")
            .only("status", "attendance_mode", "venue")
            .first()
        )

    def _session_changes(self, row, session, before):
        """What a person registered for ``session`` must be told of, from its stored ``row``
        and the page as stored ``before``: ``{"status": (old, new), "when": (old, new),
        "place": (old, new)}``, the entries that changed. A title alone is not news."""
        changes = {}
        old_status = row.status if row.status != SessionStatus.SCHEDULED else None
        if old_status is None:
            old_status = before.status if before is not None else SessionStatus.SCHEDULED
        new_status = session.effective_status.value
        if old_status != new_status:
            changes["status"] = (old_status, new_status)
        old_when = session_when(row.date, row.start_time, row.end_time)
        if old_when != session.when:
            changes["when"] = (old_when, session.when)
        if before is not None and new_status != SessionStatus.CANCELLED:
            old_place, new_place = before.location_label, self.location_label
            if old_place != new_place and "status" not in changes:
                changes["place"] = (old_place, new_place)
        return changes

    @property
    def reminder_offsets(self):
        """The days before each session its reminders are due, longest first ([] for none)."""
        try:
            return parse_reminder_days(self.reminder_days)
        except (
            ValidationError
        ):  # stored before the rule, or by hand: no reminder rather than a crash
            return []

    def set_dates(self, sessions):
        dates = [session.date for session in sessions]
        self.first_date = min(dates, default=None)
        self.last_date = max(dates, default=None)
        self.session_count = len(dates)

    # --- What visitors see ------------------------------------------------------------------

    @property
    def is_online(self):
        return (
            self.attendance_mode == AttendanceMode.ONLINE or self.status == EventStatus.MOVED_ONLINE
        )

    @property
    def place_label(self):
        """A card's place: "Novotel Paris Bercy, Paris", "Paris (lieu à confirmer)", "En ligne"."""
        if self.is_online:
            return "En ligne"
        if self.venue is not None:
            return f"{self.venue.name}, {self.venue.city}"
        return self.to_be_confirmed_label

    @property
    def attendance_label(self):
        """A card's mode: "Présentiel", "En ligne" (an event moved online too), "Présentiel,
        avec repli en visio"."""
        if self.is_online:
            return AttendanceMode.ONLINE.label
        return self.get_attendance_mode_display()

    @property
    def to_be_confirmed_label(self):
        return f"{self.venue_city} (lieu à confirmer)" if self.venue_city else "Lieu à confirmer"

    @property
    def location_label(self):
        """A calendar's LOCATION: the full address, or what is known of the place."""
        if self.is_online:
            return "En ligne"
        if self.venue is not None:
            return self.venue.full_address
        return self.to_be_confirmed_label

    @property
    def date_range_label(self):
        """ "13 oct. 2022 → 9 févr. 2023 · 4 séances" """
        return date_range(self.first_date, self.last_date, self.session_count)

    def dates_label(self, sessions):
        """The event page's dates: "jeudi 13 octobre 2022, 9 h – 12 h" for one session,
        "4 séances, du jeudi 13 octobre 2022 au jeudi 9 février 2023" for a cycle."""
        if not sessions:
            return "Dates à venir"
        if len(sessions) == 1:
            return sessions[0].when
        # From the sessions in hand, not the stored dates: a preview shows the draft's.
        first = min(session.date for session in sessions)
        last = max(session.date for session in sessions)
        if first == last:
            return f"{len(sessions)} séances, le {long_date(first)}"
        return f"{len(sessions)} séances, du {long_date(first)} au {long_date(last)}"

    @property
    def registration_opens_on_label(self):
        if self.registration_opens_on is None:
            return ""
        return long_date(self.registration_opens_on)

    @property
    def registration_deadline_label(self):
        if self.registration_deadline is None:
            return ""
        return long_date(self.registration_deadline)

    @property
    def badge(self):
        """The card's badge, or None: cancelled, postponed, moved online or full."""
        if self.status in STATUS_TONES:
            return Badge(self.get_status_display(), STATUS_TONES[self.status])
        return FULL_BADGE if self.is_full else None

    @property
    def card_places(self):
        """Where a card says "Complet" or the places left: a slot of the page cache, counted
        on every serve (events.seats.card_slot), so that no registration purges a listing."""
        if not self.registers_on_site or self.status == EventStatus.CANCELLED:
            return ""
        return pagecache.slot("event-card-seats", self.pk)

    @property
    def registers_on_site(self):
        return self.registration_mode == RegistrationMode.SITE

    @property
    def registers_per_session(self):
        return self.registers_on_site and self.registration_scope == RegistrationScope.PER_SESSION

    def registration_state(self, today, places=None):
        """What the registration block says. ``places`` (from ``places()``) counts the seats
        of an on-site registration; an external one only has the "complet" box."""
        if self.status == EventStatus.CANCELLED:
            return RegistrationState.CANCELLED
        if self.last_date is not None and self.last_date < today:
            return RegistrationState.OVER
        if self.registration_deadline is not None and self.registration_deadline < today:
            return RegistrationState.CLOSED
        if self.registration_mode == RegistrationMode.EXTERNAL and self.registration_url:
            return RegistrationState.FULL if self.is_full else RegistrationState.OPEN
        if not self.registers_on_site:
            return RegistrationState.CLOSED
        if self.registration_opens_on is not None and today < self.registration_opens_on:
            return RegistrationState.NOT_YET
        bookable = [seats for seats in (places or {}).values() if seats.bookable]
        if not bookable:
            return RegistrationState.CLOSED
        if all(seats.is_full for seats in bookable):
            if self.waiting_list:
                return RegistrationState.WAITING_LIST
            return RegistrationState.FULL
        return RegistrationState.OPEN

    def places(self, sessions, today, taken=None):
        """The seats of an on-site registration, in ONE query whatever the number of sessions
        and registrations: ``{None: Places}`` for the whole event, or ``{session id: Places}``
        for a registration per session. Empty for the other registration modes. ``taken``
        (seats taken by session id, as ``confirmed_counts``) spares the query when several
        events were counted at once (events.seats.card_slot)."""
        if not self.registers_on_site or self.pk is None:
            return {}
        from .registration import Places, Registration

        if taken is None:
            taken = Registration.objects.confirmed_counts(self)
        if not self.registers_per_session:
            return {None: Places(self.capacity, taken.get(None, 0), bookable=True)}
        return {
            session.pk: Places(
                session.capacity if session.capacity is not None else self.capacity,
                taken.get(session.pk, 0),
                bookable=session.date >= today
                and session.effective_status != SessionStatus.CANCELLED,
                session=session,
            )
            for session in sessions
        }

    # --- What a search result shows (search.results) -----------------------------------

    search_result_label = "Événement"
    search_filter_label = "Événements"

    @classmethod
    def search_result_pages(cls, pages):
        return pages.defer_streamfields()

    def search_result_date(self):
        return self.date_range_label if self.first_date else None  # no session yet

    def search_result_text(self):
        return self.summary or self.search_description

    def search_result_ends_on(self):
        return self.last_date

    def get_meta_description(self):
        if self.search_description or self.summary:
            return self.search_description or self.summary
        for block in self.presentation:
            if block.block_type == "paragraph":
                return Truncator(strip_tags(block.value.source)).chars(160)
        return ""

    @cached_property
    def programme(self):
        """The sessions in order, numbered, with their speakers: two queries (none in a
        preview, where they are in memory)."""
        sessions = self.sessions.all()
        if isinstance(sessions, models.QuerySet):  # in a preview, an in-memory list instead
            sessions = sessions.prefetch_related("speakers")
        return number_sessions(sessions)

    @staticmethod
    def has_programme(sessions):
        """Whether the programme says more than the dates already do: a cycle, or a session
        with a title, a description or speakers."""
        return len(sessions) > 1 or any(
            session.title or session.description or session.speakers.all() for session in sessions
        )

    def people_groups(self, sessions):
        """People by role, in the order of PersonRole: "Grand témoin : Jean-Claude Driant".

        The sessions' speakers are listed as speakers unless they have a role of their own.
        """
        by_role = {}
        listed = set()
        for link in self.people.select_related("person"):
            by_role.setdefault(link.role, []).append(link.person)
            listed.add(link.person_id)
        for session in sessions:
            for speaker in session.speakers.all():
                if speaker.pk not in listed:
                    by_role.setdefault(PersonRole.SPEAKER, []).append(speaker)
                    listed.add(speaker.pk)
        return self._groups(by_role, PersonRole, PERSON_ROLE_HEADINGS)

    def organisation_groups(self):
        """Organisations by role: "Pilotes : 1001 Vies Habitat / Valophis Habitat"."""
        by_role = {}
        for link in self.organisations.select_related("organisation"):
            by_role.setdefault(link.role, []).append(link.organisation)
        return self._groups(by_role, OrganisationRole, ORGANISATION_ROLE_HEADINGS)

    @staticmethod
    def _groups(by_role, roles, headings):
        groups = []
        for role in roles:
            members = by_role.get(role.value)
            if members:
                singular, plural = headings[role]
                heading = singular if len(members) == 1 else plural
                groups.append(RoleGroup(role, heading, members))
        return groups

    def related_white_papers(self):
        """The related papers, in the editor's order, ready for their cards."""
        ids = [link.paper_id for link in self.related_papers.all()]
        if not ids:
            return []
        papers = {
            paper.pk: paper for paper in WhitePaperPage.objects.for_listing().filter(pk__in=ids)
        }
        return with_card_renditions([papers[pk] for pk in ids if pk in papers])

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        pagecache.reads(request)  # no query parameter: ?x=1 is the same page
        context.update(pagecache.page_data(request, self, self.shown_content))
        today = timezone.localdate()
        sessions = context["sessions"]
        # The seats change with every registration: read on every request, and filled in on
        # every serve of the page (events.seats), so that no registration purges it.
        live = self.registers_on_site and not getattr(request, "is_preview", False)
        places = self.places(sessions, today)
        state = self.registration_state(today, places)
        context.update(
            registration_state=state,
            places=places,
            whole_event_places=places.get(None),
            session_places=[seats for key, seats in places.items() if key is not None],
            calendar_url=self.get_url(request) + self.reverse_subpage("ics"),
            registration_path=self.reverse_subpage("register"),
            # The same for every visitor: who may register, never whether this visitor may.
            for_members=membership.is_for_members(self, context["prices"]),
            membership_year=membership.reference_date(self).year,
            exception_path=self.reverse_subpage("ask_exception"),
            structured_data=structured_data.event(
                self,
                url=self.get_full_url(request),
                sessions=sessions,
                people=context["people_groups"],
                organisations=context["organisation_groups"],
                prices=context["prices"],
                site_name=ContactSettings.load(request_or_site=request).organisation_name,
                sold_out=(
                    state in (RegistrationState.FULL, RegistrationState.WAITING_LIST)
                    if self.registers_on_site
                    else None
                ),
                availability=live and pagecache.slot("event-availability", self.pk),
            ),
        )
        if live:
            context["registration_slot"] = pagecache.slot("event-registration", self.pk)
            context["sticky_cta_slot"] = pagecache.slot("event-cta", self.pk)
            remember_seats(request, self, places, state)
        return context

    @classmethod
    def for_serving(cls, pk):
        """The page as it is served (pagecache.serving), with its kind and venue, which it always
        shows: one query."""
        return cls.objects.select_related("kind", "venue").get(pk=pk)

    def shown_content(self):
        """Its programme, people, organisations, prices, themes and related papers: seven
        queries, once per purge (pagecache.page_data)."""
        sessions = self.programme
        return {
            "sessions": sessions,
            "has_programme": self.has_programme(sessions),
            "people_groups": self.people_groups(sessions),
            "organisation_groups": self.organisation_groups(),
            "prices": list(self.prices.all()),
            "themes": list(self.themes.all()),
            "related_papers": self.related_white_papers(),
            "dates_label": self.dates_label(sessions),
        }

    # --- Routes -----------------------------------------------------------------------------

    # The views of the form routes, by route name, each called as ``view(request, page)``.
    # They are events.views', which events.apps plugs in at start-up: a model never imports
    # a view, and the routes (the visitors' URLs) stay declared here.
    form_views = {}

    @path("")
    def event(self, request):
        return self.render(request)

    @path("inscription/")
    def register(self, request):
        return self.form_views["register"](request, self)

    @path("inscription/merci/")
    def registered(self, request):
        return self.form_views["registered"](request, self)

    @path("inscription/exception/")
    def ask_exception(self, request):
        return self.form_views["exception"](request, self)

    @path("calendrier/")
    def ics(self, request):
        """ "Ajouter à mon agenda": the event's sessions, one VEVENT each."""
        entries = calendar_entries(self.programme, url=self.get_full_url(request))
        return calendar_response(build_calendar(entries, name=self.title), f"{self.slug}.ics")
