"""Who belongs to which organisation, and which organisations are members of the club.

A person belongs to the organisation whose e-mail domain ends their address (a subdomain
counts: ``dupont@idf.habitat-exemple.fr`` belongs to ``habitat-exemple.fr``); an address at a
public provider (gmail.com, orange.fr…) is never matched by domain. Staff may attach or detach
a lead by hand: the matching never undoes what they chose. A member price or a member-only
event asks ``check(email, on)``, never the visitor's word.
"""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from .identifiers import domain_of, is_public_provider, parent_domains
from .models import Lead, Membership, Organisation, OrganisationDomain, OrganisationLink


@dataclass(frozen=True)
class MemberCheck:
    """What the register says of an address on a date."""

    organisation: Organisation | None  # matched by domain; None: unknown or public provider
    is_member: bool  # the organisation is a member for that date's year
    public_provider: bool = False  # gmail.com, orange.fr…: the address says nothing

    @property
    def is_known(self):
        return self.organisation is not None


def organisation_for_domain(domain):
    """The organisation of an address's domain, the most specific domain first, or None. One
    query."""
    if not domain or is_public_provider(domain):
        return None
    candidates = parent_domains(domain)
    if not candidates:
        return None
    rows = OrganisationDomain.objects.filter(domain__in=candidates).select_related("organisation")
    return _most_specific(candidates, {row.domain: row.organisation for row in rows})


def _most_specific(chain, owners):
    """The owner of the first domain of ``chain`` (most specific first) that ``owners`` holds."""
    return next((owners[name] for name in chain if name in owners), None)


def organisations_of_domains(domains):
    """``{domain: organisation id}`` for each of ``domains`` the register knows (by the domain
    or one it is a subdomain of, the most specific first; never a public provider's). One
    query for them all."""
    candidates = {
        domain: parent_domains(domain)
        for domain in domains
        if domain and not is_public_provider(domain)
    }
    names = {name for chain in candidates.values() for name in chain}
    if not names:
        return {}
    owners = dict(
        OrganisationDomain.objects.filter(domain__in=names).values_list("domain", "organisation_id")
    )
    found = {domain: _most_specific(chain, owners) for domain, chain in candidates.items()}
    return {domain: owner for domain, owner in found.items() if owner is not None}


def organisation_for_email(email):
    return organisation_for_domain(domain_of(email))


def member_in(year, organisation="pk"):
    """SQL: whether the organisation at ``organisation`` (a path from the outer query) is a
    member in ``year``, for a listing's or an export's own query."""
    return Exists(Membership.objects.filter(organisation=OuterRef(organisation), year=year))


def is_member(organisation, on):
    """Whether ``organisation`` is a member of the club on the date ``on``."""
    if organisation is None:
        return False
    return Membership.objects.filter(organisation=organisation, year=on.year).exists()


def check(email, on=None):
    """The register's answer for ``email`` on the date ``on`` (today by default). Two queries
    at most."""
    on = on or timezone.localdate()
    domain = domain_of(email)
    if is_public_provider(domain):
        return MemberCheck(organisation=None, is_member=False, public_provider=True)
    organisation = organisation_for_domain(domain)
    return MemberCheck(organisation=organisation, is_member=is_member(organisation, on))


def attach_by_domain(lead):
    """Attaches ``lead`` to its address's organisation (or detaches it from one whose domain it
    no longer has), unless staff chose for it. Sets the fields without saving; returns the
    names of those that changed, for the caller's save."""
    if lead.organisation_link in (OrganisationLink.STAFF, OrganisationLink.DETACHED):
        return []
    organisation = organisation_for_email(lead.email)
    wanted = (
        organisation.pk if organisation else None,
        OrganisationLink.DOMAIN if organisation else "",
    )
    if (lead.linked_organisation_id, lead.organisation_link) == wanted:
        return []
    lead.linked_organisation = organisation
    lead.organisation_link = wanted[1]
    return ["linked_organisation", "organisation_link"]


def attach(lead, organisation):
    """Staff attach ``lead`` to ``organisation`` (None: detach); the matching keeps it so."""
    lead.linked_organisation = organisation
    lead.organisation_link = OrganisationLink.STAFF if organisation else OrganisationLink.DETACHED
    lead.save(update_fields=["linked_organisation", "organisation_link", "updated_at"])


def attach_all(chunk_size=2000):
    """Attaches every lead staff did not choose for to its address's organisation, and
    detaches those whose domain is no longer known (after an import, or on existing data).
    Reads the leads by chunks, with one query for the domains a chunk's addresses may
    belong to and one UPDATE per chunk: bounded memory, whatever the number of leads.
    Returns how many leads changed."""
    automatic = (
        Lead.objects.exclude(
            organisation_link__in=[OrganisationLink.STAFF, OrganisationLink.DETACHED]
        )
        .order_by("pk")
        .only("pk", "email", "linked_organisation_id", "organisation_link")
    )
    changed = 0
    last_pk = 0
    while chunk := list(automatic.filter(pk__gt=last_pk)[:chunk_size]):
        last_pk = chunk[-1].pk
        owners = organisations_of_domains({domain_of(lead.email) for lead in chunk})
        updated = []
        for lead in chunk:
            organisation_id = owners.get(domain_of(lead.email))
            link = OrganisationLink.DOMAIN if organisation_id else ""
            if (lead.linked_organisation_id, lead.organisation_link) != (organisation_id, link):
                lead.linked_organisation_id, lead.organisation_link = organisation_id, link
                updated.append(lead)
        Lead.objects.bulk_update(updated, ["linked_organisation", "organisation_link"])
        changed += len(updated)
    return changed


def suggestions(lead, limit=3):
    """Organisations whose name resembles what the lead typed, for staff to attach by hand
    when the domain says nothing (a public provider, an unknown domain)."""
    typed = (lead.organisation or "").strip()
    if not typed:
        return []
    return list(
        Organisation.objects.filter(Q(name__iexact=typed) | Q(short_name__iexact=typed))[:limit]
        or Organisation.objects.filter(name__icontains=typed)[:limit]
    )
