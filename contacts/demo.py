"""A few member organisations and their people for the demo site: invented names marked
« (démo) », domains under the reserved ``.example`` top-level domain (RFC 2606), SIRENs in a
range INSEE does not use for real bodies, membership years around the current one, so that
``make run`` shows member prices, « adhésion à vérifier » and an organisation's page."""

from django.utils import timezone

from . import organisations
from .models import Lead, Membership, Organisation, OrganisationDomain, OrganisationType

# (name, short name, type, SIREN, domains, membership years relative to this year)
ORGANISATIONS = [
    (
        "OPH de la Vallée (démo)",
        "OPH de la Vallée",
        OrganisationType.OPH,
        "999999014",
        ["oph-vallee.example"],
        range(-4, 2),  # a member for years, and already for next year
    ),
    (
        "Horizon Habitat ESH (démo)",
        "Horizon Habitat",
        OrganisationType.ESH,
        "999999022",
        ["horizon-habitat.example", "idf.horizon-habitat.example"],
        range(0, 1),  # a member this year only
    ),
    (
        "Toits Partagés, coopérative HLM (démo)",
        "Toits Partagés",
        OrganisationType.COOP,
        "999999030",
        ["toits-partages.example"],
        range(-3, 0),  # no longer a member
    ),
    (
        "SEM des Quartiers (démo)",
        "SEM des Quartiers",
        OrganisationType.SEM,
        "999999048",
        ["sem-quartiers.example"],
        range(0),  # never a member
    ),
]
# (first name, e-mail, what they typed as their organisation, its type, job title)
PEOPLE = [
    ("Camille", "camille.demo@oph-vallee.example", "OPH de la Vallée", "oph", "Directrice"),
    ("Karim", "karim.demo@oph-vallee.example", "OPH Vallée", "oph", "Responsable de proximité"),
    ("Léa", "lea.demo@idf.horizon-habitat.example", "Horizon Habitat", "esh", "Directrice"),
    ("Hugo", "hugo.demo@sem-quartiers.example", "SEM des Quartiers", "sem", "Chargé de mission"),
]


def load(home):
    created = []
    this_year = timezone.localdate().year
    for name, short_name, kind, siren, domains, years in ORGANISATIONS:
        organisation, new = Organisation.objects.get_or_create(
            siren=siren,
            defaults={"name": name, "short_name": short_name, "organisation_type": kind},
        )
        if new:
            created.append(f"organisme « {name} »")
        for domain in domains:
            OrganisationDomain.objects.get_or_create(
                domain=domain, defaults={"organisation": organisation}
            )
        for offset in years:
            Membership.objects.get_or_create(organisation=organisation, year=this_year + offset)
    for first_name, email, typed, kind, job_title in PEOPLE:
        _lead, new = Lead.objects.get_or_create(
            email=email,
            defaults={
                "first_name": first_name,
                "last_name": "Démo",
                "organisation": typed,
                "organisation_type": kind,
                "job_title": job_title,
            },
        )
        if new:
            created.append(f"personne « {first_name} Démo »")
    if created:
        organisations.attach_all()
    return created
