"""A known organisation and what its people did in 2025, for the organisation's admin page and
its bilan d'adhésion; users of each group."""

import datetime
import html
import re
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import Group
from django.utils import timezone

import pytest

from contacts.models import Membership, Organisation, OrganisationDomain, OrganisationLink
from events.models import EventPrice, EventSession, Registration
from publications.models import DownloadRequest
from tests.factories.events import EventIndexPageFactory, EventPageFactory
from tests.factories.publications import LeadFactory

PASSWORD = "un mot de passe assez long"


def visible_text(response):
    """The page's text as a reader sees it: tags dropped, entities decoded, spaces plain."""
    content = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    text = html.unescape(re.sub(r"<[^>]+>", " ", content))
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


@pytest.fixture
def make_user(django_user_model):
    def make(username, *, group=None, superuser=False):
        user = django_user_model.objects.create_user(username, password=PASSWORD)
        if superuser:
            user.is_superuser = user.is_staff = True
            user.save()
        if group:
            user.groups.add(Group.objects.get(name=group))
        return user

    return make


@pytest.fixture
def manager_client(client, make_user):
    client.force_login(make_user("gestionnaire", group="Gestionnaires de leads"))
    return client


def organisation(name, *, domains=(), years=(), **fields):
    org = Organisation.objects.create(name=name, **fields)
    for domain in domains:
        OrganisationDomain.objects.create(organisation=org, domain=domain)
    for year in years:
        Membership.objects.create(organisation=org, year=year)
    return org


def at(year, month, day):
    return timezone.make_aware(datetime.datetime(year, month, day, 10, 0))


def sessions(*dates, cancelled=()):
    return [
        EventSession(
            date=date,
            start_time=datetime.time(9),
            end_time=datetime.time(12),
            status="cancelled" if date in cancelled else "scheduled",
        )
        for date in dates
    ]


def register(event, lead, made, *, status="confirmed", is_member=False, price=None, **fields):
    registration = Registration.objects.create(
        event=event,
        lead=lead,
        status=status,
        is_member=is_member,
        price=price,
        price_label=str(price) if price else "",
        consent_text="oui",
        **fields,
    )
    Registration.objects.filter(pk=registration.pk).update(created_at=made)
    return registration


def request_paper(lead, title, made):
    request = DownloadRequest.objects.create(
        lead=lead, paper_title=title, consent_text="oui", page_url="http://testserver/x/"
    )
    DownloadRequest.objects.filter(pk=request.pk).update(created_at=made)
    return request


@dataclass
class Known:
    organisation: object
    other: object
    alice: object
    bruno: object
    chloe: object


@pytest.fixture
def known(home):
    """Habitat Exemple, a member in 2025 and 2026, and its people's 2025:

    * registrations made in 2025, cancelled ones aside: 5 (Alice and Bruno at the atelier at
      the member price, Chloé at the cycle taken whole at a free member price, Bruno waiting
      for the journée, Émile, attached elsewhere now but registered as Habitat Exemple);
    * séances attended: 5 (the atelier ×3, two of the cycle's three séances, one cancelled);
    * requests: 3, for 2 different papers; people involved: 3 of 3 attached;
    * saving: (1 500 − 500) × 2 + (300 − 0) = 2 300,00 €.
    """
    org = organisation(
        "Habitat Exemple",
        short_name="HabEx",
        organisation_type="esh",
        siren="552100554",
        domains=["habitat-exemple.fr"],
        years=[2025, 2026],
    )
    other = organisation("Autre Office", organisation_type="oph", domains=["autre-office.fr"])
    alice = LeadFactory(
        email="alice@habitat-exemple.fr",
        first_name="Alice",
        last_name="Martin",
        linked_organisation=org,
        organisation_link=OrganisationLink.DOMAIN,
    )
    bruno = LeadFactory(
        email="bruno@idf.habitat-exemple.fr",
        first_name="Bruno",
        last_name="Petit",
        linked_organisation=org,
        organisation_link=OrganisationLink.DOMAIN,
    )
    chloe = LeadFactory(
        email="chloe@gmail.com",
        first_name="Chloé",
        last_name="Durand",
        organisation="Habitat Exemple",
        linked_organisation=org,
        organisation_link=OrganisationLink.STAFF,
    )
    emile = LeadFactory(
        email="emile@autre-office.fr",
        first_name="Émile",
        last_name="Roux",
        linked_organisation=other,
        organisation_link=OrganisationLink.DOMAIN,
    )
    agenda = EventIndexPageFactory(parent=home)
    atelier = EventPageFactory(
        parent=agenda,
        slug="atelier",
        title="Atelier du club",
        sessions=sessions(datetime.date(2025, 3, 10)),
        prices=[
            EventPrice(audience="Adhérent", amount=Decimal(500), offered_to="members"),
            EventPrice(audience="Non-adhérent", amount=Decimal(1500), offered_to="non_members"),
        ],
    )
    member_price, non_member_price = atelier.prices.order_by("amount")
    cycle = EventPageFactory(
        parent=agenda,
        slug="cycle",
        title="Cycle d'ateliers",
        sessions=sessions(
            datetime.date(2025, 5, 1),
            datetime.date(2025, 6, 1),
            datetime.date(2025, 7, 1),
            cancelled=(datetime.date(2025, 6, 1),),
        ),
        prices=[
            EventPrice(audience="Adhérent", amount=None, offered_to="members"),
            EventPrice(audience="Non-adhérent", amount=Decimal(300), offered_to="everyone"),
        ],
    )
    free_member_price = cycle.prices.get(amount=None)
    journee = EventPageFactory(
        parent=agenda,
        slug="journee",
        title="Journée débat",
        sessions=sessions(datetime.date(2025, 9, 1)),
    )
    register(atelier, alice, at(2025, 2, 1), is_member=True, price=member_price)
    register(atelier, bruno, at(2025, 2, 2), is_member=True, price=member_price)
    register(atelier, emile, at(2025, 2, 3), price=non_member_price, organisation=org)
    register(cycle, chloe, at(2025, 4, 1), is_member=True, price=free_member_price)
    register(journee, bruno, at(2025, 8, 1), status="waiting")
    register(journee, alice, at(2025, 8, 2), status="cancelled")
    earlier = EventPageFactory(
        parent=agenda,
        slug="journee-2024",
        title="Journée 2024",
        sessions=sessions(datetime.date(2024, 11, 15)),
    )
    register(earlier, alice, at(2024, 10, 1), is_member=True)  # 2024
    register(journee, emile, at(2025, 8, 3))  # Autre Office's
    request_paper(alice, "Habiter demain", at(2025, 1, 5))
    request_paper(alice, "La proximité", at(2025, 6, 5))
    request_paper(bruno, "Habiter demain", at(2025, 10, 5))
    request_paper(chloe, "Habiter demain", at(2024, 3, 5))  # 2024
    return Known(org, other, alice, bruno, chloe)
