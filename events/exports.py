"""The registrations' export: publications' safe writers (no formula, French Excel, streamed)
with the columns of a registration."""

from contacts.exports import LEAD_COLUMNS, ORGANISATION_TYPES, Columns

from .attendance import export_presence
from .choices import MEMBERSHIP_FLAGS, RegistrationStatus

REGISTRATIONS = Columns(
    [
        ("Date d'inscription", "created_at"),
        ("Événement", "event__title"),
        ("Séance", "session__title"),
        ("Date de la séance", "session__date"),
        ("Statut", "status"),
        ("Place proposée le", "offered_at"),
        ("Offre valable jusqu'au", "offer_expires_at"),
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
