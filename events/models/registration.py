"""Registrations made on the site: one row per person and seat (the whole event, or one
session of a cycle taken session by session), confirmed or on the waiting list.

The person's contact details are a ``contacts.Lead``: the same record, consent and erasure
as a white-paper request, so that one person is one lead whatever they did on the site.
"""

import uuid
from dataclasses import dataclass

from django.db import models
from django.db.models import Count

from ..choices import HOLDING_SEAT, MembershipCheck, RegistrationStatus


@dataclass
class Places:
    """The seats of the whole event or of one session: how many, how many taken."""

    capacity: int | None  # None: no limit
    taken: int
    bookable: bool = True  # False for a past or cancelled session
    session: object = None

    @property
    def left(self):
        if self.capacity is None:
            return None
        return max(self.capacity - self.taken, 0)

    @property
    def is_full(self):
        return self.capacity is not None and self.taken >= self.capacity

    @property
    def label(self):
        """ "12 places restantes", "1 place restante", "Complet" or "" (no limit)."""
        if self.capacity is None:
            return ""
        if self.is_full:
            return "Complet"
        return f"{self.left} place restante" if self.left == 1 else f"{self.left} places restantes"


class RegistrationQuerySet(models.QuerySet):
    def active(self):
        return self.exclude(status=RegistrationStatus.CANCELLED)

    def confirmed(self):
        return self.filter(status=RegistrationStatus.CONFIRMED)

    def waiting(self):
        """The waiting list, first come first served."""
        return self.filter(status=RegistrationStatus.WAITING).order_by("created_at", "pk")

    def offered(self):
        """Seats offered to people who were waiting, held until they answer or the offer
        expires."""
        return self.filter(status=RegistrationStatus.OFFERED)

    def confirmed_counts(self, event):
        """Seats taken of an event by session (None: the whole event), in one query: the
        confirmed ones and those offered to someone waiting, which are held for them."""
        rows = (
            self.filter(event=event, status__in=HOLDING_SEAT)
            .order_by()
            .values_list("session_id")
            .annotate(count=Count("pk"))
        )
        return dict(rows)


class Registration(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # The seats taken with one form share a booking: one mail, one link to cancel them.
    booking = models.UUIDField("réservation", default=uuid.uuid4, db_index=True, editable=False)
    event = models.ForeignKey(
        "events.EventPage",
        verbose_name="événement",
        on_delete=models.CASCADE,
        related_name="registrations",
    )
    session = models.ForeignKey(
        "events.EventSession",
        verbose_name="séance",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="registrations",
        help_text="Vide : l'inscription vaut pour l'ensemble de l'événement",
    )
    lead = models.ForeignKey(
        "contacts.Lead",
        verbose_name="personne",
        null=True,
        on_delete=models.SET_NULL,
        related_name="registrations",
    )
    status = models.CharField(
        "statut", max_length=10, choices=RegistrationStatus.choices, db_index=True
    )
    is_member = models.BooleanField("adhérent", default=False)
    # What the register said (contacts.organisations) when the person registered: "is_member"
    # above is what applies (the member price), this is how it was known.
    membership = models.CharField(
        "adhésion", max_length=10, choices=MembershipCheck.choices, blank=True
    )
    organisation = models.ForeignKey(
        "contacts.Organisation",
        verbose_name="organisme",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="registrations",
        help_text="L'organisme de la personne au moment de l'inscription (registre)",
    )
    price = models.ForeignKey(
        "events.EventPrice",
        verbose_name="tarif",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # What the person saw and chose, kept as text: an editor may change the price later.
    price_label = models.CharField("tarif choisi", max_length=255, blank=True)
    accessibility_needs = models.TextField("besoins d'accessibilité", blank=True)
    comment = models.TextField("commentaire", blank=True)
    consent_text = models.TextField("texte de consentement affiché")
    page_url = models.URLField("page", max_length=500, blank=True)
    created_at = models.DateTimeField("inscrit le", auto_now_add=True, db_index=True)
    confirmed_at = models.DateTimeField("confirmée le", null=True, blank=True)
    cancelled_at = models.DateTimeField("annulée le", null=True, blank=True)
    # A seat offered to someone waiting (events.services.offer_first_waiting): kept after the
    # answer, so that staff can tell an expired offer from a cancellation.
    offered_at = models.DateTimeField("place proposée le", null=True, blank=True)
    offer_expires_at = models.DateTimeField(
        "offre valable jusqu'au", null=True, blank=True, db_index=True
    )

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = "inscription"
        verbose_name_plural = "inscriptions"
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["event", "session", "status", "created_at"]),
            # One event's registrations, newest first (the list filtered by event).
            models.Index(fields=["event", "-created_at"], name="registration_event_newest_idx"),
        ]
        permissions = [("export_registration", "Peut exporter les inscriptions")]

    def __str__(self):
        return f"{self.event_title} – {self.get_status_display()}"

    @property
    def event_title(self):
        return self.event.title

    @property
    def seat_label(self):
        """ "Ensemble de l'événement" or the session's heading and date."""
        if self.session_id is None:
            return "Ensemble de l'événement"
        return f"{self.session} ({self.session.date:%d/%m/%Y})"

    @property
    def offer_expired(self):
        """Cancelled because the offer of a seat was not taken in time."""
        return (
            self.status == RegistrationStatus.CANCELLED
            and self.offer_expires_at is not None
            and self.cancelled_at is not None
            and self.cancelled_at >= self.offer_expires_at
        )

    @property
    def status_label(self):
        """The status as staff read it: « Offre expirée » rather than « Annulée »."""
        return "Offre expirée" if self.offer_expired else self.get_status_display()

    @property
    def person_name(self):
        return self.lead.full_name if self.lead_id else "(données effacées)"
