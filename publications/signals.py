"""What publications answers of the people domain's signals (contacts.signals)."""

from . import services


def anonymise_requests(sender, lead, **kwargs):
    """A person is erased: their requests stay for the counts, with nothing personal."""
    return services.anonymise_requests(lead)


def lead_requests(lead):
    """The lead's requests, for their admin page (contacts.activity)."""
    return lead.requests.select_related("paper").order_by("-created_at")
