"""The registrations' export: publications' safe writers (no formula, French Excel, streamed)
with the columns of a registration."""

from publications.exports import ORGANISATION_TYPES, Columns

from .choices import RegistrationStatus

REGISTRATIONS = Columns(
    [
        ("Date d'inscription", "created_at"),
        ("Événement", "event__title"),
        ("Séance", "session__title"),
        ("Date de la séance", "session__date"),
        ("Statut", "status"),
        ("Prénom", "lead__first_name"),
        ("Nom", "lead__last_name"),
        ("E-mail", "lead__email"),
        ("Organisme", "lead__organisation"),
        ("Type d'organisme", "lead__organisation_type"),
        ("Fonction", "lead__job_title"),
        ("Téléphone", "lead__phone"),
        ("Adhérent", "is_member"),
        ("Tarif", "price_label"),
        ("Besoins d'accessibilité", "accessibility_needs"),
        ("Commentaire", "comment"),
        ("Actualités acceptées", "lead__news_opt_in"),
    ],
    labels={
        "lead__organisation_type": ORGANISATION_TYPES,
        "status": dict(RegistrationStatus.choices),
    },
    sheet_title="Inscriptions",
    file_stem="inscriptions-evenements",
)
