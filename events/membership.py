"""Who gets which price, and who may register, from the register of members
(contacts.organisations), never from the visitor's word.

An address whose organisation is a member of the club for the year of the event's first
séance gets the member price; a known organisation that is not a member does not; an address
the register cannot place (an unknown domain, a public provider) may say its organisation is a
member and is registered "adhésion à vérifier" at the member price, for staff to confirm.
An event is for members when its editor says so, or when every price offered is a member price:
there, a known non-member or a public provider's address is refused and may ask for an
exception; an unknown domain is registered "à vérifier".
"""

from dataclasses import dataclass

from django.utils import timezone

from contacts import organisations
from contacts.identifiers import domain_of

from .choices import MembershipCheck, PriceAudience

MEMBER_PRICES = (PriceAudience.MEMBERS,)
AUDIENCE_PRICES = (PriceAudience.MEMBERS, PriceAudience.NON_MEMBERS)
TO_CONFIRM = (
    "Votre tarif adhérent sera confirmé par le club : votre adresse ne nous a pas permis de "
    "reconnaître votre organisme parmi les adhérents."
)


def offered(prices):
    """The prices one may register at (not those only shown on the page)."""
    return [price for price in prices if price.offered_to != PriceAudience.NOT_OFFERED]


def is_for_members(event, prices):
    """Whether only members may register: the editor's choice, or only member prices."""
    prices = offered(prices)
    return event.members_only or (
        bool(prices) and all(price.offered_to in MEMBER_PRICES for price in prices)
    )


def membership_matters(event, prices):
    """Whether the price or the right to register depends on membership."""
    return is_for_members(event, prices) or any(
        price.offered_to in AUDIENCE_PRICES for price in offered(prices)
    )


def applicable(prices, member):
    """The prices offered to a member (``member``) or to anyone else."""
    return [price for price in offered(prices) if price.is_offered_to(member)]


def needs_a_choice(prices):
    """Whether the visitor chooses their price: someone, member or not, has several."""
    return max(len(applicable(prices, True)), len(applicable(prices, False))) > 1


def reference_date(event):
    """The day membership is checked for: the event's first séance (today before any)."""
    return event.first_date or timezone.localdate()


@dataclass(frozen=True)
class Verdict:
    """What the register and the visitor's answer give for one registration."""

    membership: str  # a MembershipCheck value
    organisation: object  # the contacts.Organisation of the address, or None
    refusal: str = ""  # set: the event is for members and this address may not register

    @property
    def member_price(self):
        """Whether the member price applies (provisionally, when it is to be checked)."""
        return self.membership in (MembershipCheck.MEMBER, MembershipCheck.TO_CHECK)


def not_a_member(organisation, year):
    return (
        f"Votre organisme, {organisation.name}, n'est pas adhérent du club pour {year} : "
        "le tarif adhérent ne s'applique pas."
    )


def judge(event, prices, email, *, says_member):
    """The verdict for ``email`` registering to ``event``: two queries (contacts.organisations).
    ``says_member``: the visitor ticked « Mon organisme est adhérent du club »."""
    on = reference_date(event)
    found = organisations.check(email, on=on)
    organisation = found.organisation
    if found.is_member:
        return Verdict(MembershipCheck.MEMBER, organisation)
    if is_for_members(event, prices):
        if found.is_known:
            return Verdict(
                MembershipCheck.NON_MEMBER,
                organisation,
                refusal=(
                    f"« {event.title} » est réservé aux organismes adhérents du club. Votre "
                    f"organisme, {organisation.name}, n'est pas adhérent du club pour {on.year} : "
                    "vous pouvez demander une exception à l'équipe du club."
                ),
            )
        if found.public_provider:
            domain = domain_of(email)
            return Verdict(
                MembershipCheck.NON_MEMBER,
                None,
                refusal=(
                    f"« {event.title} » est réservé aux organismes adhérents du club, que nous "
                    f"reconnaissons à l'adresse e-mail professionnelle. Une adresse {domain} ne "
                    "dit pas à quel organisme vous appartenez : inscrivez-vous avec votre adresse "
                    "professionnelle, ou demandez une exception à l'équipe du club."
                ),
            )
        return Verdict(MembershipCheck.TO_CHECK, None)
    if not found.is_known and says_member:
        return Verdict(MembershipCheck.TO_CHECK, None)
    return Verdict(MembershipCheck.NON_MEMBER, organisation)


def note(membership, organisation_name=""):
    """What the thank-you page and the mails say of the membership behind the price."""
    if membership == MembershipCheck.TO_CHECK:
        return TO_CONFIRM
    if membership == MembershipCheck.MEMBER and organisation_name:
        return (
            f"Tarif adhérent appliqué : votre organisme, {organisation_name}, est adhérent du club."
        )
    return ""
