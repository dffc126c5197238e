"""The people and organisations we hold data on, and what is attached to them.

The tables keep the names they had in ``home`` and ``publications`` (``db_table``): the models
moved here with their rows (migrations 0001), permissions and foreign keys included.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone

from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel

from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.models import Orderable, Page
from wagtail.search import index

import pagecache
from pagecache.purge import every_page, pages_using_it, shown_on_pages

from .identifiers import normalise_domain, normalise_siren, validate_domain, validate_siren

# --- What pages show: themes, organisations, people ------------------------------------------


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
        db_table = "home_theme"
        ordering = ["name"]
        verbose_name = "thème"
        verbose_name_plural = "thèmes"

    def __str__(self):
        return self.name


class OrganisationType(models.TextChoices):
    OPH = "oph", "OPH"
    ESH = "esh", "ESH"
    COOP = "coop", "Coopérative HLM"
    SEM = "sem", "SEM / EPL"
    LOCAL_AUTHORITY = "collectivite", "Collectivité territoriale"
    STATE = "etat", "État ou établissement public"
    ASSOCIATION = "association", "Fédération ou association"
    CONSULTANCY = "conseil", "Bureau d'études ou conseil"
    OTHER = "autre", "Autre"


class SirenField(models.CharField):
    """Nine digits, stored without the spaces or dots people type (« 552 100 554 »)."""

    def to_python(self, value):
        return normalise_siren(super().to_python(value))

    def formfield(self, **kwargs):
        # Room for the spaces in the form; the model keeps the 9 digits.
        return super().formfield(**{"max_length": 20, **kwargs})


@shown_on_pages(pages_using_it)
class Organisation(index.Indexed, ClusterableModel):
    """A body the club knows: an event's pilot or partner, a paper's publisher, a member.
    The register of members is these rows with a SIREN, e-mail domains and membership years
    (contacts.organisations checks an address against them)."""

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
    organisation_type = models.CharField(
        "type d'organisme", max_length=20, choices=OrganisationType.choices, blank=True
    )
    siren = SirenField(
        "SIREN",
        max_length=9,
        blank=True,
        validators=[validate_siren],
        help_text="9 chiffres, par exemple : 552 100 554 (les espaces sont retirés)",
    )
    address = models.TextField("adresse postale", blank=True)

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("short_name")]),
        FieldRowPanel([FieldPanel("organisation_type"), FieldPanel("siren")]),
        FieldPanel("website"),
        FieldPanel("address"),
        InlinePanel(
            "domains",
            heading="Domaines des adresses e-mail",
            label="domaine",
            help_text="Les personnes dont l'adresse finit par ce domaine (ou un de ses "
            "sous-domaines) sont rattachées à l'organisme",
        ),
        InlinePanel("memberships", heading="Adhésion au club", label="année d'adhésion"),
    ]
    # What a page indexes of an organisation it names (the site search finds the page by it).
    name_search_fields = [index.SearchField("name"), index.SearchField("short_name")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        db_table = "home_organisation"
        ordering = ["name"]
        verbose_name = "organisation"
        verbose_name_plural = "organisations"
        constraints = [
            models.UniqueConstraint(
                fields=["siren"], condition=~Q(siren=""), name="organisation_siren_unique"
            )
        ]

    def __str__(self):
        return self.name

    @property
    def display_name(self):
        return self.short_name or self.name


class OrganisationDomain(Orderable):
    """An e-mail domain of an organisation: one organisation per domain, never a public
    provider's."""

    organisation = ParentalKey(Organisation, on_delete=models.CASCADE, related_name="domains")
    domain = models.CharField(
        "domaine",
        max_length=253,
        unique=True,
        validators=[validate_domain],
        help_text="Ce qui suit le @ des adresses, par exemple : habitat-exemple.fr",
    )

    panels = [FieldPanel("domain")]

    class Meta(Orderable.Meta):
        verbose_name = "domaine"
        verbose_name_plural = "domaines"

    def __str__(self):
        return self.domain

    def clean(self):
        super().clean()
        self.domain = normalise_domain(self.domain)


class Membership(Orderable):
    """The organisation is a member of the club for a calendar year."""

    organisation = ParentalKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    year = models.PositiveSmallIntegerField(
        "année",
        validators=[MinValueValidator(1990), MaxValueValidator(2100)],
        help_text="Par exemple : 2027",
    )

    panels = [FieldPanel("year")]

    class Meta(Orderable.Meta):
        verbose_name = "année d'adhésion"
        verbose_name_plural = "années d'adhésion"
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="membership_year_unique")
        ]

    def __str__(self):
        return str(self.year)


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
        db_table = "home_person"
        ordering = ["last_name", "first_name"]
        verbose_name = "personne"
        verbose_name_plural = "personnes"

    def __str__(self):
        return f"{self.first_name} {self.last_name}"


# --- Personal data settings -------------------------------------------------------------------


@shown_on_pages(every_page)
@register_setting(icon="user")
class ContactSettings(BaseGenericSetting):
    """Who holds the personal data and what they promise: the club's name and contact address
    (the header, the footer, an event's organiser when it names none, the 429 page), the
    privacy policy the forms link to, and how long a lead is kept."""

    organisation_name = models.CharField(
        "nom de l'organisation", max_length=200, default="Club Management HLM"
    )
    contact_email = models.EmailField(
        "adresse de contact", blank=True, help_text="Affichée en pied de page"
    )
    postal_address = models.TextField(
        "adresse postale",
        blank=True,
        help_text="Affichée au pied de chaque e-mail (obligatoire pour les e-mails d'actualités)",
    )
    privacy_page = models.ForeignKey(
        Page,
        verbose_name="page « politique de confidentialité »",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Liée depuis les formulaires (livres blancs, inscriptions) et le pied de page",
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
            [FieldPanel("privacy_page"), FieldPanel("lead_retention_months")],
            heading="Données personnelles",
        ),
    ]

    # The footer links the privacy page on every request: fetch it with the settings.
    select_related = ["privacy_page"]

    class Meta:
        verbose_name = "coordonnées et données personnelles"

    @classmethod
    def _get_or_create(cls):
        # Every page shows the privacy link: read once per purge (saving them purges).
        return pagecache.versioned("contact-settings", super()._get_or_create)

    def privacy_url(self, request):
        """The privacy page's address for the forms' consent, or None."""
        return self.privacy_page.get_url(request) if self.privacy_page else None


# --- Leads -------------------------------------------------------------------------------------


class OrganisationLink(models.TextChoices):
    """How a lead came to be attached to an organisation; staff's choice is never undone by
    the automatic matching."""

    DOMAIN = "domain", "par le domaine de l'adresse"
    STAFF = "staff", "par l'équipe"
    DETACHED = "detached", "détaché par l'équipe"


class Lead(models.Model):
    """One person who asked for a white paper or registered for an event (events.Registration).
    The e-mail is unique, without case."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField("e-mail", max_length=254)
    first_name = models.CharField("prénom", max_length=100)
    last_name = models.CharField("nom", max_length=100)
    organisation = models.CharField("organisme", max_length=200)
    organisation_type = models.CharField(
        "type d'organisme", max_length=20, choices=OrganisationType.choices
    )
    job_title = models.CharField("fonction", max_length=200)
    phone = models.CharField("téléphone", max_length=30, blank=True)
    # The register's organisation the person belongs to (contacts.organisations): found from
    # the address's domain, or chosen by staff; ``organisation`` stays what they typed.
    linked_organisation = models.ForeignKey(
        Organisation,
        verbose_name="organisme rattaché",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="leads",
    )
    organisation_link = models.CharField(
        "rattachement", max_length=10, choices=OrganisationLink.choices, blank=True
    )
    # The confirmed consent (double opt-in), the only one that counts: every list and export
    # reads it. Asking (ticking the box) sets news_asked_at and mails a link; the link sets
    # news_confirmed_at and this; a withdrawal sets news_withdrawn_at and clears it.
    news_opt_in = models.BooleanField("actualités acceptées (confirmées)", default=False)
    news_asked_at = models.DateTimeField("actualités demandées le", null=True, blank=True)
    news_confirmed_at = models.DateTimeField("actualités confirmées le", null=True, blank=True)
    news_withdrawn_at = models.DateTimeField("actualités retirées le", null=True, blank=True)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("mis à jour le", auto_now=True)
    # How many white papers the person asked for and when they last did, kept by the app that
    # records the requests (publications.services) in the request's own transaction: the leads
    # list shows and sorts on them without counting a million requests on every view.
    request_count = models.PositiveIntegerField("demandes", default=0, editable=False)
    last_request_at = models.DateTimeField(
        "dernière demande", null=True, blank=True, editable=False
    )

    class Meta:
        db_table = "publications_lead"
        verbose_name = "lead"
        verbose_name_plural = "leads"
        constraints = [models.UniqueConstraint(Lower("email"), name="lead_email_ci_unique")]
        # The leads list's orders (contacts.viewsets.LeadIndexView), read from an index; its
        # default, the newest request first with no request last (NULLS LAST, which SQLite's
        # indexes cannot hold), and the search on the names, e-mail and organisation have
        # PostgreSQL indexes of their own (contacts 0011).
        indexes = [
            models.Index(F("request_count").desc(), F("id").desc(), name="lead_request_count_idx"),
        ]
        permissions = [
            ("erase_lead", "Peut effacer les données personnelles d'un lead"),
            ("attach_lead", "Peut rattacher un lead à un organisme, ou l'en détacher"),
        ]

    def __str__(self):
        return f"{self.first_name} {self.last_name} <{self.email}>"

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}"

    def get_news_opt_in_display(self):
        return "Oui" if self.news_opt_in else "Non"

    @property
    def news_pending(self):
        """Asked and not confirmed since: a confirmation link is out."""
        return (
            self.news_asked_at is not None
            and not self.news_opt_in
            and (self.news_withdrawn_at is None or self.news_withdrawn_at < self.news_asked_at)
        )


class ConsentEvent(models.Model):
    """What a person did with the news consent, and when: an append-only history (a withdrawal
    is recorded, never deleted). Erasing the person deletes it with them."""

    class Action(models.TextChoices):
        ASKED = "asked", "demandé (lien de confirmation envoyé)"
        CONFIRMED = "confirmed", "confirmé"
        WITHDRAWN = "withdrawn", "retiré"
        LEGACY = "legacy", "accord antérieur au double opt-in (repris tel quel)"

    class Channel(models.TextChoices):
        FORM = "form", "formulaire du site"
        LINK = "link", "lien reçu par e-mail"
        PREFERENCES = "preferences", "page « mes données »"
        ONE_CLICK = "one_click", "désinscription en un clic (messagerie)"
        MIGRATION = "migration", "reprise des données existantes"

    lead = models.ForeignKey(
        Lead, verbose_name="lead", on_delete=models.CASCADE, related_name="consent_events"
    )
    action = models.CharField("action", max_length=10, choices=Action.choices)
    channel = models.CharField("par", max_length=12, choices=Channel.choices)
    at = models.DateTimeField("date", default=timezone.now)

    class Meta:
        verbose_name = "consentement aux actualités"
        verbose_name_plural = "historique des consentements aux actualités"
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.get_action_display()} – {self.at:%d/%m/%Y %H:%M}"


class ExportLog(models.Model):
    """Rule 4: every export of leads is recorded, whoever runs it and however."""

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "Excel (XLSX)"
        JSON = "json", "JSON"
        NONE = "none", "aucun fichier"

    class Source(models.TextChoices):
        ADMIN = "admin", "Administration"
        COMMAND = "command", "Commande export_leads"
        PERSON = "person", "La personne concernée (page « mes données »)"

    class Dataset(models.TextChoices):
        DOWNLOAD_REQUESTS = "requests", "Demandes de livres blancs"
        REGISTRATIONS = "registrations", "Inscriptions aux événements"
        LEADS = "leads", "Leads"
        EXPORT_LOG = "export_log", "Journal des exports"
        SEARCH_TERMS = "search_terms", "Termes de recherche"
        PERSONAL_DATA = "personal_data", "Ses propres données (droit d'accès)"
        ERASURE = "erasure", "Effacement demandé par la personne"
        MEMBERSHIP_REPORT = "bilan", "Bilan d'adhésion d'un organisme"

    class Status(models.TextChoices):
        RUNNING = "running", "en cours"
        DONE = "done", "réussi"
        FAILED = "failed", "échoué"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="utilisateur",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    username = models.CharField("identifiant", max_length=150, blank=True)
    created_at = models.DateTimeField("date", auto_now_add=True, db_index=True)
    format = models.CharField("format", max_length=4, choices=Format.choices)
    source = models.CharField("origine", max_length=10, choices=Source.choices)
    dataset = models.CharField(
        "liste exportée",
        max_length=15,
        choices=Dataset.choices,
        default=Dataset.DOWNLOAD_REQUESTS,
    )
    filters = models.JSONField("filtres", default=dict, blank=True)
    row_count = models.PositiveIntegerField("lignes exportées", default=0)
    status = models.CharField(
        "état",
        max_length=7,
        choices=Status.choices,
        default=Status.RUNNING,
        help_text="« en cours » tant que le fichier s'écrit ; « échoué » si son écriture a "
        "été interrompue (les lignes comptées sont celles déjà écrites).",
    )

    class Meta:
        db_table = "publications_exportlog"
        verbose_name = "export de leads"
        verbose_name_plural = "exports de leads"
        ordering = ["-created_at"]

    def __str__(self):
        who = self.username or self.get_source_display()
        return f"{self.get_format_display()} – {who} – {self.created_at:%d/%m/%Y %H:%M}"


class ExportJob(models.Model):
    """A large export written by the worker (contacts.export_jobs): the listing it was asked
    from (its admin path and query), how far the file is, then the file itself, kept in the
    private storage for EXPORT_KEEP_HOURS. Its log entry records the export as any other."""

    class State(models.TextChoices):
        QUEUED = "queued", "en attente"
        RUNNING = "running", "en cours"
        DONE = "done", "prêt"
        FAILED = "failed", "échoué"
        EXPIRED = "expired", "fichier supprimé"

    ACTIVE = (State.QUEUED, State.RUNNING)

    log = models.OneToOneField(
        ExportLog, verbose_name="entrée du journal", on_delete=models.CASCADE, related_name="job"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="demandé par",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The same export (user, list, format, filters) asked while one runs is that one.
    key = models.CharField("empreinte de l'export", max_length=64)
    path = models.CharField("liste", max_length=255)
    query = models.TextField("filtres de la liste", blank=True)
    state = models.CharField("état", max_length=8, choices=State.choices, default=State.QUEUED)
    total_rows = models.PositiveIntegerField("lignes à écrire", default=0)
    written_rows = models.PositiveIntegerField("lignes écrites", default=0)
    file_name = models.CharField("fichier", max_length=255, blank=True)
    download_name = models.CharField("nom du fichier téléchargé", max_length=100, blank=True)
    created_at = models.DateTimeField("demandé le", auto_now_add=True)
    # Moved on at each step of the writing: a running job without news is dead (stale rule).
    touched_at = models.DateTimeField("dernière avancée", auto_now_add=True)
    finished_at = models.DateTimeField("terminé le", null=True, blank=True)

    class Meta:
        verbose_name = "export en tâche de fond"
        verbose_name_plural = "exports en tâche de fond"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["key"],
                condition=models.Q(state__in=["queued", "running"]),
                name="one_running_export_per_key",
            )
        ]

    def __str__(self):
        return f"{self.log} – {self.get_state_display()}"

    @property
    def is_active(self):
        return self.state in self.ACTIVE

    @property
    def percent(self):
        if self.state == self.State.DONE:
            return 100
        if not self.total_rows:
            return 0
        return min(99, self.written_rows * 100 // self.total_rows)


# --- Outgoing mail ----------------------------------------------------------------------------


class OutboundEmail(models.Model):
    """A mail the site owes someone, written in the same transaction as what caused it.

    Sending happens after the commit and is retried until it succeeds (contacts.outbox): a mail
    server that is down loses nothing and blocks nobody.
    """

    to = models.EmailField("destinataire")
    subject = models.CharField("objet", max_length=255)
    body = models.TextField("texte")
    html = models.TextField("version HTML", blank=True)
    # Extra headers (List-Unsubscribe…): {"name": "value"}.
    headers = models.JSONField("en-têtes", default=dict, blank=True)
    # Which mail this is (contacts.mail's registry), for the listing and the logs.
    kind = models.CharField("type d'e-mail", max_length=80, blank=True, db_index=True)
    # A mail owed once only (a reminder for one séance to one person): a second queue() with the
    # same key, from another worker or a retry, is refused by the database.
    once_key = models.CharField("clé d'unicité", max_length=200, null=True, blank=True, unique=True)
    # [{"filename": …, "content": …, "mimetype": …}]: text as it is (an .ics calendar), bytes
    # (a PDF) as base64 with "encoding": "base64" (outbox.attachment).
    attachments = models.JSONField("pièces jointes", default=list, blank=True)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    sent_at = models.DateTimeField("envoyé le", null=True, blank=True, db_index=True)
    attempts = models.PositiveSmallIntegerField("tentatives", default=0)
    next_attempt_at = models.DateTimeField("prochaine tentative", default=timezone.now)
    last_error = models.CharField("dernière erreur", max_length=500, blank=True)

    class Meta:
        db_table = "home_outboundemail"
        verbose_name = "e-mail à envoyer"
        verbose_name_plural = "e-mails à envoyer"
        permissions = [("retry_outboundemail", "Peut relancer l'envoi d'un e-mail en échec")]
        indexes = [
            models.Index(
                fields=["sent_at", "next_attempt_at"], name="home_outbou_sent_at_79d210_idx"
            )
        ]

    def __str__(self):
        return f"{self.subject} → {self.to}"

    @property
    def state_display(self):
        if self.sent_at is not None:
            return "Envoyé"
        return "En échec (nouvel essai prévu)" if self.attempts else "En attente"


class StaffNotificationPreference(models.Model):
    """What a lead manager wants to hear of new leads and registrations (their account
    settings): each at once, a daily digest, or nothing (the default: no row)."""

    class Frequency(models.TextChoices):
        NONE = "none", "Rien"
        IMMEDIATE = "immediate", "Un e-mail à chaque nouveau lead et chaque nouvelle inscription"
        DAILY = "daily", "Un récapitulatif quotidien"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="utilisateur",
        on_delete=models.CASCADE,
        related_name="staff_notifications",
    )
    frequency = models.CharField(
        "nouveaux leads et inscriptions",
        max_length=10,
        choices=Frequency.choices,
        default=Frequency.NONE,
    )

    class Meta:
        verbose_name = "préférence de notification"
        verbose_name_plural = "préférences de notification"

    def __str__(self):
        return f"{self.user}: {self.get_frequency_display()}"


# --- Imports of the members list ----------------------------------------------------------------


class MemberImport(models.Model):
    """A members file staff uploaded (CSV or XLSX): checked first (the dry run writes
    nothing), then imported on their word, both by the worker (contacts.member_import). The
    file's bytes are kept in the row: the worker may run on another machine than the upload."""

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "Excel (XLSX)"

    class State(models.TextChoices):
        CHECKING = "checking", "vérification en cours"
        CHECKED = "checked", "vérifié, prêt à importer"
        IMPORTING = "importing", "import en cours"
        DONE = "done", "importé"
        FAILED = "failed", "échec"

    RUNNING = (State.CHECKING, State.IMPORTING)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="déposé par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("déposé le", auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="importé par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    finished_at = models.DateTimeField("terminé le", null=True, blank=True)
    file_name = models.CharField("fichier", max_length=255)
    file_format = models.CharField("format", max_length=4, choices=Format.choices)
    content = models.BinaryField("contenu du fichier")
    state = models.CharField("état", max_length=10, choices=State.choices)
    error = models.TextField("erreur", blank=True)
    total_rows = models.PositiveIntegerField("lignes (estimation pendant le traitement)", default=0)
    processed_rows = models.PositiveIntegerField("lignes traitées", default=0)
    created_count = models.PositiveIntegerField("créations", default=0)
    updated_count = models.PositiveIntegerField("mises à jour", default=0)
    unchanged_count = models.PositiveIntegerField("inchangées", default=0)
    refused_count = models.PositiveIntegerField("refusées", default=0)
    leads_attached = models.PositiveIntegerField("leads rattachés ensuite", default=0)

    class Meta:
        verbose_name = "import d'adhérents"
        verbose_name_plural = "imports d'adhérents"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.file_name} – {self.created_at:%d/%m/%Y %H:%M}"

    @property
    def is_running(self):
        return self.state in self.RUNNING

    @property
    def percent(self):
        if self.state in (self.State.CHECKED, self.State.DONE):
            return 100
        if not self.total_rows:
            return 0
        return min(99, self.processed_rows * 100 // self.total_rows)


class MemberImportRow(models.Model):
    """One line of a members file and what the check or the import made of it."""

    class Verdict(models.TextChoices):
        CREATE = "create", "création"
        UPDATE = "update", "mise à jour"
        UNCHANGED = "unchanged", "inchangé"
        REFUSED = "refused", "refusé"

    member_import = models.ForeignKey(MemberImport, on_delete=models.CASCADE, related_name="rows")
    line = models.PositiveIntegerField("ligne")
    verdict = models.CharField("verdict", max_length=10, choices=Verdict.choices)
    name = models.CharField("nom", max_length=200, blank=True)
    details = models.JSONField("détails", default=list, blank=True)

    class Meta:
        verbose_name = "ligne d'import d'adhérents"
        verbose_name_plural = "lignes d'import d'adhérents"
        ordering = ["line"]
        indexes = [models.Index(fields=["member_import", "verdict", "line"])]

    def __str__(self):
        return f"ligne {self.line} : {self.get_verdict_display()}"
