from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import cached_property

from wagtail.admin.ui.tables import BooleanColumn, Column, StatusTagColumn, TitleColumn
from wagtail.admin.widgets.button import HeaderButton
from wagtail.snippets.views.chooser import SnippetChooserViewSet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from contacts.models import ExportLog
from contacts.viewsets import (
    LeadActivityViewSet,
    SafeExportIndexView,
)

from . import attendance, services
from .admin_filters import RegistrationFilterSet
from .choices import MEMBERSHIP_FLAGS, MembershipCheck, RegistrationStatus, SessionStatus
from .dates import moment
from .exports import REGISTRATIONS
from .models import EventKind, EventPage, Registration, Venue
from .models.inlines import number_sessions
from .registrant_messages import can_write_to_registrants


class EventKindViewSet(SnippetViewSet):
    model = EventKind
    icon = "tag"
    menu_label = "Types d'événement"
    list_display = ["name", "slug"]
    search_fields = ["name"]


class VenueChooserViewSet(SnippetChooserViewSet):
    """The event form's venue chooser, with a tab to create a venue without leaving the page."""

    form_fields = ["name", "street", "postcode", "city"]
    create_action_label = "Créer ce lieu"
    creation_tab_label = "Nouveau lieu"


class VenueViewSet(SnippetViewSet):
    model = Venue
    chooser_viewset_class = VenueChooserViewSet
    icon = "site"
    menu_label = "Lieux"
    list_display = ["name", "street", "postcode", "city"]
    search_fields = ["name", "city"]


class EventReferenceGroup(SnippetViewSetGroup):
    items = (EventKindViewSet, VenueViewSet)
    menu_icon = "date"
    menu_label = "Référentiels d'événements"
    menu_name = "referentiels-evenements"


# --- Registrations ------------------------------------------------------------------------------


class RegistrationIndexView(SafeExportIndexView):
    """Registrations, filtered by event, status…, exported like the leads; with one event
    chosen, a button to its attendance sheet."""

    export_columns = REGISTRATIONS
    export_dataset = ExportLog.Dataset.REGISTRATIONS

    def user_can_export(self, user):
        return user.has_perm("events.export_registration")

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("lead", "event", "session")

    @cached_property
    def columns(self):
        # The "Annuler…" links only for staff who may cancel.
        columns = super().columns
        if self.request.user.has_perm("events.change_registration"):
            return columns
        return [column for column in columns if column.name != "cancel"]

    @cached_property
    def header_buttons(self):
        buttons = super().header_buttons
        event_id = self.request.GET.get("event", "")
        if event_id.isdigit():
            buttons.append(
                HeaderButton(
                    "Feuille d'émargement",
                    url=reverse("inscriptions:attendance", args=[int(event_id)]),
                    icon_name="doc-full",
                )
            )
            if attendance.can_check_in(self.request.user):
                buttons.append(
                    HeaderButton(
                        "Pointage",
                        url=reverse("events_checkin", args=[int(event_id)]),
                        icon_name="tick",
                    )
                )
            if can_write_to_registrants(self.request.user):
                buttons.append(
                    HeaderButton(
                        "Écrire aux inscrits",
                        url=reverse("events_write_to_registrants", args=[int(event_id)]),
                        icon_name="mail",
                    )
                )
        return buttons


class RegistrationViewSet(LeadActivityViewSet):
    model = Registration
    name = "inscriptions"
    icon = "form"
    menu_label = "Inscriptions"
    menu_order = 260  # just below "Leads", for the same staff
    add_to_admin_menu = True
    index_view_class = RegistrationIndexView
    filterset_class = RegistrationFilterSet
    list_export = REGISTRATIONS.paths  # turns the export buttons on; exports.py writes the files

    @cached_property
    def list_display(self):
        return [
            Column("created_at", label="Date", sort_key="created_at"),
            Column("event_title", label="Événement", sort_key="event__title"),
            Column("seat_label", label="Séance"),
            StatusTagColumn(
                "status",
                label="Statut",
                accessor="status_label",
                primary=lambda registration: registration.status == RegistrationStatus.OFFERED,
                sort_key="status",
            ),
            Column(
                "offer_expires",
                label="Offre valable jusqu'au",
                accessor=lambda registration: (
                    moment(registration.offer_expires_at)
                    if registration.status == RegistrationStatus.OFFERED
                    else ""
                ),
                sort_key="offer_expires_at",
            ),
            TitleColumn(
                "person_name",
                label="Personne",
                url_name="leads:inspect",
                id_accessor="lead_id",
                sort_key="lead__last_name",
            ),
            Column("lead_email", label="E-mail", accessor="lead.email", sort_key="lead__email"),
            Column(
                "lead_organisation",
                label="Organisme",
                accessor="lead.organisation",
                sort_key="lead__organisation",
            ),
            BooleanColumn("is_member", label="Adhérent", sort_key="is_member"),
            StatusTagColumn(
                "membership",
                label="Adhésion",
                accessor=lambda registration: MEMBERSHIP_FLAGS.get(registration.membership, ""),
                primary=lambda registration: registration.membership == MembershipCheck.TO_CHECK,
                sort_key="membership",
            ),
            Column("price_label", label="Tarif"),
            TitleColumn(
                "cancel",
                label="Annuler",
                accessor=lambda registration: (
                    "" if registration.status == RegistrationStatus.CANCELLED else "Annuler…"
                ),
                get_url=lambda registration: (
                    None
                    if registration.status == RegistrationStatus.CANCELLED
                    else reverse("inscriptions:cancel", args=[registration.pk])
                ),
            ),
        ]

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("emargement/<int:event_id>/", self.attendance_view, name="attendance"),
            path("annuler/<int:pk>/", self.cancel_view, name="cancel"),
        ]

    def cancel_view(self, request, pk):
        """Staff cancel one seat: a page that asks, then the cancellation, which mails the
        person and gives the seat to the first person waiting."""
        if not request.user.has_perm("events.change_registration"):
            raise PermissionDenied
        registration = get_object_or_404(
            Registration.objects.select_related("event", "lead", "session"), pk=pk
        )
        index = reverse("inscriptions:index")
        if registration.status == RegistrationStatus.CANCELLED:
            messages.info(request, "Cette inscription est déjà annulée.")
            return redirect(index)
        if request.method == "POST":
            services.cancel_by_staff(registration.pk)
            messages.success(
                request,
                f"L'inscription de {registration.person_name} à « {registration.event_title} » "
                "est annulée ; la personne en est informée par e-mail.",
            )
            return redirect(index)
        return TemplateResponse(
            request,
            "events/admin/cancel_registration.html",
            {"registration": registration, "index_url": index},
        )

    def attendance_view(self, request, event_id):
        """A printable attendance sheet: one line per confirmed person, a signature column;
        for a registration per session, one sheet per session, each on its own page."""
        if not request.user.has_perm("events.view_registration"):
            raise PermissionDenied
        event = get_object_or_404(EventPage, pk=event_id)
        confirmed = list(
            Registration.objects.confirmed()
            .filter(event=event)
            .select_related("lead", "session")
            .order_by("session__sort_order", "lead__last_name", "lead__first_name", "pk")
        )
        sheets = {}
        for registration in confirmed:
            sheets.setdefault(registration.session, []).append(registration)
        sessions = number_sessions(event.sessions.order_by("sort_order"))
        headings = {session.pk: session for session in sessions}
        held = [session for session in sessions if session.status != SessionStatus.CANCELLED]
        present = attendance.present_at(event)
        return TemplateResponse(
            request,
            "events/admin/attendance_sheet.html",
            {
                "event": event,
                "dates_label": event.dates_label(sessions),
                # One signature column per session the people on a sheet attend: the sheet's
                # session, or every session held of an event one registers for as a whole;
                # a person checked in shows « Présent·e à 9 h 12 » in it.
                "sheets": [
                    (
                        headings.get(session.pk) if session else None,
                        [headings[session.pk]] if session else held,
                        [
                            (
                                registration,
                                [
                                    present.get((registration.pk, signed.pk), "")
                                    for signed in ([headings[session.pk]] if session else held)
                                ]
                                or [""],
                            )
                            for registration in rows
                        ],
                    )
                    for session, rows in sheets.items()
                ],
                "no_shows": attendance.no_shows(held, confirmed, present),
                "can_check_in": attendance.can_check_in(request.user),
            },
        )
