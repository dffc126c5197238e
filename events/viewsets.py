from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import cached_property

from wagtail.admin.ui.tables import BooleanColumn, Column, StatusTagColumn, TitleColumn
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.widgets.button import HeaderButton
from wagtail.snippets.views.chooser import SnippetChooserViewSet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from contacts.models import ExportLog
from contacts.viewsets import (
    LeadActivityViewSet,
    SafeExportIndexView,
)

from . import attendance, services, staff
from .admin_filters import RegistrationFilterSet
from .choices import (
    MEMBERSHIP_FLAGS,
    MembershipCheck,
    RegistrationMode,
    RegistrationStatus,
    SessionStatus,
)
from .dates import moment
from .exports import REGISTRATIONS, with_history_dates
from .models import EventKind, EventPage, Registration, Venue
from .models.inlines import number_sessions
from .registrant_messages import can_write_to_registrants
from .staff_forms import CancelForm, ChangeRegistrationForm, PromoteForm, StaffRegistrationForm


def can_change(user):
    """Lead managers (events 0005) and superusers change, cancel and confirm registrations."""
    return user.has_perm("events.change_registration")


def can_add(user):
    """Lead managers (events 0010) and superusers book for someone."""
    return user.has_perm("events.add_registration")


def _posted(request):
    """The POST's data, even empty (a form of defaults only), else None: an unbound form."""
    return request.POST if request.method == "POST" else None


class RegistrationActionsColumn(Column):
    """A row's actions for staff who may change registrations: « Modifier », « Confirmer »
    (someone waiting or offered), « Annuler… », and for everyone « Historique »."""

    cell_template_name = "events/admin/registration_actions_cell.html"

    def __init__(self, name, *, can_change, **kwargs):
        super().__init__(name, **kwargs)
        self.can_change = can_change

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        actions = []
        active = instance.status != RegistrationStatus.CANCELLED
        if self.can_change and active:
            actions.append(("Modifier", reverse("inscriptions:change", args=[instance.pk])))
            if instance.status in (RegistrationStatus.WAITING, RegistrationStatus.OFFERED):
                actions.append(("Confirmer", reverse("inscriptions:promote", args=[instance.pk])))
            actions.append(("Annuler…", reverse("inscriptions:cancel", args=[instance.pk])))
        actions.append(("Historique", reverse("inscriptions:history", args=[instance.pk])))
        context["actions"] = actions
        context["person"] = instance.person_name
        return context


class RegistrationHistoryView(HistoryView):
    """The registration's « Historique »: for whoever may see registrations (the policy
    refuses Wagtail's own edit, which is replaced by the staff pages)."""

    any_permission_required = ["view"]
    edit_url_name = None

    def get_base_object_queryset(self):
        return super().get_base_object_queryset().select_related("event", "lead", "session")

    def get_page_subtitle(self):
        registration = self.object
        return (
            f"{registration.person_name} – {registration.event_title} ({registration.seat_label})"
        )

    @cached_property
    def header_buttons(self):
        if not can_change(self.request.user) or (
            self.object.status == RegistrationStatus.CANCELLED
        ):
            return []
        return [
            HeaderButton(
                "Modifier",
                url=reverse("inscriptions:change", args=[self.object.pk]),
                icon_name="edit",
            )
        ]


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

    def as_spreadsheet(self, queryset, spreadsheet_format):
        # The dates derived from each registration's history, in the export's own query.
        return super().as_spreadsheet(with_history_dates(queryset), spreadsheet_format)

    @cached_property
    def columns(self):
        # The actions' links (« Modifier », « Annuler… »…) only for staff who may use them.
        return [
            (
                RegistrationActionsColumn("actions", label="Actions", can_change=True)
                if column.name == "actions" and can_change(self.request.user)
                else column
            )
            for column in super().columns
        ]

    @cached_property
    def header_buttons(self):
        buttons = super().header_buttons
        event_id = self.request.GET.get("event", "")
        if can_add(self.request.user):
            url = reverse("inscriptions:add_by_staff")
            buttons.append(
                HeaderButton(
                    "Ajouter une inscription",
                    url=f"{url}?event={int(event_id)}" if event_id.isdigit() else url,
                    icon_name="plus",
                )
            )
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
    history_view_class = RegistrationHistoryView

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
            RegistrationActionsColumn("actions", label="Actions", can_change=False),
        ]

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("emargement/<int:event_id>/", self.attendance_view, name="attendance"),
            path("annuler/<int:pk>/", self.cancel_view, name="cancel"),
            path("ajouter/", self.add_by_staff_view, name="add_by_staff"),
            path("modifier/<int:pk>/", self.change_view, name="change"),
            path("confirmer/<int:pk>/", self.promote_view, name="promote"),
        ]

    def _registration(self, pk):
        return get_object_or_404(
            Registration.objects.select_related("event", "lead", "session", "price"), pk=pk
        )

    def add_by_staff_view(self, request):
        """A booking staff take for someone (a phone call): the event first, then the
        person, séances, price, a note and whether to mail the confirmation (events.staff)."""
        if not can_add(request.user):
            raise PermissionDenied
        index = reverse("inscriptions:index")
        events = EventPage.objects.filter(registration_mode=RegistrationMode.SITE).order_by(
            "-first_date", "title"
        )
        event_id = request.GET.get("event", "")
        event = (
            events.filter(pk=int(event_id)).first()
            if event_id.isdigit() and len(event_id) < 12
            else None
        )
        if event is None:
            return TemplateResponse(
                request,
                "events/admin/add_registration.html",
                {"events": list(events.only("pk", "title", "first_date")), "index_url": index},
            )
        form = StaffRegistrationForm(_posted(request), event=event)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            choice = services.Choice(
                is_member=data["is_member"],
                membership=data["membership"],
                organisation=data["register_organisation"],
                price=data.get("price"),
                sessions=tuple(data.get("sessions") or ()),
                accessibility_needs=data["accessibility_needs"],
                comment=data["comment"],
            )
            try:
                made = staff.add(
                    event,
                    details=form.details,
                    choice=choice,
                    user=request.user,
                    note=data["note"],
                    notify=data["notify"],
                )
            except services.RegistrationRefused as refused:
                form.add_error(None, str(refused))
            else:
                statuses = ", ".join(
                    f"{r.seat_label} : {r.get_status_display().lower()}" for r in made
                )
                messages.success(
                    request,
                    f"Inscription de {made[0].person_name} à « {event.title} » enregistrée "
                    f"({statuses}).",
                )
                return redirect(f"{index}?event={event.pk}")
        return TemplateResponse(
            request,
            "events/admin/add_registration.html",
            {"event": event, "form": form, "index_url": index},
        )

    def change_view(self, request, pk):
        """Staff change a registration's séance (another of the cycle's) or its price."""
        if not can_change(request.user):
            raise PermissionDenied
        registration = self._registration(pk)
        index = reverse("inscriptions:index")
        if registration.status == RegistrationStatus.CANCELLED:
            messages.info(request, staff.NOT_ACTIVE)
            return redirect(index)
        form = ChangeRegistrationForm(_posted(request), registration=registration)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                staff.change(
                    registration.pk,
                    user=request.user,
                    session=data.get("session"),
                    price=data.get("price"),
                    may_wait=data.get("may_wait", False),
                    note=data["note"],
                )
            except services.RegistrationRefused as refused:
                form.add_error(None, str(refused))
            else:
                messages.success(
                    request, f"L'inscription de {registration.person_name} est modifiée."
                )
                return redirect(f"{index}?event={registration.event_id}")
        return TemplateResponse(
            request,
            "events/admin/change_registration.html",
            {
                "registration": registration,
                "form": form,
                "index_url": index,
                "history_url": reverse("inscriptions:history", args=[registration.pk]),
            },
        )

    def promote_view(self, request, pk):
        """Staff confirm someone waiting (or offered a seat) now: into a free seat, or over
        capacity when they tick it."""
        if not can_change(request.user):
            raise PermissionDenied
        registration = self._registration(pk)
        index = reverse("inscriptions:index")
        form = PromoteForm(_posted(request))
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                staff.promote(
                    registration.pk,
                    user=request.user,
                    over_capacity=data["over_capacity"],
                    notify=data["notify"],
                    note=data["note"],
                )
            except services.RegistrationRefused as refused:
                form.add_error(None, str(refused))
            else:
                messages.success(
                    request,
                    f"L'inscription de {registration.person_name} à "
                    f"« {registration.event_title} » est confirmée.",
                )
                return redirect(f"{index}?event={registration.event_id}")
        return TemplateResponse(
            request,
            "events/admin/promote_registration.html",
            {"registration": registration, "form": form, "index_url": index},
        )

    def cancel_view(self, request, pk):
        """Staff cancel one seat: a page that asks (and whether to mail the person), then the
        cancellation, which gives the seat to the first person waiting."""
        if not can_change(request.user):
            raise PermissionDenied
        registration = get_object_or_404(
            Registration.objects.select_related("event", "lead", "session"), pk=pk
        )
        index = reverse("inscriptions:index")
        if registration.status == RegistrationStatus.CANCELLED:
            messages.info(request, "Cette inscription est déjà annulée.")
            return redirect(index)
        form = CancelForm(_posted(request))
        if request.method == "POST" and form.is_valid():
            notify = form.cleaned_data["notify"]
            staff.cancel(registration.pk, user=request.user, notify=notify)
            told = "la personne en est informée par e-mail" if notify else "sans e-mail"
            messages.success(
                request,
                f"L'inscription de {registration.person_name} à « {registration.event_title} » "
                f"est annulée ; {told}.",
            )
            return redirect(index)
        return TemplateResponse(
            request,
            "events/admin/cancel_registration.html",
            {"registration": registration, "index_url": index, "form": form},
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
