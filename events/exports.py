"""The registrations' export: publications' safe writers (no formula, French Excel, streamed)
with the columns of a registration, and dates read from its history (events.history)."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, OuterRef, Subquery
from django.db.models.functions import Cast, Coalesce

from wagtail.models import ModelLogEntry

from contacts.exports import LEAD_COLUMNS, ORGANISATION_TYPES, Columns

from . import history
from .attendance import export_presence
from .choices import MEMBERSHIP_FLAGS, RegistrationStatus
from .models import Registration

Action = history.Action
# The history's actions each derived date reads, when the row's own column is empty (a row
# older than the column, or one a staff action changed).
CONFIRMING = [Action.OFFER_ACCEPTED, Action.PROMOTED]
CANCELLING = [Action.CANCELLED, Action.OFFER_DECLINED, Action.OFFER_EXPIRED]


def _last_entry(content_type_id, actions=None):
    """The time of the registration's latest history entry (of ``actions``), a subquery."""
    entries = ModelLogEntry.objects.filter(
        content_type_id=content_type_id,
        object_id=Cast(OuterRef("pk"), output_field=CharField()),
    )
    if actions is None:
        entries = entries.filter(action__startswith=history.PREFIX)
    else:
        entries = entries.filter(action__in=[str(action) for action in actions])
    return Subquery(entries.order_by("-timestamp", "-pk").values("timestamp")[:1])


def with_history_dates(queryset):
    """The export's queryset with its history-derived dates, in the export's one query (a
    subquery each), whatever the number of rows."""
    content_type_id = ContentType.objects.get_for_model(Registration, for_concrete_model=False).pk
    return queryset.annotate(
        confirmed_on=Coalesce("confirmed_at", _last_entry(content_type_id, CONFIRMING)),
        cancelled_on=Coalesce("cancelled_at", _last_entry(content_type_id, CANCELLING)),
        offered_on=Coalesce("offered_at", _last_entry(content_type_id, [Action.OFFERED])),
        modified_on=_last_entry(content_type_id),
    )


REGISTRATIONS = Columns(
    [
        ("Date d'inscription", "created_at"),
        ("Événement", "event__title"),
        ("Séance", "session__title"),
        ("Date de la séance", "session__date"),
        ("Statut", "status"),
        ("Place proposée le", "offered_on"),
        ("Offre valable jusqu'au", "offer_expires_at"),
        # Computed by ``with_history_dates``: the row's column, else its history's.
        ("Confirmée le", "confirmed_on"),
        ("Annulée le", "cancelled_on"),
        ("Modifiée le", "modified_on"),
        *LEAD_COLUMNS,
        ("Adhérent", "is_member"),
        ("Adhésion", "membership"),
        ("Tarif", "price_label"),
        ("Besoins d'accessibilité", "accessibility_needs"),
        ("Commentaire", "comment"),
        ("Actualités acceptées", "lead__news_opt_in"),
        # Last, so that the columns before keep their places: per séance of the seat already
        # held, « Présent le … à … » or « Absent » (attendance.export_presence).
        ("Présence", "id"),
    ],
    labels={
        "lead__organisation_type": ORGANISATION_TYPES,
        "status": dict(RegistrationStatus.choices),
        "membership": MEMBERSHIP_FLAGS,
    },
    sheet_title="Inscriptions",
    file_stem="inscriptions-evenements",
    widths={"id": 40},
    prepare=export_presence,
)
