"""What an organisation's people did at events, for its admin page and its bilan d'adhésion
(contacts.engagement): registrations, séances attended, and what the member price saved.

* A registration is the organisation's when the register gave it that organisation when the
  person registered (``Registration.organisation``), or, made before the register knew it,
  when the person is attached to the organisation now.
* A registration counts in the period it was made in (``created_at``), cancelled ones aside.
* A séance attended is a séance already held (before today, not cancelled) of a confirmed
  registration: the séance itself, or every séance of an event registered for as a whole;
  it counts in the period it was held in. There is no check-in: these are confirmed seats.
* The saving of a confirmed registration at the member price (``is_member``) is the event's
  non-member price (the price offered to non-members, or failing that the dearest price whose
  audience says « non-adhérent ») minus the price it was taken at (nothing for a free one);
  a registration with no non-member price to compare with saves nothing.
"""

from decimal import Decimal

from django.db.models import Count, OuterRef, Q, Subquery
from django.utils import timezone

from contacts.engagement import Figure, Table

from .choices import PriceAudience, RegistrationStatus, SessionStatus
from .models import EventPrice, Registration

NON_MEMBER_PRICE = (
    Q(offered_to=PriceAudience.NON_MEMBERS)
    | Q(audience__icontains="non-adhérent")
    | Q(audience__icontains="non adhérent")
)
SAVING_NOTE = (
    "Pour chaque inscription confirmée au tarif adhérent : le tarif non-adhérent de "
    "l'événement (celui proposé aux non-adhérents, ou le tarif dont le public est "
    "« non-adhérent ») moins le tarif payé."
)


def registrations_of(organisation):
    return Registration.objects.filter(
        Q(organisation=organisation)
        | Q(organisation__isnull=True, lead__linked_organisation=organisation)
    )


def _made_in(queryset, period):
    return queryset if period is None else queryset.filter(period.datetime_q("created_at"))


def attended_count(organisation, period, today):
    """Séances held before ``today`` (and within the period) of confirmed registrations. Two
    queries."""
    confirmed = registrations_of(organisation).filter(status=RegistrationStatus.CONFIRMED)
    held = Q(session__date__lt=today) & ~Q(session__status=SessionStatus.CANCELLED)
    if period is not None:
        held &= Q(session__date__gte=period.start, session__date__lte=period.end)
    one_session = confirmed.filter(held, session__isnull=False).count()
    whole_held = Q(event__sessions__date__lt=today) & ~Q(
        event__sessions__status=SessionStatus.CANCELLED
    )
    if period is not None:
        whole_held &= Q(
            event__sessions__date__gte=period.start, event__sessions__date__lte=period.end
        )
    whole = confirmed.filter(session__isnull=True).aggregate(
        held=Count("event__sessions", filter=whole_held)
    )["held"]
    return one_session + (whole or 0)


def with_prices(queryset):
    non_member = (
        EventPrice.objects.filter(NON_MEMBER_PRICE, page=OuterRef("event"), amount__isnull=False)
        .order_by("-amount")
        .values("amount")[:1]
    )
    return queryset.annotate(non_member_amount=Subquery(non_member))


def saving(registration):
    """What the member price saved on this registration, in euros (Decimal, never negative)."""
    if not registration.is_member or registration.status != RegistrationStatus.CONFIRMED:
        return Decimal(0)
    if registration.non_member_amount is None:
        return Decimal(0)
    return max(
        Decimal(registration.non_member_amount) - (paid(registration) or Decimal(0)), Decimal(0)
    )


def paid(registration):
    """The price taken, in euros (a free price is 0), or None when no price was recorded."""
    if registration.price is None:
        return None
    return registration.price.amount or Decimal(0)


def organisation_figures(organisation, period):
    today = timezone.localdate()
    made = _made_in(registrations_of(organisation), period).exclude(
        status=RegistrationStatus.CANCELLED
    )
    members = with_prices(
        made.filter(status=RegistrationStatus.CONFIRMED, is_member=True).select_related("price")
    )
    return [
        Figure(
            "registrations",
            "Inscriptions aux événements",
            made.count(),
            note="inscriptions faites sur la période, hors annulations",
        ),
        Figure(
            "attended",
            "Séances suivies",
            attended_count(organisation, period, today),
            note="inscriptions confirmées à des séances passées",
        ),
        Figure(
            "saving",
            "Économie au tarif adhérent",
            sum((saving(registration) for registration in members), Decimal(0)),
            unit="€",
            note=SAVING_NOTE,
        ),
    ]


def organisation_tables(organisation, period, limit):
    registrations = with_prices(
        _made_in(registrations_of(organisation), period)
        .exclude(status=RegistrationStatus.CANCELLED)
        .select_related("event", "session", "lead", "price")
        .order_by("-created_at", "-pk")
    )
    count = registrations.count()
    shown = registrations[:limit] if limit is not None else registrations
    rows = [
        [
            timezone.localtime(registration.created_at),
            registration.event.title,
            registration.seat_label,
            registration.person_name,
            registration.get_status_display(),
            "oui" if registration.is_member else "non",
            paid(registration),
            registration.non_member_amount,
            saving(registration),
        ]
        for registration in shown
    ]
    return [
        Table(
            "registrations",
            "Inscriptions aux événements",
            [
                "Inscrit le",
                "Événement",
                "Séance",
                "Personne",
                "Statut",
                "Tarif adhérent",
                "Tarif payé (€)",
                "Tarif non-adhérent (€)",
                "Économie (€)",
            ],
            rows,
            count,
            note=SAVING_NOTE,
            widths={0: 17, 1: 45, 2: 30, 3: 24},
        )
    ]
