"""The people domain's admin: the shared references (themes, organisations, people), the
leads with their erasure, the export log, the outbox; and the base classes of every list of
what leads did (read only, exported exactly as filtered and logged)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.views.decorators.http import require_POST

import django_filters

from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.snippets.views.chooser import SnippetChooserViewSet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import cleaning, export_jobs, exports, services
from .activity import inspect_sections
from .admin_views import LocalTimeInspectMixin
from .export_log import EXPORT_LOG, describe_filters
from .filters import ExportLogFilterSet, LeadFilterSet, OrganisationFilterSet
from .mail_admin import OutboundEmailInspectView, kind_label, retry_view
from .models import ExportLog, Lead, Organisation, OutboundEmail, Person, Theme
from .organisation_admin import (
    OrganisationIndexView,
    OrganisationInspectView,
    attach_view,
    bilan_view,
    detach_view,
    domains_text,
    lead_organisation_context,
    member_text,
)
from .paginator import CappedCountPaginator
from .permissions import can_erase, can_export

# --- Shared references ---------------------------------------------------------------------------


class ThemeViewSet(SnippetViewSet):
    model = Theme
    icon = "tag"
    menu_label = "Thèmes"
    list_display = ["name", "slug"]
    search_fields = ["name"]


class OrganisationViewSet(SnippetViewSet):
    """The register of organisations (contacts.organisation_admin): editors manage it, lead
    managers read it (contacts 0008); each has its page and its yearly bilan d'adhésion."""

    model = Organisation
    icon = "group"
    menu_label = "Organisations"
    index_view_class = OrganisationIndexView
    filterset_class = OrganisationFilterSet
    inspect_view_enabled = True
    inspect_view_class = OrganisationInspectView
    inspect_view_fields = [
        "name",
        "short_name",
        "organisation_type",
        "siren",
        "website",
        "address",
    ]
    search_fields = ["name", "short_name", "siren"]  # searched in the database (the index view)
    ordering = ["name"]

    @cached_property
    def list_display(self):
        return [
            TitleColumn("name", label="Nom", sort_key="name", get_url=self.title_url),
            Column("get_organisation_type_display", label="Type"),
            Column("siren", label="SIREN"),
            Column("member_this_year", label="Adhérent cette année", accessor=member_text),
            Column("domains", label="Domaines", accessor=domains_text),
            Column("people_count", label="Personnes", sort_key="people_count"),
        ]

    def title_url(self, organisation):
        return reverse(self.get_url_name("inspect"), args=[organisation.pk])

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("bilan/<int:pk>/<int:year>/", bilan_view, name="bilan"),
        ]


class PersonChooserViewSet(SnippetChooserViewSet):
    """The person chooser (an event's people, a paper's authors), with a tab to create one
    without leaving the page."""

    form_fields = ["first_name", "last_name", "job_title"]  # no chooser inside the chooser
    create_action_label = "Créer cette personne"
    creation_tab_label = "Nouvelle personne"


class PersonViewSet(SnippetViewSet):
    model = Person
    chooser_viewset_class = PersonChooserViewSet
    icon = "user"
    menu_label = "Personnes"
    list_display = ["last_name", "first_name", "job_title", "organisation"]
    search_fields = ["first_name", "last_name"]


class SharedContentGroup(SnippetViewSetGroup):
    items = (ThemeViewSet, OrganisationViewSet, PersonViewSet)
    menu_icon = "folder-open-inverse"
    menu_label = "Référentiels"
    menu_name = "referentiels"


# --- Leads ----------------------------------------------------------------------------------------

# What the export log keeps of one filter's name or value (a hand-made URL may hold anything).
FILTER_MAX_LENGTH = 200


def listing_filters(request):
    """The filters as a listing applied them, for the export log ("unknown" is a yes/no filter
    left blank), as text any database holds: no NUL or other control character, not huge."""
    return {
        cleaning.clean(key, max_length=FILTER_MAX_LENGTH): cleaning.clean(
            value, max_length=FILTER_MAX_LENGTH
        )
        for key, value in request.GET.items()
        if key not in export_jobs.NOT_FILTERS and value not in export_jobs.BLANK_VALUES
    }


class SafeExportIndexView(IndexView):
    """A list whose export is exactly the filtered list, safe to open (rule 5), streamed and
    logged (rule 4). Subclasses name their columns, their list and who may export it.

    Past EXPORT_BACKGROUND_ROWS rows the worker writes the file (contacts.export_jobs): the
    export answers with its progress page, the same one for the same export asked again."""

    export_columns = None  # a contacts.exports.Columns
    export_dataset = None  # an ExportLog.Dataset
    paginator_class = CappedCountPaginator  # no COUNT(*) over a million rows per view

    def counted_queryset(self, queryset):
        """What the paginator counts: the listing itself, unless a subclass knows a cheaper
        queryset with the same rows."""
        return queryset

    def get_paginator(self, queryset, per_page, **kwargs):
        return self.paginator_class(
            queryset, per_page, counted=self.counted_queryset(queryset), **kwargs
        )

    def user_can_export(self, user):
        return can_export(user)

    @cached_property
    def show_export_buttons(self):
        return self.user_can_export(self.request.user)

    def get(self, request, *args, **kwargs):
        if self.is_export:
            # Straight to the file: the listing's context would evaluate the whole queryset.
            return self.as_spreadsheet(self.get_queryset(), request.GET["export"])
        return super().get(request, *args, **kwargs)

    def as_spreadsheet(self, queryset, spreadsheet_format):
        if not self.user_can_export(self.request.user):
            raise PermissionDenied
        filters = listing_filters(self.request)
        if export_jobs.over_threshold(queryset):
            job, created = export_jobs.start(self, spreadsheet_format, filters)
            if not created:
                messages.info(
                    self.request, "Cet export est déjà en préparation : voici son avancement."
                )
            return redirect("export_jobs:detail", job.pk)
        run = exports.ExportRun.start(
            export_format=spreadsheet_format,
            source=ExportLog.Source.ADMIN,
            filters=filters,
            user=self.request.user,
            dataset=self.export_dataset,
        )
        return exports.spreadsheet_response(queryset, spreadsheet_format, self.export_columns, run)


class ReadOnlyModelViewSet(ModelViewSet):
    """Lists and inspects; the permission policy refuses add, change and delete to everyone."""

    form_fields = []  # no create or edit form is ever shown
    copy_view_enabled = False
    add_to_reference_index = False
    list_per_page = 50


class LeadActivityViewSet(ReadOnlyModelViewSet):
    """What leads did (their download requests, their registrations): found by the person's
    name, e-mail or organisation, newest first, exported exactly as filtered."""

    search_fields = ["lead__first_name", "lead__last_name", "lead__email", "lead__organisation"]
    ordering = ["-created_at"]


class LeadIndexView(SafeExportIndexView):
    """Each lead with how many requests they made and when the last one was: the counts stored
    on the lead (kept by publications.services), so that the columns show them and sort on them
    from an index, and the export holds them too."""

    export_columns = exports.LEADS
    export_dataset = ExportLog.Dataset.LEADS

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("linked_organisation")

    def order_queryset(self, queryset):
        # A lead who only registered for events has no request: last, whichever the direction.
        # The primary key breaks ties, as the indexes of contacts 0011 hold it.
        if self.ordering in ("last_request_at", "-last_request_at"):
            last_request = F("last_request_at")
            if self.ordering.startswith("-"):
                return queryset.order_by(last_request.desc(nulls_last=True), "-pk")
            return queryset.order_by(last_request.asc(nulls_last=True), "pk")
        if self.ordering in ("request_count", "-request_count"):
            return queryset.order_by(self.ordering, self.ordering.replace("request_count", "pk"))
        return super().order_queryset(queryset)


class LeadInspectView(LocalTimeInspectMixin, InspectView):
    """Everything held about one person: details, then what each app holds about them (every
    request, every registration, the consent they gave: contacts.activity)."""

    template_name = "contacts/admin/lead_inspect.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # What other apps hold about the person (their requests, their registrations).
        context["sections"] = [
            (section.template_name, section.rows(self.object)) for section in inspect_sections()
        ]
        context["can_erase"] = can_erase(self.request.user)
        context["erase_url"] = reverse("leads:erase", args=[self.object.pk])
        context.update(lead_organisation_context(self.object, self.request.user))
        return context


class LeadViewSet(ReadOnlyModelViewSet):
    model = Lead
    name = "leads"
    icon = "user"
    menu_label = "Leads"
    menu_order = 200
    index_view_class = LeadIndexView
    filterset_class = LeadFilterSet
    list_export = exports.LEADS.paths  # turns the export buttons on; exports.py writes the files
    ordering = "-last_request_at"
    inspect_view_enabled = True
    inspect_view_class = LeadInspectView
    inspect_view_fields = [
        "first_name",
        "last_name",
        "email",
        "organisation",
        "organisation_type",
        "job_title",
        "phone",
        "news_opt_in",
        "news_asked_at",
        "news_confirmed_at",
        "news_withdrawn_at",
        "created_at",
        "updated_at",
    ]
    search_fields = ["first_name", "last_name", "email", "organisation"]

    @cached_property
    def list_display(self):
        return [
            TitleColumn("full_name", label="Nom", url_name="leads:inspect"),
            Column("email", label="E-mail", sort_key="email"),
            Column("organisation", label="Organisme", sort_key="organisation"),
            Column("get_organisation_type_display", label="Type"),
            Column("request_count", label="Demandes", sort_key="request_count"),
            Column("last_request_at", label="Dernière demande", sort_key="last_request_at"),
            Column("linked_organisation", label="Organisme rattaché"),
        ]

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("<int:pk>/effacer/", require_POST(self.erase_view), name="erase"),
            path("<int:pk>/rattacher/", require_POST(attach_view), name="attach"),
            path("<int:pk>/detacher/", require_POST(detach_view), name="detach"),
        ]

    def erase_view(self, request, pk):
        """Erases a person: the lead goes; their requests stay, anonymised, for the counts."""
        if not can_erase(request.user):
            raise PermissionDenied
        lead = get_object_or_404(Lead, pk=pk)
        count = services.erase_lead(lead)
        messages.success(
            request,
            f"Les données de {lead.email} ont été effacées ; {count} demande(s) ou "
            "inscription(s) sont conservées sans aucune donnée personnelle.",
        )
        return redirect(self.get_url_name("index"))


class ExportLogIndexView(SafeExportIndexView):
    """The log, its filters in words (one lookup per page for the chosen papers and events),
    and its own export, logged like the others."""

    export_columns = EXPORT_LOG
    export_dataset = ExportLog.Dataset.EXPORT_LOG

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        logs = context["object_list"] = list(context["object_list"])
        for log, words in zip(logs, describe_filters(logs), strict=True):
            log.filters_words = words
        context["table"] = self.get_table(logs)
        return context


class ExportLogViewSet(ReadOnlyModelViewSet):
    model = ExportLog
    name = "exports-leads"
    icon = "list-ul"
    menu_label = "Journal des exports"
    menu_order = 300
    index_view_class = ExportLogIndexView
    filterset_class = ExportLogFilterSet
    list_export = EXPORT_LOG.paths  # turns the export buttons on; exports.py writes the files
    ordering = ["-created_at"]

    @cached_property
    def list_display(self):
        return [
            Column("created_at", label="Date", sort_key="created_at"),
            Column("username", label="Utilisateur"),
            Column("get_dataset_display", label="Liste"),
            Column("get_format_display", label="Format"),
            Column("get_source_display", label="Origine"),
            Column("filters_words", label="Filtres"),
            Column("row_count", label="Lignes", sort_key="row_count"),
            Column("get_status_display", label="État", sort_key="status"),
        ]


# --- Outbox -------------------------------------------------------------------------------------


class OutboundEmailState(django_filters.ChoiceFilter):
    """Pending (not sent, not tried yet), failed (not sent, tried at least once), sent."""

    PENDING, FAILED, SENT = "attente", "echec", "envoye"
    CHOICES = [(PENDING, "En attente"), (FAILED, "En échec (nouvel essai prévu)"), (SENT, "Envoyé")]

    def __init__(self, **kwargs):
        super().__init__(choices=self.CHOICES, **kwargs)

    def filter(self, queryset, value):
        if value == self.PENDING:
            return queryset.filter(sent_at__isnull=True, attempts=0)
        if value == self.FAILED:
            return queryset.filter(sent_at__isnull=True, attempts__gt=0)
        if value == self.SENT:
            return queryset.filter(sent_at__isnull=False)
        return queryset


class OutboundEmailFilterSet(WagtailFilterSet):
    state = OutboundEmailState(label="État")

    class Meta:
        model = OutboundEmail
        fields = ["state"]


class OutboundEmailViewSet(ReadOnlyModelViewSet):
    """The mails the site owes or sent: what is waiting, why one failed, each as its recipient
    reads it; a failed mail can be sent again (contacts.mail_admin). Superusers and lead
    managers see it (the mails carry leads' addresses); sent mails go after
    OUTBOX_KEEP_SENT_DAYS (prune_outbox)."""

    model = OutboundEmail
    name = "emails"
    icon = "mail"
    menu_label = "E-mails envoyés"
    menu_order = 350
    filterset_class = OutboundEmailFilterSet
    ordering = ["-created_at"]
    search_fields = ["to", "subject"]
    inspect_view_enabled = True
    inspect_view_class = OutboundEmailInspectView
    inspect_view_fields = [
        "to",
        "subject",
        "created_at",
        "sent_at",
        "attempts",
        "next_attempt_at",
        "last_error",
    ]

    @cached_property
    def list_display(self):
        return [
            Column("created_at", label="Créé le", sort_key="created_at"),
            TitleColumn("subject", label="Objet", url_name="emails:inspect"),
            Column("to", label="Destinataire", sort_key="to"),
            Column("kind", label="Type", accessor=kind_label),
            Column("state_display", label="État"),
            Column("attempts", label="Tentatives", sort_key="attempts"),
            Column("sent_at", label="Envoyé le", sort_key="sent_at"),
            Column("last_error", label="Dernière erreur"),
        ]

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("<int:pk>/renvoyer/", require_POST(retry_view), name="retry"),
        ]
