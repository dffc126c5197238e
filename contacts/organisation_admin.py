"""The organisations in the admin: the register's listing (a fixed number of queries), an
organisation's page (its membership years, domains, people and what they did, from
contacts.engagement), its yearly bilan d'adhésion (a printable page and an XLSX, logged), and
a lead's attachment to an organisation chosen by staff."""

import re

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property

from wagtail.admin.widgets.button import HeaderButton
from wagtail.snippets.views.snippets import IndexView, InspectView

from . import engagement, exports, organisations
from .exports import UNWRITABLE
from .member_import_admin import can_import
from .models import (
    ExportLog,
    Lead,
    Organisation,
    OrganisationDomain,
    OrganisationLink,
)
from .paginator import CappedCountPaginator
from .permissions import can_attach, can_export, can_see_organisations, can_view_leads

PEOPLE_SHOWN = 50  # an organisation's page lists this many people, then says how many more
ROWS_SHOWN = 20  # and this many of each app's rows (requests, registrations)
REPORT_ROWS_SHOWN = 500  # the printable bilan; its XLSX holds every row
MAX_SEARCH = 200
SPACES = re.compile(r"\s+")
PRIMARY_KEY = re.compile(r"[0-9]{1,18}")  # ASCII digits only ("٣" is a digit to Python)
ORGANISATIONS = "wagtailsnippets_contacts_organisation"  # the snippet viewset's URL namespace


def this_year():
    return timezone.localdate().year


def bilan_url(pk, year):
    return reverse(f"{ORGANISATIONS}:bilan", args=[pk, year])


class OrganisationIndexView(IndexView):
    """Each organisation with whether it is a member this year, its domains and how many
    people are attached to it: annotations and one prefetch, whatever the page's size. A
    button imports the members list staff keep in Excel (contacts.member_import_admin)."""

    paginator_class = CappedCountPaginator

    @cached_property
    def header_buttons(self):
        buttons = super().header_buttons
        if can_import(self.request.user):
            buttons.append(
                HeaderButton(
                    "Importer des adhérents",
                    url=reverse("member_import:upload"),
                    icon_name="upload",
                )
            )
        return buttons

    def get_base_queryset(self):
        year = this_year()
        return (
            super()
            .get_base_queryset()
            .annotate(
                # One count per organisation shown (a subquery on the leads' index), not a
                # join of every organisation with every person attached to it.
                people_count=Coalesce(
                    Subquery(
                        Lead.objects.filter(linked_organisation=OuterRef("pk"))
                        .order_by()
                        .values("linked_organisation")
                        .annotate(count=Count("pk"))
                        .values("count")
                    ),
                    0,
                ),
                member_this_year=organisations.member_in(year),
            )
            .prefetch_related("domains")
        )

    def search_queryset(self, queryset):
        """By name, short name, SIREN (spaces ignored) or e-mail domain, in the database:
        whatever the visitor types, control characters are dropped first."""
        if not self.is_searching:
            return queryset
        term = SPACES.sub(" ", UNWRITABLE.sub("", self.search_query)).strip()[:MAX_SEARCH]
        if not term:
            return queryset
        query = (
            Q(name__icontains=term)
            | Q(short_name__icontains=term)
            | Exists(
                OrganisationDomain.objects.filter(
                    organisation=OuterRef("pk"), domain__icontains=term.lower()
                )
            )
        )
        siren = term.replace(" ", "")
        if siren.isascii() and siren.isdigit():
            query |= Q(siren__contains=siren)
        return queryset.filter(query)


def domains_text(organisation):
    return ", ".join(domain.domain for domain in organisation.domains.all()) or "—"


def member_text(organisation):
    return "Oui" if organisation.member_this_year else "Non"


class OrganisationInspectView(InspectView):
    """An organisation: what the register holds, its membership years, its people and what
    they did (each app's rows, capped, with their count), and the last twelve months in
    figures; links to each year's bilan."""

    template_name = "contacts/admin/organisation_inspect.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        organisation = self.object
        today = timezone.localdate()
        years = sorted(organisation.memberships.values_list("year", flat=True), reverse=True)
        context["membership_years"] = years
        context["domains"] = [domain.domain for domain in organisation.domains.all()]
        context["can_view_leads"] = can_view_leads(self.request.user)
        bilan_years = sorted({*years, today.year}, reverse=True)
        context["bilans"] = [(year, bilan_url(organisation.pk, year)) for year in bilan_years]
        if context["can_view_leads"]:
            people = engagement.people(organisation).order_by("last_name", "first_name", "pk")
            context["people"] = list(people[:PEOPLE_SHOWN])
            context["people_count"] = people.count()
            period = engagement.Period.last_twelve_months(today)
            context["period"] = period
            context["summary"] = engagement.figures(organisation, period)
            context["tables"] = engagement.tables(organisation, None, ROWS_SHOWN)
        return context


def bilan_view(request, pk, year):
    """The bilan d'adhésion of one organisation for one year: a printable page, or its XLSX
    (``?format=xlsx``), logged as every export of people's data is."""
    if not (can_see_organisations(request.user) and can_view_leads(request.user)):
        raise PermissionDenied
    organisation = get_object_or_404(Organisation, pk=pk)
    if not 1990 <= year <= 2100:
        raise Http404("Année hors du registre")
    period = engagement.Period.year(year)
    is_member = organisation.memberships.filter(year=year).exists()
    if request.GET.get("format") == "xlsx":
        if not can_export(request.user):
            raise PermissionDenied
        return bilan_xlsx(request, organisation, year, period, is_member)
    figures = engagement.figures(organisation, period)
    return TemplateResponse(
        request,
        "contacts/admin/organisation_bilan.html",
        {
            "organisation": organisation,
            "year": year,
            "period": period,
            "is_member": is_member,
            "figures": figures,
            "notes": [figure for figure in figures if figure.note],
            "tables": engagement.tables(organisation, period, REPORT_ROWS_SHOWN),
            "can_export": can_export(request.user),
            "inspect_url": reverse(f"{ORGANISATIONS}:inspect", args=[pk]),
        },
    )


def bilan_xlsx(request, organisation, year, period, is_member):
    run = exports.ExportRun.start(
        export_format=ExportLog.Format.XLSX,
        source=ExportLog.Source.ADMIN,
        filters={"organisation": organisation.pk, "year": year},
        user=request.user,
        dataset=ExportLog.Dataset.MEMBERSHIP_REPORT,
    )
    summary = exports.Sheet(
        f"Bilan {year}",
        ["Indicateur", "Valeur", "Mode de calcul"],
        [
            ["Organisme", organisation.name, ""],
            ["Année", year, ""],
            ["Adhérent cette année-là", "oui" if is_member else "non", ""],
            *(
                [
                    f"{figure.label} ({figure.unit})" if figure.unit else figure.label,
                    figure.value,
                    figure.note,
                ]
                for figure in engagement.figures(organisation, period)
            ),
        ],
        widths={0: 40, 1: 16, 2: 60},
    )
    details = [
        exports.Sheet(table.title, table.headings, table.rows, table.widths)
        for table in engagement.tables(organisation, period, None)
    ]
    stem = f"bilan-adhesion-{year}-{organisation.pk}"
    return exports.report_response([summary, *details], stem, run)


# --- A lead's organisation, chosen by staff -----------------------------------------------------


def lead_organisation_context(lead, user):
    """What the lead's page shows of their organisation: the attachment and how it was made,
    suggestions by name when the domain said nothing, and the forms to change it."""
    context = {
        "linked_organisation": lead.linked_organisation,
        "organisation_link": lead.get_organisation_link_display(),
        "can_attach": can_attach(user),
    }
    if context["can_attach"]:
        context["attach_url"] = reverse("leads:attach", args=[lead.pk])
        context["detach_url"] = reverse("leads:detach", args=[lead.pk])
        if lead.linked_organisation_id is None or lead.organisation_link != OrganisationLink.DOMAIN:
            context["suggestions"] = [
                organisation
                for organisation in organisations.suggestions(lead)
                if organisation.pk != lead.linked_organisation_id
            ]
        context["choices"] = Organisation.objects.only("pk", "name").order_by("name")
    return context


def attach_view(request, pk):
    if not can_attach(request.user):
        raise PermissionDenied
    lead = get_object_or_404(Lead, pk=pk)
    organisation_id = request.POST.get("organisation", "")
    organisation = (
        Organisation.objects.filter(pk=int(organisation_id)).first()
        if PRIMARY_KEY.fullmatch(organisation_id)
        else None
    )
    if organisation is None:
        messages.error(request, "Choisissez un organisme dans la liste.")
    else:
        organisations.attach(lead, organisation)
        messages.success(
            request,
            f"{lead.full_name} est rattaché(e) à « {organisation.name} » ; le rattachement "
            "automatique par le domaine ne le changera plus.",
        )
    return redirect("leads:inspect", pk)


def detach_view(request, pk):
    if not can_attach(request.user):
        raise PermissionDenied
    lead = get_object_or_404(Lead, pk=pk)
    organisations.attach(lead, None)
    messages.success(
        request,
        f"{lead.full_name} n'est plus rattaché(e) à aucun organisme ; le rattachement "
        "automatique par le domaine ne le rattachera plus.",
    )
    return redirect("leads:inspect", pk)
