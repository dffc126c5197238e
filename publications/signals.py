"""What publications answers of the people domain's signals (contacts.signals)."""

from . import services


def anonymise_requests(sender, lead, **kwargs):
    """A person is erased: their requests stay for the counts, with nothing personal."""
    return services.anonymise_requests(lead)


def personal_data(lead):
    """The lead's requests, for their own data download (contacts.activity)."""
    return [
        {
            "date de la demande": row.created_at,
            "livre blanc": row.paper_title,
            "texte de consentement affiché": row.consent_text,
            "actualités demandées (case cochée)": row.news_opt_in,
            "page": row.page_url,
            "provenance": row.referrer,
            **{name: getattr(row, name) for name in services.UTM_FIELDS},
            "téléchargements": row.download_count,
            "dernier téléchargement": row.last_downloaded_at,
        }
        for row in lead.requests.order_by("created_at", "pk")
    ]


def lead_requests(lead):
    """The lead's requests, for their admin page (contacts.activity)."""
    return lead.requests.select_related("paper").order_by("-created_at")
