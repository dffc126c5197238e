"""A seat handed to a colleague from the person's signed link (events.self_service): asked by
the person, confirmed by the colleague through the link mailed to them. Until then nothing of
the registrations changes, and the person may withdraw the request.

The colleague's name and address are kept only while the request waits: they are cleared when
it is confirmed (the colleague is then a lead of their own) or withdrawn, and the request goes
with the person's lead when they are erased (CASCADE)."""

import uuid

from django.db import models


class SeatTransfer(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "En attente de la confirmation du collègue"
        CONFIRMED = "confirmed", "Confirmé"
        WITHDRAWN = "withdrawn", "Retiré"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    event = models.ForeignKey(
        "events.EventPage", verbose_name="événement", on_delete=models.CASCADE, related_name="+"
    )
    # The booking handed over (its registrations), and who asked.
    booking = models.UUIDField("réservation", db_index=True)
    lead = models.ForeignKey(
        "contacts.Lead", verbose_name="personne", on_delete=models.CASCADE, related_name="+"
    )
    first_name = models.CharField("prénom du collègue", max_length=100, blank=True)
    last_name = models.CharField("nom du collègue", max_length=100, blank=True)
    email = models.EmailField("adresse du collègue", max_length=254, blank=True)
    status = models.CharField(
        "statut", max_length=10, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField("demandé le", auto_now_add=True)
    expires_at = models.DateTimeField("valable jusqu'au")

    class Meta:
        verbose_name = "transfert de place"
        verbose_name_plural = "transferts de place"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.first_name} {self.last_name}"
