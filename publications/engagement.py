"""What an organisation's people asked for, for its admin page and its bilan d'adhésion
(contacts.engagement): the white-paper requests of the people attached to it (a request counts
in the period it was made in), and how many different papers they were for."""

from django.db.models import Count
from django.utils import timezone

from contacts.engagement import Figure, Table

from .models import DownloadRequest


def requests_of(organisation, period):
    requests = DownloadRequest.objects.filter(lead__linked_organisation=organisation)
    return requests if period is None else requests.filter(period.datetime_q("created_at"))


def organisation_figures(organisation, period):
    counts = requests_of(organisation, period).aggregate(
        requests=Count("pk"), papers=Count("paper_title", distinct=True)
    )
    return [
        Figure(
            "requests",
            "Livres blancs téléchargés (demandes)",
            counts["requests"],
            note="demandes faites sur la période par les personnes rattachées",
        ),
        Figure("papers", "Livres blancs différents", counts["papers"]),
    ]


def organisation_tables(organisation, period, limit):
    requests = (
        requests_of(organisation, period).select_related("lead").order_by("-created_at", "-pk")
    )
    count = requests.count()
    shown = requests[:limit] if limit is not None else requests
    rows = [
        [
            timezone.localtime(request.created_at),
            request.paper_title,
            request.lead.full_name if request.lead_id else "(données effacées)",
            request.download_count,
        ]
        for request in shown
    ]
    return [
        Table(
            "requests",
            "Demandes de livres blancs",
            ["Date de la demande", "Livre blanc", "Personne", "Téléchargements"],
            rows,
            count,
            widths={0: 17, 1: 45, 2: 24},
        )
    ]
